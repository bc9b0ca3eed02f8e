import Foundation
import Parsing
import TestSupport
import Testing

@testable import Storage

@Suite struct StoreTests {
    let directory: TemporaryDirectory
    let store: Store
    let now = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12T12:00:00Z

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("store.sqlite").path)
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/feed", title: "A Blog")], now: now)
    }

    func feed(_ entries: [ParsedEntry]) -> ParsedFeed {
        ParsedFeed(
            metadata: FeedMetadata(title: "Blog's own title", link: "https://blog.example/", format: .rss20),
            entries: entries)
    }

    func entry(_ id: String, title: String = "Title", published: Date? = nil) -> ParsedEntry {
        ParsedEntry(
            id: id, title: title, link: "https://blog.example/\(id)", published: published, summary: "<p>s</p>",
            wordCount: 1, excerpt: "s")
    }

    @Test func createsASchemaVersionedDatabaseInWALMode() throws {
        #expect(try store.schemaVersion == Migrations.latestVersion)
        // The WAL file exists beside the database once it has been written.
        #expect(FileManager.default.fileExists(atPath: directory.file("store.sqlite-wal").path))
    }

    @Test func anEntrySeenAgainIsUpdatedInPlaceNeverDuplicated() throws {
        let first = try store.recordSuccess(
            key: "blog", feed: feed([entry("a"), entry("b")]), validators: Validators(), status: 200, now: now)
        #expect(first == EntryChanges(new: 2))
        let again = try store.recordSuccess(
            key: "blog", feed: feed([entry("a"), entry("b")]), validators: Validators(), status: 200, now: now)
        #expect(again == EntryChanges(unchanged: 2))
        let edited = try store.recordSuccess(
            key: "blog", feed: feed([entry("a", title: "New title"), entry("b")]), validators: Validators(),
            status: 200, now: now)
        #expect(edited == EntryChanges(updated: 1, unchanged: 1))
        let stored = try store.latestEntries(limit: 10)
        #expect(stored.count == 2)
        #expect(stored.contains { $0.entryID == "a" && $0.title == "New title" })
    }

    @Test func undatedEntriesGetTheirFirstSeenTimeOnceInPageOrder() throws {
        try store.recordSuccess(
            key: "blog", feed: feed([entry("top"), entry("second")]), validators: Validators(), status: 200, now: now)
        let later = now.addingTimeInterval(86_400)
        try store.recordSuccess(
            key: "blog", feed: feed([entry("new"), entry("top", title: "Edited"), entry("second")]),
            validators: Validators(), status: 200, now: later)
        let stored = try store.latestEntries(limit: 10)
        #expect(stored.map(\.entryID) == ["new", "top", "second"])
        let top = try #require(stored.first { $0.entryID == "top" })
        #expect(top.firstSeen == now)
        #expect(top.date == now)
        #expect(stored.first { $0.entryID == "second" }?.date == now.addingTimeInterval(-60))
    }

    @Test func keepsValidatorsAndCountsFailuresWithoutTouchingEntries() throws {
        try store.recordSuccess(
            key: "blog", feed: feed([entry("a")]),
            validators: Validators(etag: "\"v1\"", lastModified: "Thu, 12 Mar 2026 10:00:00 GMT"), status: 200, now: now
        )
        try store.recordFailure(key: "blog", status: 500, error: "HTTP 500", now: now)
        try store.recordFailure(key: "blog", status: nil, error: "timed out", now: now)
        let source = try #require(try store.sources().first)
        #expect(source.consecutiveFailures == 2)
        #expect(source.lastError == "timed out")
        #expect(source.entryCount == 1)
        #expect(
            try store.sources().first?.validators
                == Validators(etag: "\"v1\"", lastModified: "Thu, 12 Mar 2026 10:00:00 GMT"))
        try store.recordNotModified(key: "blog", status: 304, now: now)
        let recovered = try #require(try store.sources().first)
        #expect(recovered.consecutiveFailures == 0)
        #expect(recovered.lastError == nil)
        #expect(recovered.lastStatus == 304)
    }

    @Test func aChangedURLForgetsTheOldValidators() throws {
        try store.recordSuccess(
            key: "blog", feed: feed([]), validators: Validators(etag: "\"v1\""), status: 200, now: now)
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/feed", title: "A Blog")], now: now)
        #expect(try store.sources().first?.validators.etag == "\"v1\"")
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/new-feed", title: nil)], now: now)
        #expect(try store.sources().first?.validators == Validators())
        #expect(try store.sources().first?.displayTitle == "Blog's own title")
    }

    /// A source given extraction rules reads its page: a feed once discovered on it is no longer where it is
    /// fetched from.
    @Test func aSourceThatNowReadsItsPageForgetsItsDiscoveredFeed() throws {
        try store.setDiscoveredURL("https://blog.example/found.xml", for: "blog")
        #expect(try store.sources().first?.fetchURL == "https://blog.example/found.xml")
        try store.register(
            [SourceDefinition(key: "blog", url: "https://blog.example/feed", title: "A Blog", readsPage: true)], now: now)
        #expect(try store.sources().first?.fetchURL == "https://blog.example/feed")
    }

    @Test func groupsEntriesByUTCMonthNewestFirst() throws {
        let march = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12
        let february = Date(timeIntervalSince1970: 1_771_286_400)  // 2026-02-17
        let lastSecondOfFebruary = Date(timeIntervalSince1970: 1_772_323_199)  // 2026-02-28T23:59:59Z
        try store.recordSuccess(
            key: "blog",
            feed: feed([
                entry("m", published: march), entry("f", published: february),
                entry("edge", published: lastSecondOfFebruary),
            ]),
            validators: Validators(), status: 200, now: now)
        #expect(
            try store.months() == [
                MonthCount(year: 2026, month: 3, count: 1), MonthCount(year: 2026, month: 2, count: 2),
            ])
        #expect(try store.entries(year: 2026, month: 2).map(\.entryID) == ["edge", "f"])
        #expect(try store.entries(year: 2026, month: 3).map(\.entryID) == ["m"])
    }

    @Test func reopeningKeepsEverything() throws {
        try store.recordSuccess(key: "blog", feed: feed([entry("a")]), validators: Validators(), status: 200, now: now)
        let reopened = try Store(path: directory.file("store.sqlite").path)
        #expect(try reopened.latestEntries(limit: 5).map(\.entryID) == ["a"])
        #expect(try reopened.schemaVersion == store.schemaVersion)
    }

    @Test func refusesADatabaseFromANewerTidings() throws {
        let path = directory.file("future.sqlite").path
        do { _ = try Store(path: path) }  // closed again, so the file is complete without its WAL
        // The schema version is the big-endian `user_version` at byte 60 of the SQLite header.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: 60)
        try handle.write(contentsOf: Data([0, 0, 0x03, 0xE7]))  // 999
        try handle.close()
        let error = #expect(throws: StoreError.self) { try Store(path: path) }
        #expect(error?.description.contains("schema version 999") == true)
    }

    @Test func namesTheFileWhenItCannotOpen() {
        let path = directory.file("missing/folder/store.sqlite").path
        let error = #expect(throws: StoreError.self) { try Store(path: path) }
        #expect(error?.description.contains(path) == true)
    }
}

extension StoreTests {
    @Test func aSourceRemovedFromTheConfigurationIsNoLongerPublishedButKept() throws {
        try store.register(
            [
                SourceDefinition(key: "blog", url: "https://blog.example/feed"),
                SourceDefinition(key: "other", url: "https://other.example/feed"),
            ], now: now)
        try store.recordSuccess(
            key: "blog", feed: feed([entry("a", published: now)]), validators: Validators(), status: 200, now: now)
        try store.recordSuccess(
            key: "other", feed: feed([entry("b", published: now)]), validators: Validators(), status: 200, now: now)
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/feed")], now: now)
        #expect(try store.latestEntries(limit: 10).map(\.entryID) == ["a"])
        #expect(try store.months() == [MonthCount(year: 2026, month: 3, count: 1)])
        #expect(try store.sources().map(\.key) == ["blog"])
        try store.register(
            [
                SourceDefinition(key: "blog", url: "https://blog.example/feed"),
                SourceDefinition(key: "other", url: "https://other.example/feed"),
            ], now: now)
        #expect(try store.latestEntries(limit: 10).count == 2, "adding it back loses nothing")
    }
}

extension StoreTests {
    func linked(_ id: String, _ link: String, title: String = "Post") -> ParsedEntry {
        ParsedEntry(id: id, title: title, link: link, published: now, summary: "<p>s</p>", wordCount: 1)
    }

    @Test func aPublisherMovingToHTTPSWithNewGUIDsCreatesNoDuplicates() throws {
        try store.recordSuccess(
            key: "blog", feed: feed([linked("http://blog.example/?p=1", "http://www.blog.example/post-one/")]),
            validators: Validators(), status: 200, now: now)
        let moved = try store.recordSuccess(
            key: "blog",
            feed: feed([linked("https://blog.example/post-one", "https://blog.example/post-one?utm_source=rss")]),
            validators: Validators(), status: 200, now: now)
        #expect(moved == EntryChanges(updated: 1))
        let stored = try store.latestEntries(limit: 10)
        #expect(stored.count == 1)
        #expect(stored.first?.entryID == "https://blog.example/post-one", "the stored id follows the publisher")
        let again = try store.recordSuccess(
            key: "blog",
            feed: feed([linked("https://blog.example/post-one", "https://blog.example/post-one?utm_source=rss")]),
            validators: Validators(), status: 200, now: now)
        #expect(again == EntryChanges(unchanged: 1))
    }

    @Test func liveEntriesSharingALinkStayApart() throws {
        let changes = try store.recordSuccess(
            key: "blog",
            feed: feed([
                linked("release-1", "https://blog.example/", title: "1.0"),
                linked("release-2", "https://blog.example/", title: "2.0"),
            ]),
            validators: Validators(), status: 200, now: now)
        #expect(changes == EntryChanges(new: 2))
        #expect(try store.latestEntries(limit: 10).count == 2)
    }
}

extension StoreTests {
    @Test func aNewItemOnASharedPageIsNotMergedIntoOneThatDroppedOff() throws {
        let page = "https://blog.example/releases"
        var first = linked("release-1", page, title: "1.0")
        first.published = now.addingTimeInterval(-30 * 86_400)
        try store.recordSuccess(key: "blog", feed: feed([first]), validators: Validators(), status: 200, now: now)
        let changes = try store.recordSuccess(
            key: "blog", feed: feed([linked("release-2", page, title: "2.0")]), validators: Validators(), status: 200,
            now: now)
        #expect(changes == EntryChanges(new: 1))
        #expect(try store.latestEntries(limit: 10).count == 2)
    }
}

extension StoreTests {
    @Test func prunedEntriesLeaveTombstonesAndNeverComeBackAsNew() throws {
        let old = now.addingTimeInterval(-400 * 86_400)
        try store.recordSuccess(
            key: "blog",
            feed: feed(
                [linked("old", "https://blog.example/old-post"), entry("fresh", published: now)].map {
                    var entry = $0
                    if entry.id == "old" { entry.published = old }
                    return entry
                }), validators: Validators(), status: 200, now: now)
        #expect(try store.prune(olderThan: now.addingTimeInterval(-365 * 86_400), now: now) == 1)
        #expect(try store.latestEntries(limit: 10).map(\.entryID) == ["fresh"])
        var again = linked("old", "https://blog.example/old-post")
        again.published = old
        var renamed = linked("old-with-a-new-guid", "https://www.blog.example/old-post/")
        renamed.published = old
        let changes = try store.recordSuccess(
            key: "blog", feed: feed([again, renamed, entry("fresh", published: now)]), validators: Validators(),
            status: 200,
            now: now)
        #expect(changes.new == 0)
        #expect(try store.latestEntries(limit: 10).map(\.entryID) == ["fresh"])
    }
}

extension StoreTests {
    @Test func aClampedFutureDateStaysPutOnLaterRefreshes() throws {
        // The parser clamps a future date to each fetch's time; the stored date must not follow it.
        try store.recordSuccess(
            key: "blog", feed: feed([entry("future", published: now)]), validators: Validators(), status: 200, now: now)
        let later = now.addingTimeInterval(3600)
        let changes = try store.recordSuccess(
            key: "blog", feed: feed([entry("future", published: later)]), validators: Validators(), status: 200,
            now: later)
        #expect(changes == EntryChanges(unchanged: 1))
        #expect(try store.latestEntries(limit: 1).first?.date == now)
    }
}

extension StoreTests {
    /// A reader never upgrades a file: one from an older Tidings is refused in words, not with a missing column.
    @Test func aReaderRefusesAnOlderSchemaInWords() throws {
        try store.database.execute("PRAGMA user_version = \(Migrations.latestVersion - 1)")
        #expect {
            _ = try StoreReader(path: store.path)
        } throws: { error in
            "\(error)".contains("from an older Tidings") && "\(error)".contains("tidings refresh")
        }
    }
}
