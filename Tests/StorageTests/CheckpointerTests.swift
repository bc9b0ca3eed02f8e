import Foundation
import Parsing
import TestSupport
import Testing

@testable import Storage

/// The write-ahead log is copied back into the database by a thread of its own, often enough that the log
/// stays short while a writer keeps committing.
@Suite struct CheckpointerTests {
    @Test func theLogStaysShortWhileAWriterCommitsMuchMore() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("store.sqlite").path
        // 64 pages: a checkpoint asked for every 256 KB of log.
        let store = try Store(path: path, checkpointAfter: 64)
        let keys = (0..<40).map { "blog\($0)" }
        try store.register(keys.map { SourceDefinition(key: $0, url: "https://\($0).example/feed") })
        let body = String(repeating: "A paragraph of a long post, long enough to fill pages. ", count: 100)
        for key in keys {
            let feed = ParsedFeed(
                metadata: FeedMetadata(title: key, format: .rss20),
                entries: (0..<20).map { ParsedEntry(id: "\(key)-\($0)", title: "Post \($0)", content: body) })
            try store.recordSuccess(key: key, feed: feed, validators: Validators(), status: 200)
        }
        let database = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let log = try #require(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int)
        // 800 bodies of 5.6 KB: about 4.5 MB in the database. Without checkpoints the log holds all of it and
        // the database file none; with them, the log starts over and stays a fraction of what was written.
        #expect(database > 4_000_000, "the entries were copied into the database file")
        #expect(log < database / 2, "log \(log) bytes, database \(database) bytes")
        #expect(try store.latestEntries(limit: 1000).count == 800)
    }
}
