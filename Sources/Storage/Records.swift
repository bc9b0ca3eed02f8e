import Foundation
import Parsing

/// A source as the configuration defines it.
public struct SourceDefinition: Sendable, Equatable {
    public var key: String
    public var url: String
    public var title: String?
    /// Read through extraction rules: the page itself is what is fetched, never a feed found on it.
    public var readsPage: Bool

    public init(key: String, url: String, title: String? = nil, readsPage: Bool = false) {
        self.key = key
        self.url = url
        self.title = title
        self.readsPage = readsPage
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
    /// Whether its last fetch failed (whether or not the failure counted towards backoff: a network down
    /// or a quarantined document fails the source without holding it against it).
    public var isFailing: Bool { lastError != nil }
    public var entryCount: Int
    /// The feed found on the source's page, fetched in its place.
    public var discoveredURL: String?
    public var poll = PollState()
    /// Set when the source's document killed the process twice; it is skipped until the document changes.
    public var quarantine: Quarantine?
    /// The process died once while this source's document was being parsed: it is parsed alone until a
    /// parse of it finishes.
    public var isParseSuspect = false
    /// How the source has yielded its feed, once it has.
    public var yielded: FeedYield?
    /// The date of its newest entry, when read (`Store.lastPostDates`).
    public var lastPostAt: Date?
    /// Since its first counted failure after its last success, while it keeps failing.
    public var failingSince: Date?
    /// Since when its last failure's error has been the same, while it keeps failing.
    public var errorSince: Date?
    /// A fetch that brought far more new posts than the source ever does, most of them held from the front
    /// page until released: when, and how many.
    public var burst: Burst?

    public struct Burst: Sendable, Equatable {
        public var at: Date
        public var held: Int
    }

    public init(
        key: String, url: String, displayTitle: String, siteLink: String? = nil, etag: String? = nil,
        lastModified: String? = nil, lastStatus: Int? = nil, lastError: String? = nil, lastFetchedAt: Date? = nil,
        lastSuccessAt: Date? = nil, consecutiveFailures: Int = 0, entryCount: Int = 0, discoveredURL: String? = nil
    ) {
        self.key = key
        self.url = url
        self.displayTitle = displayTitle
        self.siteLink = siteLink
        self.etag = etag
        self.lastModified = lastModified
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.lastFetchedAt = lastFetchedAt
        self.lastSuccessAt = lastSuccessAt
        self.consecutiveFailures = consecutiveFailures
        self.entryCount = entryCount
        self.discoveredURL = discoveredURL
    }

    /// The HTTP validators kept for conditional GET.
    public var validators: Validators { Validators(etag: etag, lastModified: lastModified) }

    /// Where the next fetch goes: an adopted move, else a discovered feed (never kept for a source that reads
    /// its page), else the configured URL.
    public var fetchURL: String { poll.movedURL ?? discoveredURL ?? url }
}

/// What the scheduler keeps about a source between fetches.
public struct PollState: Sendable, Equatable {
    /// When the regular schedule polls next.
    public var nextPollAt: Date?
    /// Not before this time, because the server said so or after failures (with the reason).
    public var waitUntil: Date?
    public var waitReason: String?
    /// Since when the source has answered 410 Gone.
    public var goneSince: Date?
    /// An adopted permanent redirect.
    public var movedURL: String?
    /// A permanent redirect seen, with when it was first seen and how many fetches saw it.
    public var moveCandidate: MoveCandidate?
    public var bodyHash: String?
    /// The feed's own ttl / sy:updatePeriod.
    public var updateInterval: Duration?
    public var hub: String?

    public init() {}
}

public struct MoveCandidate: Sendable, Equatable {
    public var url: String
    public var firstSeen: Date
    public var seen: Int

    public init(url: String, firstSeen: Date, seen: Int) {
        self.url = url
        self.firstSeen = firstSeen
        self.seen = seen
    }
}

/// One fetch as the log keeps it.
public struct FetchLogEntry: Sendable, Equatable {
    public var sourceKey: String
    public var at: Date
    public var url: String
    public var status: Int?
    public var bytes: Int
    public var durationSeconds: Double
    public var notModified: Bool
    public var error: String?

    public init(
        sourceKey: String, at: Date, url: String, status: Int?, bytes: Int, durationSeconds: Double,
        notModified: Bool, error: String?
    ) {
        self.sourceKey = sourceKey
        self.at = at
        self.url = url
        self.status = status
        self.bytes = bytes
        self.durationSeconds = durationSeconds
        self.notModified = notModified
        self.error = error
    }
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
    /// The id the outputs publish it under: assigned at first insert and never changed (`EntryIdentity`).
    public var publicID: String
    public var enclosures: [Enclosure] = []
    /// Whether the article itself is stored, not only a summary: `wordCount` counts the summary otherwise.
    public var hasContent = false
    /// The post's lead image (`LeadImage`), for thumbnails.
    public var image: String?
}

/// A calendar month (UTC), as the month pages are made.
public struct MonthKey: Sendable, Hashable {
    public var year: Int
    public var month: Int

    public init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }
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

    public var key: MonthKey { MonthKey(year: year, month: month) }
}

/// A source held back because its document crashed Tidings.
public struct Quarantine: Sendable, Equatable {
    /// The hash of the document that crashed it (`PollState.bodyHash`'s kind): another document is parsed.
    public var documentHash: String
    public var reason: String

    public init(documentHash: String, reason: String) {
        self.documentHash = documentHash
        self.reason = reason
    }
}

/// Where a source's feed came from, which decides whether discovery may ever look for another.
public enum FeedYield: String, Sendable, Equatable {
    /// The configured URL itself answered a feed: it stays the feed, whatever it answers later.
    case feed
    /// The configured URL is a page and the feed was discovered on it.
    case page
}
