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
            let list: [String] = Store.decodeList(value)
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

    /// Whether the entry at `rowID` is in the index (a queued one is not yet).
    func isIndexed(_ rowID: Int64) throws(StoreError) -> Bool {
        !(try database.query("SELECT 1 FROM entry_search_docsize WHERE id = ?", [.integer(rowID)]).isEmpty)
    }

    /// Takes the entry at `rowID` out of the index, from what is stored now, and queues it to be indexed
    /// again: called before its indexed values change. One not indexed yet just stays queued.
    func reindexLater(rowID: Int64) throws(StoreError) {
        if try isIndexed(rowID) {
            try database.query(
                """
                INSERT INTO entry_search (entry_search, rowid, \(Self.indexedColumns))
                SELECT 'delete', id, \(Self.indexedColumns) FROM entry_search_source WHERE id = ?
                """, [.integer(rowID)])
        }
        try indexLater(rowID: rowID)
    }

    /// Queues a new entry to be indexed (`indexPending`).
    func indexLater(rowID: Int64) throws(StoreError) {
        try database.query("INSERT OR IGNORE INTO search_pending (entry) VALUES (?)", [.integer(rowID)])
    }

    static let pendingCount = "SELECT count(*) FROM search_pending"

    /// How many entries wait to be indexed.
    public func searchPending() throws(StoreError) -> Int {
        try database.query(Self.pendingCount).first?.int(0) ?? 0
    }

    /// Indexes the entries waiting in `search_pending`, `batch` at a time, each batch its own transaction (a
    /// process stopped between batches goes on where it stopped next time), telling `progress` (indexed,
    /// waiting when it began) after each. Run once a refresh has published, and when the daemon starts.
    public func indexPending(batch: Int = 2_000, progress: ((Int, Int) -> Void)? = nil) throws(StoreError) {
        let total = try searchPending()
        var done = 0
        while done < total {
            let indexed = try database.transaction { () throws(StoreError) -> Int in
                let ids = try database.query(
                    "SELECT entry FROM search_pending ORDER BY entry LIMIT ?", [.integer(Int64(batch))]
                ).compactMap { $0.int(0) }
                guard !ids.isEmpty else { return 0 }
                let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
                try database.query(
                    """
                    INSERT INTO entry_search (rowid, \(Self.indexedColumns))
                    SELECT id, \(Self.indexedColumns) FROM entry_search_source
                    WHERE id IN (SELECT value FROM json_each(?))
                        AND NOT EXISTS (SELECT 1 FROM entry_search_docsize d WHERE d.id = entry_search_source.id)
                    """, [.text(list)])
                try database.query(
                    "DELETE FROM search_pending WHERE entry IN (SELECT value FROM json_each(?))", [.text(list)])
                return ids.count
            }
            if indexed == 0 { return }
            done += indexed
            progress?(done, total)
        }
    }
}
