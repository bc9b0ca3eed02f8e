import Foundation
import Parsing

/// The search index (`entry_search`, FTS5): written with each entry, and built in batches for the entries
/// stored before it existed.
extension Store {
    /// Indexes `entry` (stored at `rowID`) in place of what the index held for it. The text comes from the
    /// parse (the word count's text); an entry whose bodies came from the store (a merge kept them) is read
    /// from its HTML.
    func index(_ entry: ParsedEntry, rowID: Int64, replacing: Bool) throws(StoreError) {
        let summary = entry.summaryText ?? entry.summary.map(PlainText.fromHTML)
        let content = entry.contentText ?? entry.content.map(PlainText.fromHTML)
        if replacing { try database.query("DELETE FROM entry_search WHERE rowid = ?", [.integer(rowID)]) }
        try insertSearchRow(
            rowID: rowID, title: entry.title, author: entry.author, categories: entry.categories, summary: summary,
            content: content)
    }

    private func insertSearchRow(
        rowID: Int64, title: String?, author: String?, categories: [String], summary: String?, content: String?
    ) throws(StoreError) {
        let indexed = { (text: String?) in SQLValue(text.map(SearchText.indexed)) }
        try database.query(
            "INSERT INTO entry_search (rowid, title, author, categories, summary, content) VALUES (?, ?, ?, ?, ?, ?)",
            [
                .integer(rowID), indexed(title), indexed(author), indexed(categories.joined(separator: " · ")),
                indexed(summary), indexed(content),
            ])
    }

    /// How far the index is from holding every entry stored before it existed: (indexed, to index); nil when
    /// it is complete.
    public func searchBackfill() throws(StoreError) -> (done: Int, total: Int)? {
        guard let end = try value(.searchIndexEnd).flatMap({ Int($0) }) else { return nil }
        let next = try value(.searchIndexed).flatMap { Int($0) } ?? 0
        let done = try database.query("SELECT count(*) FROM entries WHERE id <= ?", [.integer(Int64(next))]).first?.int(0)
        let total = try database.query("SELECT count(*) FROM entries WHERE id <= ?", [.integer(Int64(end))]).first?.int(0)
        return (done ?? 0, total ?? 0)
    }

    /// Indexes the entries stored before the index existed, `batch` at a time, each batch its own transaction
    /// (a process stopped between batches goes on where it stopped), telling `progress` (indexed, total)
    /// after each. Does nothing once the index is complete.
    public func buildSearchIndex(batch: Int = 2_000, progress: ((Int, Int) -> Void)? = nil) throws(StoreError) {
        guard let end = try value(.searchIndexEnd).flatMap({ Int64($0) }) else { return }
        let total = try database.query("SELECT count(*) FROM entries WHERE id <= ?", [.integer(end)]).first?.int(0) ?? 0
        var done = 0
        while true {
            let finished = try database.transaction { () throws(StoreError) -> Bool in
                let from = try value(.searchIndexed).flatMap { Int64($0) } ?? 0
                let rows = try database.query(
                    """
                    SELECT e.id, e.title, e.author, e.categories, b.summary, b.content FROM entries e
                    LEFT JOIN entry_bodies b ON b.entry = e.id WHERE e.id > ? AND e.id <= ? ORDER BY e.id LIMIT ?
                    """, [.integer(from), .integer(end), .integer(Int64(batch))])
                guard let last = rows.last?.int(0) else {
                    try setValue(nil, .searchIndexed)
                    try setValue(nil, .searchIndexEnd)
                    return true
                }
                for row in rows {
                    guard let id = row.int(0) else { continue }
                    let categories = (try? JSONDecoder().decode([String].self, from: Data((row.string(3) ?? "[]").utf8))) ?? []
                    try database.query("DELETE FROM entry_search WHERE rowid = ?", [.integer(Int64(id))])
                    try insertSearchRow(
                        rowID: Int64(id), title: row.string(1), author: row.string(2), categories: categories,
                        summary: row.string(4).map(PlainText.fromHTML), content: row.string(5).map(PlainText.fromHTML))
                }
                done += rows.count
                try setValue(String(last), .searchIndexed)
                return false
            }
            if finished { return }
            progress?(done, total)
        }
    }
}
