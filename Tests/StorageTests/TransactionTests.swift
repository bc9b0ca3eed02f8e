import Foundation
import Parsing
import TestSupport
import Testing

@testable import Storage

/// One source's result is one transaction: when any part of it fails, none of it is stored.
@Suite struct TransactionTests {
    @Test func aFailureHalfwayThroughASourceStoresNothingOfIt() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("store.sqlite").path
        let store = try Store(path: path)
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/feed")])
        // A second connection makes the second entry's insert fail, as a full disk or a crash would.
        let other = try Database(path: path)
        try other.execute(
            """
            CREATE TRIGGER poison BEFORE INSERT ON entries WHEN NEW.entry_id = 'poison'
            BEGIN SELECT RAISE(ABORT, 'poisoned'); END;
            """)
        let feed = ParsedFeed(
            metadata: FeedMetadata(title: "Blog", format: .rss20),
            entries: [ParsedEntry(id: "good", title: "Good"), ParsedEntry(id: "poison", title: "Poison")])
        #expect(throws: StoreError.self) {
            try store.recordSuccess(key: "blog", feed: feed, validators: Validators(etag: "\"v1\""), status: 200)
        }
        #expect(try store.latestEntries(limit: 10).isEmpty, "the first entry was rolled back with the second")
        let source = try #require(try store.sources().first)
        #expect(source.lastStatus == nil)
        #expect(source.etag == nil, "the validators were not stored either")
    }

    @Test func anInnerFailureCommitsNothingEvenWhenItsCallerGoesOn() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.file("plain.sqlite").path)
        try database.execute("CREATE TABLE t (v INTEGER)")
        #expect(throws: StoreError.self) {
            try database.transaction { () throws(StoreError) in
                try database.query("INSERT INTO t VALUES (1)")
                // A caller that swallows an inner failure still cannot commit the half it wrote.
                _ = try? database.transaction { () throws(StoreError) in
                    try database.query("INSERT INTO t VALUES (2)")
                    try database.query("INSERT INTO missing VALUES (3)")
                }
                try database.query("INSERT INTO t VALUES (4)")
            }
        }
        #expect(try database.query("SELECT COUNT(*) FROM t").first?.int(0) == 0)
        // The next transaction starts clean.
        try database.transaction { () throws(StoreError) in
            _ = try database.transaction { () throws(StoreError) in try database.query("INSERT INTO t VALUES (5)") }
        }
        #expect(try database.query("SELECT v FROM t").compactMap { $0.int(0) } == [5])
    }
}
