import Foundation

/// `sources.opml`: every source, for importing into a reader.
struct SourceList: Output {
    func render(_ context: PublishContext) throws {
        let updated = context.latest.first?.lastChanged ?? Date(timeIntervalSince1970: 0)
        try context.write(OPMLWriter.render(context.records, site: context.site, updated: updated), FeedPaths.opml)
    }
}

/// `feed.xsl`: what browsers show for the Atom and RSS feeds.
struct Stylesheet: Output {
    func render(_ context: PublishContext) throws {
        try context.write(FeedStylesheet.text, FeedPaths.stylesheet)
    }
}
