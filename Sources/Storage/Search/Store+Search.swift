import Foundation
import Parsing

/// What the search index holds for each stored value: the kinds `tidings_search_text(value, kind)` takes.
/// Written and removed from the same stored values through the same function, so what is removed is what
/// was written. (Changing what this computes needs a migration that rebuilds the index.)
enum SearchColumn {
    static let plain = 0
    static let sanitizedHTML = 1
    static let categoriesJSON = 2

    static func text(_ value: String, kind: Int) -> String {
        switch kind {
        case sanitizedHTML:
            return SearchText.indexed(SearchText.visibleText(ofSanitized: value))
        case categoriesJSON:
            let list = (try? JSONDecoder().decode([String].self, from: Data(value.utf8))) ?? []
            return SearchText.indexed(list.joined(separator: " · "))
        default:
            return SearchText.indexed(value)
        }
    }
}

/// The search index (`entry_search`, FTS5 over the view `entry_search_source`, so it keeps no copy of the
/// text): written with each entry, and built in batches for the entries stored before it existed.
extension Store {
    static let indexedColumns = "title, author, categories, summary, content"

    /// Whether the entry at `rowID` is in the index (the backfill may not have reached it yet).
    func isIndexed(_ rowID: Int64) throws(StoreError) -> Bool {
        !(try database.query("SELECT 1 FROM entry_search_docsize WHERE id = ?", [.integer(rowID)]).isEmpty)
    }

    /// Adds the stored entry at `rowID` to the index, from what is stored now.
    func index(rowID: Int64) throws(StoreError) {
        try database.query(
            """
            INSERT INTO entry_search (rowid, \(Self.indexedColumns))
            SELECT id, \(Self.indexedColumns) FROM entry_search_source WHERE id = ?
            """, [.integer(rowID)])
    }

    /// Takes the entry at `rowID` out of the index, from what is stored now: called before it changes.
    func unindex(rowID: Int64) throws(StoreError) {
        guard try isIndexed(rowID) else { return }
        try database.query(
            """
            INSERT INTO entry_search (entry_search, rowid, \(Self.indexedColumns))
            SELECT 'delete', id, \(Self.indexedColumns) FROM entry_search_source WHERE id = ?
            """, [.integer(rowID)])
    }

    /// How far the index is from holding every entry stored before it existed: (indexed, to index); nil when
    /// it is complete.
    public func searchBackfill() throws(StoreError) -> (done: Int, total: Int)? {
        guard let end = try value(.searchIndexEnd).flatMap({ Int64($0) }) else { return nil }
        let total = try database.query("SELECT count(*) FROM entries WHERE id <= ?", [.integer(end)]).first?.int(0) ?? 0
        let done = try database.query(
            "SELECT count(*) FROM entry_search_docsize WHERE id <= ?", [.integer(end)]).first?.int(0) ?? 0
        return (done, total)
    }

    /// Indexes the entries stored before the index existed, `batch` at a time, each batch its own transaction
    /// (a process stopped between batches goes on where it stopped), telling `progress` (indexed, total)
    /// after each. Does nothing once the index is complete.
    public func buildSearchIndex(batch: Int = 2_000, progress: ((Int, Int) -> Void)? = nil) throws(StoreError) {
        guard let end = try value(.searchIndexEnd).flatMap({ Int64($0) }) else { return }
        let total = try database.query("SELECT count(*) FROM entries WHERE id <= ?", [.integer(end)]).first?.int(0) ?? 0
        var done = 0
        while true {
            let indexed = try database.transaction { () throws(StoreError) -> Int in
                let from = try value(.searchIndexed).flatMap { Int64($0) } ?? 0
                let ids = try database.query(
                    """
                    SELECT e.id FROM entries e WHERE e.id > ? AND e.id <= ?
                        AND NOT EXISTS (SELECT 1 FROM entry_search_docsize d WHERE d.id = e.id)
                    ORDER BY e.id LIMIT ?
                    """, [.integer(from), .integer(end), .integer(Int64(batch))]
                ).compactMap { $0.int(0) }
                guard let last = ids.last else {
                    try setValue(nil, .searchIndexed)
                    try setValue(nil, .searchIndexEnd)
                    return 0
                }
                try database.query(
                    """
                    INSERT INTO entry_search (rowid, \(Self.indexedColumns))
                    SELECT id, \(Self.indexedColumns) FROM entry_search_source WHERE id >= ? AND id <= ?
                        AND id IN (SELECT value FROM json_each(?))
                    """, [.integer(Int64(ids[0])), .integer(Int64(last)), .text("[" + ids.map(String.init).joined(separator: ",") + "]")])
                try setValue(String(last), .searchIndexed)
                return ids.count
            }
            if indexed == 0 { return }
            done += indexed
            progress?(done, total)
        }
    }
}
