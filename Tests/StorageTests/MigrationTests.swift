import Foundation
import Parsing
import TestSupport
import Testing

@testable import Storage

/// A store written by an earlier release reaches the current schema with its entries intact.
@Suite struct MigrationTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A database as a release with schema `version` left it, holding one source with `entries` entries
    /// whose summaries and contents are 2 KB each (the first has none), inline before version 7.
    func database(atVersion version: Int, entries: Int) throws -> String {
        let path = directory.file("v\(version).sqlite").path
        let database = try Database(path: path)
        for step in 0..<version {
            try database.execute(Migrations.steps[step])
            try Migrations.backfills[step + 1]?(database)
        }
        try database.execute("PRAGMA user_version = \(version)")
        try database.execute(
            "INSERT INTO sources (id, key, url, created_at) VALUES (1, 'blog', 'https://b.example/', 0)")
        let body = String(repeating: "<p>words</p>", count: 170)
        for number in 0..<entries {
            let summary: SQLValue = number == 0 ? .null : .text("summary \(number) \(body)")
            let content: SQLValue = number == 0 ? .null : .text("content \(number) \(body)")
            let date = SQLValue.integer(1_773_316_800 + Int64(number))
            if version < 7 {
                try database.query(
                    """
                    INSERT INTO entries (source_id, entry_id, title, summary, content, sort_date, first_seen_at,
                        fingerprint, public_id)
                    VALUES (1, ?, 'Post', ?, ?, ?, 0, 'f', ?)
                    """, [.text("post-\(number)"), summary, content, date, .text("urn:test:\(number)")])
            } else {
                try database.query(
                    """
                    INSERT INTO entries (id, source_id, entry_id, title, sort_date, first_seen_at, fingerprint, public_id)
                    VALUES (?, 1, ?, 'Post', ?, 0, 'f', ?)
                    """, [.integer(Int64(number + 1)), .text("post-\(number)"), date, .text("urn:test:\(number)")])
                if number > 0 {
                    try database.query(
                        "INSERT INTO entry_bodies (entry, summary, content) VALUES (?, ?, ?)",
                        [.integer(Int64(number + 1)), summary, content])
                }
            }
        }
        return path
    }

    @Test func bodiesMoveToTheirOwnTableAndTheFileIsCompacted() throws {
        let path = try database(atVersion: 6, entries: 300)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let store = try Store(path: path)
        #expect(try store.schemaVersion == Migrations.latestVersion)
        let entries = try store.latestEntries(limit: 1000)
        #expect(entries.count == 300)
        let newest = try #require(entries.first)
        #expect(newest.entryID == "post-299")
        #expect(newest.summary?.hasPrefix("summary 299 <p>words</p>") == true)
        #expect(newest.content?.hasPrefix("content 299 <p>words</p>") == true)
        #expect(newest.publicID == "urn:test:299")
        #expect(try store.months() == [MonthCount(year: 2026, month: 3, count: 300)], "month totals filled")
        #expect(newest.hasContent, "a stored content is known to the pages, which read no bodies")
        // An entry with neither keeps none, and gets no row of bodies.
        #expect(entries.last?.summary == nil && entries.last?.content == nil && entries.last?.hasContent == false)
        #expect(try store.database.query("SELECT COUNT(*) FROM entry_bodies").first?.int(0) == 299)
        let columns = try store.database.query("PRAGMA table_info(entries)").compactMap { $0.string(1) }
        #expect(!columns.contains("summary") && !columns.contains("content"))
        // The space the bodies left in the entries table is given back, not kept as a hole as large as them.
        #expect(try store.database.query("PRAGMA freelist_count").first?.int(0) ?? 0 < 10)
        let pages = try store.database.query("PRAGMA page_count").first?.int(0) ?? 0
        let pageSize = try store.database.query("PRAGMA page_size").first?.int(0) ?? 0
        #expect(pages * pageSize < before * 3 / 2)
    }

    @Test func deletingAnEntryDeletesItsBodies() throws {
        let store = try Store(path: try database(atVersion: 6, entries: 5))
        try store.prune(olderThan: Date(timeIntervalSince1970: 1_773_316_803))
        #expect(try store.database.query("SELECT COUNT(*) FROM entry_bodies").first?.int(0) == 2)
    }

    @Test func entriesStoredBeforeLeadImagesGetTheirImageEnclosure() throws {
        let path = try database(atVersion: 9, entries: 2)
        do {
            let database = try Database(path: path)
            try database.execute(
                """
                UPDATE entries SET enclosures = '[{"type":"audio/mpeg","url":"https://b.example/1.mp3"},\
                {"type":"image/JPEG","url":"https://b.example/1.jpg"}]' WHERE entry_id = 'post-1'
                """)
        }
        let store = try Store(path: path)
        let entries = try store.latestEntries(limit: 10)
        #expect(entries.first { $0.entryID == "post-1" }?.image == "https://b.example/1.jpg")
        #expect(entries.first { $0.entryID == "post-0" }?.image == nil)
    }
}
