import Checked
import Foundation
import Storage
import Time

/// `sources.opml`: every source as an OPML 2.0 outline, for importing the planet's blogs into a reader.
/// A source's feed is its own on the web (the discovered one for a page), else Tidings' feed of it.
enum OPMLWriter {
    static func render(_ sources: [SourceRecord], site: Site, updated: Date) -> String {
        var xml = XMLBuilder()
        xml.open("opml", [("version", "2.0")])
        xml.open("head")
        xml.element("title", "\(site.title): sources")
        xml.element("dateCreated", Timestamp.rfc822(updated))
        xml.close("head")
        xml.open("body")
        for source in sources {
            var attributes = [
                ("type", "rss"), ("text", source.displayTitle), ("title", source.displayTitle),
                ("xmlUrl", source.webFeedURL(site: site) ?? site.baseURL + FeedPaths.source(source.key, .atom)),
            ]
            if let site = Checked.link(source.siteLink) { attributes.append(("htmlUrl", site)) }
            xml.empty("outline", attributes)
        }
        xml.close("body")
        xml.close("opml")
        return xml.output
    }
}
