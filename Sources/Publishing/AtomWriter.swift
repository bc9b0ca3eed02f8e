import Checked
import Foundation
import Time

/// A feed as Atom 1.0 (RFC 4287). Each entry credits its blog in the author's name, which readers show,
/// and in `<source>`, which they keep; enclosures are `rel="enclosure"` links.
enum AtomWriter {
    static func render(_ channel: FeedChannel, site: Site) -> String {
        var xml = XMLBuilder()
        xml.stylesheet(channel.stylesheetHref)
        xml.open("feed", [("xmlns", "http://www.w3.org/2005/Atom")])
        xml.element("title", channel.title)
        xml.element("subtitle", channel.description)
        xml.element("id", channel.url(.atom, site: site))
        xml.empty(
            "link", [("rel", "self"), ("type", FeedFormat.atom.mediaType), ("href", channel.url(.atom, site: site))])
        xml.empty("link", [("rel", "alternate"), ("type", "text/html"), ("href", channel.homePage)])
        // A feed with no entry yet still needs a date: the epoch says "never" without changing on every run.
        xml.element("updated", Timestamp.rfc3339(channel.items.map(\.updated).max() ?? Date(timeIntervalSince1970: 0)))
        xml.element("generator", Site.generatorName, [("uri", Site.generatorURL), ("version", Site.generatorVersion)])
        let updated = distinctUpdates(channel.items)
        for (index, item) in channel.items.enumerated() { writeEntry(item, updated: updated[index], into: &xml) }
        xml.close("feed")
        return xml.output
    }

    /// Each entry's `updated`, made distinct: readers that track changes by it mix up entries sharing one
    /// (the W3C validator warns), as posts with only a date do. A tie moves the later-listed entries' times by
    /// a second each, from the oldest up, so an entry keeps its time when newer ones join it.
    static func distinctUpdates(_ items: [FeedItem]) -> [Date] {
        var result = items.map(\.updated)
        var used: Set<Int64> = []
        for index in items.indices.sorted(by: { (result[$0], $1) < (result[$1], $0) }) {
            var seconds = Checked.unixSeconds(result[index])
            while used.contains(seconds) { seconds += 1 }
            used.insert(seconds)
            result[index] = Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        return result
    }

    private static func writeEntry(_ item: FeedItem, updated: Date, into xml: inout XMLBuilder) {
        xml.open("entry")
        xml.element("title", item.title, [("type", "text")])
        xml.element("id", item.id)
        if let link = item.link { xml.empty("link", [("rel", "alternate"), ("type", "text/html"), ("href", link)]) }
        for enclosure in item.enclosures {
            var attributes = [("rel", "enclosure"), ("href", enclosure.url)]
            if let type = enclosure.type { attributes.append(("type", type)) }
            if let length = enclosure.length, length > 0 { attributes.append(("length", String(length))) }
            xml.empty("link", attributes)
        }
        xml.element("published", Timestamp.rfc3339(item.published))
        xml.element("updated", Timestamp.rfc3339(updated))
        xml.open("author")
        xml.element("name", item.credit)
        xml.close("author")
        for category in item.categories { xml.empty("category", [("term", category)]) }
        if let blog = item.blog {
            xml.open("source")
            xml.element("id", blog.feedURL ?? blog.ownFeed)
            xml.element("title", blog.title)
            xml.element("updated", Timestamp.rfc3339(item.updated))
            if let link = blog.siteLink { xml.empty("link", [("rel", "alternate"), ("href", link)]) }
            xml.empty("link", [("rel", "self"), ("href", blog.feedURL ?? blog.ownFeed)])
            xml.close("source")
        }
        xml.element("summary", item.summaryHTML, [("type", "html")])
        xml.element("content", item.contentHTML, [("type", "html")])
        xml.close("entry")
    }
}
