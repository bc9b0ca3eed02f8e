import Foundation
import Parsing
import TestSupport
import Testing

@testable import Storage

/// What the writer reads is kept by the store itself as entries change: months with their counts and the
/// months whose pages are stale, both without scanning the entries.
@Suite struct ReadingListTests {
    let directory: TemporaryDirectory
    let store: Store
    let now = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12T12:00:00Z

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("store.sqlite").path)
        try store.register(
            [
                SourceDefinition(key: "a", url: "https://a.example/feed"),
                SourceDefinition(key: "b", url: "https://b.example/feed"),
            ],
            now: now)
    }

    func day(_ month: Int, _ day: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(DateParserDays.days(2026, month, day) * 86_400 + 36_000))
    }

    func store(_ key: String, _ entries: [(String, Date)]) throws {
        let feed = ParsedFeed(
            metadata: FeedMetadata(title: key, format: .rss20),
            entries: entries.map {
                ParsedEntry(id: $0.0, title: $0.0, link: "https://\(key).example/\($0.0)", published: $0.1)
            })
        try store.recordSuccess(key: key, feed: feed, validators: Validators(), status: 200, now: now)
    }

    /// The months as a scan of the entries gives them: what the kept counts must always equal.
    func scannedMonths() throws -> [MonthCount] {
        try store.database.query(
            """
            SELECT CAST(strftime('%Y', e.sort_date, 'unixepoch') AS INTEGER),
                   CAST(strftime('%m', e.sort_date, 'unixepoch') AS INTEGER), COUNT(*)
            FROM entries e JOIN sources s ON s.id = e.source_id AND s.active = 1
            GROUP BY 1, 2 ORDER BY 1 DESC, 2 DESC
            """
        ).map { MonthCount(year: $0.int(0) ?? 0, month: $0.int(1) ?? 0, count: $0.int(2) ?? 0) }
    }

    @Test func monthCountsFollowInsertsMovesPrunesAndInactiveSources() throws {
        try store("a", [("a1", day(1, 5)), ("a2", day(2, 5)), ("a3", day(2, 9))])
        try store("b", [("b1", day(2, 6)), ("b2", day(3, 1))])
        #expect(try store.months() == scannedMonths())
        #expect(try store.months().map(\.count) == [1, 3, 1])
        // A post re-dated into another month moves between the counts.
        try store("b", [("b1", day(1, 6)), ("b2", day(3, 1))])
        #expect(try store.months() == scannedMonths())
        try store.prune(olderThan: day(2, 1), now: now)
        #expect(try store.months() == scannedMonths())
        try store.register([SourceDefinition(key: "a", url: "https://a.example/feed")], now: now)
        #expect(try store.months() == scannedMonths())
        #expect(try store.months().map(\.count) == [2])
    }

    @Test func changedMonthsAreMarkedAndClearedOnlyUpToWhatWasPublished() throws {
        try store("a", [("a1", day(1, 5)), ("a2", day(2, 5))])
        #expect(try store.dirtyMonths() == [MonthKey(year: 2026, month: 1), MonthKey(year: 2026, month: 2)])
        let published = try store.changeCounter()
        try store.clearDirtyMonths(try store.dirtyMonths(), upTo: published)
        #expect(try store.dirtyMonths().isEmpty)
        try store("a", [("a1", day(1, 5)), ("a2", day(2, 5)), ("a3", day(3, 7))])
        #expect(try store.dirtyMonths() == [MonthKey(year: 2026, month: 3)])
        // A publish that read the store before that change must not clear its mark.
        try store.clearDirtyMonths([MonthKey(year: 2026, month: 3)], upTo: published)
        #expect(try store.dirtyMonths() == [MonthKey(year: 2026, month: 3)])
    }

    @Test func theSameConfigurationIsNotRegisteredAgain() throws {
        let definitions = [
            SourceDefinition(key: "a", url: "https://a.example/feed"),
            SourceDefinition(key: "b", url: "https://b.example/feed"),
        ]
        // A mark no registration would leave: if the rows were rewritten, it would be gone.
        try store.database.query("UPDATE sources SET active = 0")
        try store.register(definitions, now: now)
        #expect(try store.sources().isEmpty, "the same definitions: nothing written")
        try store.register(definitions + [SourceDefinition(key: "c", url: "https://c.example/feed")], now: now)
        #expect(try store.sources().map(\.key) == ["a", "b", "c"])
        #expect(try store.sources().map(\.entryCount) == [0, 0, 0])
    }

    @Test func hotQueriesUseIndexesNotScansOfEntries() throws {
        let months = try store.database.query("EXPLAIN QUERY PLAN " + Store.monthsQuery).compactMap { $0.string(3) }
        #expect(!months.contains { $0.contains("entries") }, "\(months)")
        // Neither the per-source counts (a row per source and month) nor the sources are read whole: only the
        // inactive sources, through their partial index.
        #expect(!months.contains { $0.hasPrefix("SCAN m") }, "\(months)")
        #expect(months.filter { $0.hasPrefix("SCAN s") } == ["SCAN s USING INDEX sources_inactive"], "\(months)")
        let prune = try store.database.query("EXPLAIN QUERY PLAN " + Store.pruneFetchLogQuery, [.integer(0)])
            .compactMap { $0.string(3) }
        #expect(
            prune.contains {
                $0.contains("USING COVERING INDEX fetch_log_by_time") || $0.contains("USING INDEX fetch_log_by_time")
            }, "\(prune)")
    }

    /// What every round runs per source or per entry, and what every publish reads: each finds its rows
    /// through an index, never by reading a whole table of entries, bodies, counts or tombstones.
    @Test(arguments: [
        ("match by id", Store.matchByIDQuery, 2), ("match by alias", Store.matchByAliasQuery, 2),
        ("tombstone", Store.tombstoneQuery, 4), ("posting dates", Store.postingDatesQuery, 2),
        ("sources", Store.sourcesQuery, 0),
        ("a month's entries", Store.entriesQuery(where: "e.sort_date >= ? AND e.sort_date < ?", withBodies: false), 3),
        ("newest with bodies", Store.entriesQuery(where: "1", withBodies: true), 1),
        ("a source's newest with bodies", Store.sourceFeedQuery, 2),
    ])
    func perRoundQueriesFindTheirRowsThroughIndexes(name: String, sql: String, arguments: Int) throws {
        let plan = try store.database.query(
            "EXPLAIN QUERY PLAN " + sql, Array(repeating: .integer(1), count: arguments)
        )
        .compactMap { $0.string(3) }
        let scans = plan.filter { $0.hasPrefix("SCAN") }
        // The sources query reads every source (its purpose) in key order; the newest entries walk the date
        // index from its newest end and stop at the limit. Nothing else is read whole.
        let allowed = [
            "sources": ["SCAN sources USING INDEX sqlite_autoindex_sources_1"],
            "newest with bodies": ["SCAN e USING INDEX entries_by_date"],
        ]
        #expect(scans == allowed[name] ?? [], "\(name): \(plan)")
        // Entries come in order from an index, unsorted: a sort of rows with their bodies wrote each of them to
        // a temporary file first (even a "right part" sort, within one date). Posting dates sort one source's
        // dates alone, which is cheap.
        if name != "posting dates" { #expect(!plan.contains { $0.contains("USE TEMP B-TREE") }, "\(name): \(plan)") }
    }
}

/// Days since 1970 for a civil date (the test's own arithmetic, so it does not lean on the code under test).
enum DateParserDays {
    static func days(_ year: Int, _ month: Int, _ day: Int) -> Int {
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return Int(calendar.date(from: components)!.timeIntervalSince1970 / 86_400)
    }
}
