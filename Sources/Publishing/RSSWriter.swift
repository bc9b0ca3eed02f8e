import Foundation
import Time

/// A feed as RSS 2.0. Each item credits its blog in `dc:creator`, which readers show, and `<source>`;
/// RSS allows one enclosure: the first audio or video one (what podcast readers play), else the first.
enum RSSWriter {
    static func render(_ channel: FeedChannel, site: Site) -> String {
        var xml = XMLBuilder()
        xml.stylesheet(channel.stylesheetHref)
        xml.open(
            "rss",
            [
                ("version", "2.0"), ("xmlns:atom", "http://www.w3.org/2005/Atom"),
                ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
                ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
            ])
        xml.open("channel")
        xml.element("title", channel.title)
        xml.element("link", channel.homePage)
        xml.element("description", channel.description)
        xml.empty(
            "atom:link", [("rel", "self"), ("type", FeedFormat.rss.mediaType), ("href", channel.url(.rss, site: site))])
        if let newest = channel.items.map(\.updated).max() { xml.element("lastBuildDate", Timestamp.rfc822(newest)) }
        xml.element("generator", "\(Site.generatorName) \(Site.generatorVersion)")
        for item in channel.items { writeItem(item, into: &xml) }
        xml.close("channel")
        xml.close("rss")
        return xml.output
    }

    private static func writeItem(_ item: FeedItem, into xml: inout XMLBuilder) {
        xml.open("item")
        xml.element("title", item.title)
        xml.element("link", item.link)
        xml.element("guid", item.id, [("isPermaLink", "false")])
        xml.element("pubDate", Timestamp.rfc822(item.published))
        xml.element("dc:creator", item.credit)
        for category in item.categories { xml.element("category", category) }
        if let blog = item.blog { xml.element("source", blog.title, [("url", blog.feedURL ?? blog.ownFeed)]) }
        let media = item.enclosures.first {
            $0.type?.hasPrefix("audio/") == true || $0.type?.hasPrefix("video/") == true
        }
        if let enclosure = media ?? item.enclosures.first {
            // RSS requires both attributes; 0 is the usual "unknown length".
            xml.empty(
                "enclosure",
                [
                    ("url", enclosure.url), ("length", String(max(0, enclosure.length ?? 0))),
                    ("type", enclosure.type ?? "application/octet-stream"),
                ])
        }
        xml.element("description", item.summaryHTML ?? item.contentHTML)
        if item.summaryHTML != nil { xml.element("content:encoded", item.contentHTML) }
        xml.close("item")
    }
}
