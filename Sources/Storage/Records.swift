import Foundation
import Parsing

/// A source as the configuration defines it.
public struct SourceDefinition: Sendable, Equatable {
    public var key: String
    public var url: String
    public var title: String?

    public init(key: String, url: String, title: String? = nil) {
        self.key = key
        self.url = url
        self.title = title
    }
}

/// A source with what the store remembers of fetching it.
public struct SourceRecord: Sendable, Equatable {
    public var key: String
    public var url: String
    /// The configured title, else the feed's own, else the key.
    public var displayTitle: String
    public var siteLink: String?
    public var etag: String?
    public var lastModified: String?
    public var lastStatus: Int?
    public var lastError: String?
    public var lastFetchedAt: Date?
    public var lastSuccessAt: Date?
    public var consecutiveFailures: Int
    public var entryCount: Int
    /// The feed found on the source's page, fetched in its place.
    public var discoveredURL: String? = nil
}

/// The HTTP validators kept for conditional GET.
public struct Validators: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// What storing one fetched document changed.
public struct EntryChanges: Sendable, Equatable {
    public var new = 0
    public var updated = 0
    public var unchanged = 0

    public init(new: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.new = new
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// An entry as the writers read it, with the source it came from.
public struct StoredEntry: Sendable, Equatable {
    public var sourceKey: String
    public var sourceTitle: String
    public var sourceLink: String?
    public var entryID: String
    public var title: String?
    public var link: String?
    public var author: String?
    public var summary: String?
    public var content: String?
    public var categories: [String]
    public var wordCount: Int
    public var published: Date?
    public var updated: Date?
    public var firstSeen: Date
    /// The date readers see: published, else first seen.
    public var date: Date
    /// A short plain-text description.
    public var excerpt: String?
}

/// How many entries a month holds, for the digest pages and their navigation.
public struct MonthCount: Sendable, Equatable, Hashable {
    public var year: Int
    public var month: Int
    public var count: Int

    public init(year: Int, month: Int, count: Int) {
        self.year = year
        self.month = month
        self.count = count
    }
}

extension StoredEntry {
    /// An id for this entry in the combined feeds: unique across sources (two sources may use the same
    /// id) and stable across runs, so readers never see an entry twice.
    public var globalID: String {
        "urn:tidings:\(sourceKey):\(Fingerprint.of([entryID]))"
    }
}
