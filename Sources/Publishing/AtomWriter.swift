import Foundation
import Storage

/// The combined feed as Atom 1.0 (RFC 4287): every entry credits its source with `<source>`.
public enum AtomWriter {
    public static let fileName = "feed.atom"

    public static func render(_ entries: [StoredEntry], site: Site, sources: [String: SourceRecord]) -> String {
        var xml = XMLBuilder()
        xml.open("feed", [("xmlns", "http://www.w3.org/2005/Atom")])
        xml.element("title", site.title)
        xml.element("id", site.baseURL + fileName)
        xml.empty("link", [("rel", "self"), ("type", "application/atom+xml"), ("href", site.baseURL + fileName)])
        xml.empty("link", [("rel", "alternate"), ("type", "text/html"), ("href", site.baseURL)])
        xml.element("updated", Timestamp.rfc3339(entries.map(\.lastChanged).max() ?? Date(timeIntervalSince1970: 0)))
        xml.element("generator", Site.generatorName, [("uri", Site.generatorURL), ("version", Site.generatorVersion)])
        for entry in entries {
            writeEntry(entry, source: sources[entry.sourceKey], into: &xml)
        }
        xml.close("feed")
        return xml.output
    }

    private static func writeEntry(_ entry: StoredEntry, source: SourceRecord?, into xml: inout XMLBuilder) {
        xml.open("entry")
        xml.element("title", entry.title ?? "(untitled)", [("type", "text")])
        xml.element("id", entry.publicID)
        if let link = entry.publicLink { xml.empty("link", [("rel", "alternate"), ("href", link)]) }
        xml.element("published", Timestamp.rfc3339(entry.date))
        xml.element("updated", Timestamp.rfc3339(entry.lastChanged))
        xml.open("author")
        xml.element("name", entry.author ?? entry.sourceTitle)
        xml.close("author")
        for category in entry.categories { xml.empty("category", [("term", category)]) }
        xml.open("source")
        if let id = source?.publicURL ?? entry.publicSourceLink { xml.element("id", id) }
        xml.element("title", entry.sourceTitle)
        if let link = entry.publicSourceLink { xml.empty("link", [("rel", "alternate"), ("href", link)]) }
        if let url = source?.publicURL { xml.empty("link", [("rel", "self"), ("href", url)]) }
        xml.close("source")
        xml.element("summary", entry.summary, [("type", "html")])
        xml.element("content", entry.content, [("type", "html")])
        xml.close("entry")
    }
}

extension StoredEntry {
    /// When the entry last changed as far as a reader can tell.
    var lastChanged: Date { max(updated ?? date, date) }
}
