import Foundation
import Parsing
import Time

/// A second connection to a store's file, for reading on another thread than the store's own (the writer
/// renders months in parallel, each from a reader of its own). It never changes the file.
public final class StoreReader {
    let database: Database

    /// Opens the store at `path`, which must already exist (see `Store.path`).
    public init(path: String) throws(StoreError) {
        database = try Database(path: path)
        try database.execute("PRAGMA query_only = ON")
        // A reader never upgrades the file: an older one would fail on the first column it lacks.
        let version = try database.query("PRAGMA user_version").first?.int(0) ?? 0
        if version < Migrations.latestVersion {
            throw .olderSchema(path: path, found: version, expected: Migrations.latestVersion)
        }
    }

    /// The registered sources with their fetch state, read without registering anything (`tidings status`).
    public func sources() throws(StoreError) -> [SourceRecord] {
        try database.query(Store.sourcesQuery).map(Store.sourceRecord)
    }

    /// The entries of one UTC calendar month, newest first and without their bodies, read one at a time:
    /// a month of a large planet holds tens of thousands.
    public func entries(year: Int, month: Int, newestFirst: Bool = true) throws(StoreError) -> EntryCursor {
        let (start, end) = CivilCalendar.monthBounds(year: year, month: month)
        let sql = Store.entriesQuery(
            where: "e.sort_date >= ? AND e.sort_date < ?", withBodies: false, newestFirst: newestFirst)
        return EntryCursor(try database.cursor(sql, [.integer(start), .integer(end), .integer(-1)]))
    }

    /// The newest `limit` entries of a month, without bodies, newest first.
    public func newestEntries(year: Int, month: Int, limit: Int) throws(StoreError) -> [StoredEntry] {
        let (start, end) = CivilCalendar.monthBounds(year: year, month: month)
        return try database.query(
            Store.entriesQuery(where: "e.sort_date >= ? AND e.sort_date < ?", withBodies: false),
            [.integer(start), .integer(end), .integer(Int64(limit))]
        ).map(Store.storedEntry)
    }

    /// What one source's own feed is made of, read in one snapshot: the source, its newest entries with their
    /// bodies, and the change counter its entries were last marked at (see `Store.dirtySourceCounters`), which
    /// says later whether what was read is still current. Nil for a source not configured.
    public func sourceFeed(_ key: String, limit: Int) throws(StoreError) -> (
        source: SourceRecord, entries: [StoredEntry], counter: Int?
    )? {
        try database.execute("BEGIN")
        defer { try? database.execute("COMMIT") }
        guard
            let source = try database.query(Store.sourcesQuery(and: "AND key = ?"), [.text(key)]).first.map(
                Store.sourceRecord)
        else { return nil }
        let counter = try database.query(
            "SELECT counter FROM dirty_sources WHERE source_id = (SELECT id FROM sources WHERE key = ?)", [.text(key)]
        ).first?.int(0)
        return (source, try latestEntries(ofSource: key, limit: limit), counter)
    }

    /// The newest entries of one source with their bodies, newest first, for its own feed.
    public func latestEntries(ofSource key: String, limit: Int) throws(StoreError) -> [StoredEntry] {
        try database.query(
            Store.sourceFeedQuery, [.text(key), .integer(Int64(limit))]
        ).map(Store.storedEntry)
    }

    /// The dates of a month's entries (seconds, in no order), how many sources they come from, and the
    /// `busiest` sources' post counts by title: what a month page says before it lists the posts.
    public func overview(year: Int, month: Int, busiest: Int) throws(StoreError) -> (
        dates: [Int64], sourceCount: Int, busiest: [String: Int]
    ) {
        let (start, end) = CivilCalendar.monthBounds(year: year, month: month)
        var dates: [Int64] = []
        var perSource: [Int64: Int] = [:]
        try database.forEachRow(
            """
            SELECT e.sort_date, e.source_id FROM entries e JOIN sources s ON s.id = e.source_id AND s.active = 1
            WHERE e.sort_date >= ? AND e.sort_date < ? AND e.hidden_by IS NULL
            """, [.integer(start), .integer(end)]
        ) { row in
            if let date = row.int(0) { dates.append(Int64(date)) }
            if let source = row.int(1) { perSource[Int64(source), default: 0] += 1 }
        }
        // Titles only for the sources a page names: a month of a large planet has thousands.
        var titles: [String: Int] = [:]
        // Most posts first; among equals, the older source (the order must not change between renders).
        for (source, count) in perSource.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }).prefix(busiest) {
            let title = try database.query(
                "SELECT COALESCE(title, feed_title, key) FROM sources WHERE id = ?", [.integer(source)]
            ).first?.string(0)
            titles[title ?? "", default: 0] += count
        }
        return (dates, perSource.count, titles)
    }
}

extension Store {
    /// The file, for opening readers of it on other threads.
    public var path: String { database.path }
}

/// Stored entries read one at a time. It is an iterator that cannot throw: a failed read ends it, and
/// `error` says why, to be checked once the iteration is over.
public final class EntryCursor: IteratorProtocol {
    private let cursor: Cursor
    public private(set) var error: StoreError?

    init(_ cursor: Cursor) {
        self.cursor = cursor
    }

    public func next() -> StoredEntry? {
        guard error == nil else { return nil }
        do {
            return try cursor.next().map(Store.storedEntry)
        } catch {
            self.error = error
            return nil
        }
    }
}

/// A stored entry with what `tidings explain` tells of it beyond what the pages show.
public struct EntryFacts: Sendable {
    public var entry: StoredEntry
    /// Why the filters hide it; nil when shown.
    public var hiddenBy: String?
    /// Whether its source is still configured (a removed source's entries stay stored, unpublished).
    public var sourceActive: Bool
    /// One of a new source's older posts, kept off the front page (`new_source_items`).
    public var heldFromTheFront = false
    /// The future date its feed gave, when `clamp` moved it to when it was first fetched.
    public var claimedDate: Date?
    var rowID: Int64 = 0
    /// What the sanitiser took out of it, by kind.
    public var removed: [String: Int] = [:]
}

/// What a stored post was known as before a rename: its old id or link, and when it was renamed.
public struct EntryMerge: Sendable, Equatable {
    public var entryID: String?
    public var link: String?
    public var at: Date
}

extension StoreReader {
    /// The stored entries `text` names: by public id, entry id, link, or the link's alias (the same post
    /// over http or https, with or without `www.` or tracking parameters).
    public func entries(named text: String) throws(StoreError) -> [EntryFacts] {
        let alias = LinkAlias.key(for: text)
        return try database.query(
            """
            SELECT s.key, COALESCE(s.title, s.feed_title, s.key), s.site_link, e.entry_id, e.title, e.link, e.author,
                   NULL, NULL, e.categories, e.word_count, e.published_at, e.updated_at, e.first_seen_at,
                   e.sort_date, e.excerpt, e.public_id, e.enclosures, e.has_content, e.image, e.hidden_by, s.active,
                   e.front_held, e.claimed_at, e.id, e.removed
            FROM entries e JOIN sources s ON s.id = e.source_id
            WHERE e.public_id = ?1 OR e.entry_id = ?1 OR e.link = ?1 OR (?2 IS NOT NULL AND e.alias_key = ?2)
            ORDER BY e.sort_date DESC LIMIT 20
            """, [.text(text), SQLValue(alias)]
        ).map { row in
            EntryFacts(
                entry: Store.storedEntry(row), hiddenBy: row.string(20), sourceActive: (row.int(21) ?? 0) != 0,
                heldFromTheFront: (row.int(22) ?? 0) != 0, claimedDate: Store.date(row.int(23)),
                rowID: Int64(row.int(24) ?? 0),
                removed: row.string(25).flatMap { try? JSONDecoder().decode([String: Int].self, from: Data($0.utf8)) }
                    ?? [:])
        }
    }

    /// The ids and links a post had before the publisher renamed it, oldest first.
    public func merges(of facts: EntryFacts) throws(StoreError) -> [EntryMerge] {
        try database.query(
            "SELECT entry_id, link, merged_at FROM entry_merges WHERE entry = ? ORDER BY merged_at, rowid",
            [.integer(facts.rowID)]
        ).map { EntryMerge(entryID: $0.string(0), link: $0.string(1), at: Store.date($0.int(2)) ?? Date()) }
    }

    /// The fetch that first stored a post: the source's first logged fetch at or after `firstSeen` (the log
    /// keeps 30 days).
    public func fetch(of key: String, firstSeen: Date) throws(StoreError) -> FetchLogEntry? {
        try database.query(
            """
            SELECT fetched_at, url, status FROM fetch_log
            WHERE source_id = (SELECT id FROM sources WHERE key = ?) AND fetched_at >= ? ORDER BY fetched_at LIMIT 1
            """, [.text(key), .integer(Int64(firstSeen.timeIntervalSince1970.rounded(.down)))]
        ).first.map { row in
            FetchLogEntry(
                sourceKey: key, at: Store.date(row.int(0)) ?? firstSeen, url: row.string(1) ?? "", status: row.int(2),
                bytes: 0, durationSeconds: 0, notModified: false, error: nil)
        }
    }

    /// The newest shown entries, as the front page and the combined feeds carry them.
    public func latestEntries(limit: Int, perSource: Int?) throws(StoreError) -> [StoredEntry] {
        try Store.capped(limit: limit, perSource: perSource) { (reading) throws(StoreError) in
            try database.query(
                Store.entriesQuery(where: Store.onTheFront, withBodies: false), [.integer(Int64(reading))])
                .map(Store.storedEntry)
        }
    }
}

