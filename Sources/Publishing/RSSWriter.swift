import Foundation
import Storage

/// The combined feed as RSS 2.0, crediting each item's source with `<source>` and `dc:creator`.
public enum RSSWriter {
    public static let fileName = "feed.rss"

    public static func render(_ entries: [StoredEntry], site: Site, sources: [String: SourceRecord]) -> String {
        var xml = XMLBuilder()
        xml.open(
            "rss",
            [
                ("version", "2.0"), ("xmlns:atom", "http://www.w3.org/2005/Atom"),
                ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
                ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
            ])
        xml.open("channel")
        xml.element("title", site.title)
        xml.element("link", site.baseURL)
        xml.element("description", "The latest posts of \(site.title), gathered by Tidings")
        xml.empty("atom:link", [("rel", "self"), ("type", "application/rss+xml"), ("href", site.baseURL + fileName)])
        if let newest = entries.map(\.lastChanged).max() {
            xml.element("lastBuildDate", Timestamp.rfc822(newest))
        }
        xml.element("generator", "\(Site.generatorName) \(Site.generatorVersion)")
        for entry in entries {
            writeItem(entry, source: sources[entry.sourceKey], into: &xml)
        }
        xml.close("channel")
        xml.close("rss")
        return xml.output
    }

    private static func writeItem(_ entry: StoredEntry, source: SourceRecord?, into xml: inout XMLBuilder) {
        xml.open("item")
        xml.element("title", entry.title ?? "(untitled)")
        xml.element("link", entry.publicLink)
        xml.element("guid", entry.publicID, [("isPermaLink", "false")])
        xml.element("pubDate", Timestamp.rfc822(entry.date))
        xml.element("dc:creator", entry.author ?? entry.sourceTitle)
        for category in entry.categories { xml.element("category", category) }
        if let url = source?.publicURL ?? entry.publicSourceLink {
            xml.element("source", entry.sourceTitle, [("url", url)])
        }
        xml.element("description", entry.summary ?? entry.content)
        if entry.summary != nil { xml.element("content:encoded", entry.content) }
        xml.close("item")
    }
}
