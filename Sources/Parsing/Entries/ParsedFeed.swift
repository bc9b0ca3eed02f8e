import Foundation

/// The syndication format a document was written in, detected from the document itself.
public enum FeedFormat: String, Sendable, Codable, CaseIterable {
    case rss090, rss091, rss092, rss093, rss094, rss20, rss10, atom03, atom10, json10, json11, html
}

public struct FeedMetadata: Sendable, Equatable {
    public var title: String?
    public var link: String?
    public var format: FeedFormat
    public var updated: Date?
    /// How long the publisher says the feed stays current (RSS `ttl`, `sy:updatePeriod` and
    /// `sy:updateFrequency`): a floor for the polling interval.
    public var updateInterval: Duration?
    /// The WebSub hub the feed advertises (`<link rel="hub">`), for push instead of polling.
    public var hub: String?

    public init(title: String? = nil, link: String? = nil, format: FeedFormat, updated: Date? = nil) {
        self.title = title
        self.link = link
        self.format = format
        self.updated = updated
    }
}

public struct Enclosure: Sendable, Equatable, Codable {
    public var url: String
    public var type: String?
    public var length: Int?

    public init(url: String, type: String? = nil, length: Int? = nil) {
        self.url = url
        self.type = type
        self.length = length
    }
}

/// One entry as every format is normalised to: plain-text title, absolute link, UTC dates,
/// sanitised HTML and a word count. A missing date stays nil; the store stamps first-seen time.
public struct ParsedEntry: Sendable, Equatable {
    public var id: String
    public var title: String?
    public var link: String?
    public var published: Date?
    /// The date the feed gave when it was in the future and `clamp` moved `published` to the fetch time:
    /// kept for the record (`tidings explain`).
    public var claimedPublished: Date?
    public var updated: Date?
    public var author: String?
    public var summary: String?
    public var content: String?
    public var categories: [String]
    public var enclosures: [Enclosure]
    public var wordCount: Int
    /// A short plain-text description (from the summary, else the content) for digests and indexes.
    public var excerpt: String?
    /// Long enough for two or three sentences, as the seed digest pages show.
    public static let excerptLength = 400
    /// What the sanitiser took out of its summary and content, by kind (`tidings explain` says it).
    public var removed: [String: Int] = [:]
    /// Where fields of an entry read from a page came from ("date": "rule 'date' (preceding: h2.day)"),
    /// so `tidings preview` can explain a source's rules. Empty for feeds.
    public var origins: [String: String] = [:]

    public init(
        id: String, title: String? = nil, link: String? = nil, published: Date? = nil, updated: Date? = nil,
        author: String? = nil, summary: String? = nil, content: String? = nil, categories: [String] = [],
        enclosures: [Enclosure] = [], wordCount: Int = 0, excerpt: String? = nil
    ) {
        self.id = id
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.author = author
        self.summary = summary
        self.content = content
        self.categories = categories
        self.enclosures = enclosures
        self.wordCount = wordCount
        self.excerpt = excerpt
    }
}

/// What the parser made of one document.
public struct ParsedFeed: Sendable, Equatable {
    public var metadata: FeedMetadata
    public var entries: [ParsedEntry]
    /// Things the parser recovered from, for the source's status and `tidings parse`.
    public var warnings: [String]
    /// The document was not well-formed and was read by recovery (libxml2's recover mode or the repair
    /// pass): what it says may be cut short, so it must not overwrite longer stored fields.
    public var isRecovered = false
    /// The encoding the document was read in and which rule chose it ("EUC-JP (nothing declared, …)").
    public var encoding: String?

    public init(metadata: FeedMetadata, entries: [ParsedEntry], warnings: [String] = []) {
        self.metadata = metadata
        self.entries = entries
        self.warnings = warnings
    }
}
