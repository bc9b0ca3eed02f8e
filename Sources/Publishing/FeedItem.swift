import Checked
import Foundation
import Parsing
import Storage
import Time

/// One post as the Atom, RSS and JSON Feed writers publish it: a stored entry with its blog's credit, or a
/// month of the digest.
struct FeedItem: Sendable {
    var id: String
    var title: String
    var link: String?
    var published: Date
    var updated: Date
    /// Who readers are told wrote it: "Ann (Alpha Blog)", or the blog alone when no author is known.
    var credit: String
    /// The blog it came from, for `<source>` and `_tidings`; nil for the digest's own items.
    var blog: Blog?
    var categories: [String] = []
    var summaryHTML: String?
    var contentHTML: String?
    var enclosures: [Enclosure] = []

    struct Blog: Sendable {
        var key: String
        var title: String
        var siteLink: String?
        /// The blog's own feed on the web; nil for a local file.
        var feedURL: String?
        /// Tidings' feed of this blog alone, absolute.
        var ownFeed: String
    }

    init(
        id: String, title: String, link: String?, published: Date, updated: Date, credit: String, blog: Blog? = nil
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.credit = credit
        self.blog = blog
    }

    init(_ entry: StoredEntry, source: SourceRecord?, site: Site) {
        let blog = Blog(
            key: entry.sourceKey, title: entry.sourceTitle, siteLink: entry.publicSourceLink,
            feedURL: source?.webFeedURL(site: site), ownFeed: site.baseURL + FeedPaths.source(entry.sourceKey, .atom))
        self.init(
            id: entry.publicID, title: entry.displayTitle, link: entry.publicLink, published: entry.date,
            updated: entry.lastChanged,
            credit: entry.author.map { "\($0) (\(entry.sourceTitle))" } ?? entry.sourceTitle,
            blog: blog)
        categories = entry.categories
        summaryHTML = entry.summary
        contentHTML = entry.content
        enclosures = entry.enclosures.filter { Checked.link($0.url) != nil }
    }
}

extension StoredEntry {
    /// When the entry last changed as far as a reader can tell.
    var lastChanged: Date { max(updated ?? date, date) }

    /// The title, else the first words of the post (readers list posts by title), else its blog and date.
    var displayTitle: String {
        if let title, !title.isEmpty { return title }
        if let excerpt, !excerpt.isEmpty { return PlainText.excerpt(excerpt, limit: 60) }
        return "\(sourceTitle), \(Timestamp.dayHeading(date))"
    }
}
