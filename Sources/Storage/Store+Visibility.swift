import Foundation

/// What the operator's filters read of a stored entry, and why they hide it now.
public struct VisibilityRow: Sendable {
    public var rowID: Int64
    public var sourceKey: String
    public var title: String?
    public var author: String?
    public var link: String?
    public var categories: [String]
    /// As stored (HTML); nil when the rows were read without their bodies.
    public var summary: String?
    public var content: String?
    public var published: Date?
    public var firstSeen: Date
    public var hiddenBy: String?
}

/// Entries hidden by filters stay stored, with why; a change of the rules is applied to every stored entry
/// here, in batches, and only the entries whose visibility changed are written (their months and sources are
/// marked by the entries' triggers, so only the pages and feeds whose content changes are rewritten).
extension Store {
    /// Reviews every stored entry: `decide` gives each its new `hidden_by`, and
    /// those that changed are written, one transaction per batch. Returns how many were newly hidden and
    /// newly shown.
    @discardableResult
    /// `heldOnly`: only the entries whose `hidden_by` starts with it (held for their date), through the
    /// index of hidden entries.
    public func reviewVisibility(
        heldOnly: String? = nil, withBodies: Bool, decide: (VisibilityRow) -> String?
    ) throws(StoreError) -> (hidden: Int, shown: Int) {
        var totals = (hidden: 0, shown: 0)
        var after: Int64 = 0
        while true {
            let rows = try database.query(
                Self.visibilityQuery(withBodies: withBodies, heldOnly: heldOnly != nil),
                [.integer(after), .integer(Int64(Self.visibilityBatch))] + (heldOnly.map { [.text($0 + "%")] } ?? [])
            ).map(Self.visibilityRow)
            guard let last = rows.last else { break }
            after = last.rowID
            let changes = rows.compactMap { row in
                let hiddenBy = decide(row)
                return hiddenBy == row.hiddenBy ? nil : (row, hiddenBy)
            }
            guard !changes.isEmpty else { continue }
            try database.transaction { () throws(StoreError) in
                for (row, hiddenBy) in changes {
                    try database.query(
                        "UPDATE entries SET hidden_by = ? WHERE id = ?", [SQLValue(hiddenBy), .integer(row.rowID)])
                    if hiddenBy == nil { totals.shown += 1 } else if row.hiddenBy == nil { totals.hidden += 1 }
                }
            }
        }
        return totals
    }

    /// Whether any stored entry is hidden.
    public func hasHiddenEntries() throws(StoreError) -> Bool {
        !(try database.query("SELECT 1 FROM entries WHERE hidden_by IS NOT NULL LIMIT 1").isEmpty)
    }

    static let visibilityBatch = 2000

    /// Entries after a row id, in row-id order (arguments: the row id, the batch size).
    static func visibilityQuery(withBodies: Bool, heldOnly: Bool = false) -> String {
        let bodies = withBodies ? "b.summary, b.content" : "NULL, NULL"
        let join = withBodies ? "LEFT JOIN entry_bodies b ON b.entry = e.id" : ""
        return """
            SELECT e.id, s.key, e.title, e.author, e.link, e.categories, \(bodies), e.published_at, e.first_seen_at,
                   e.hidden_by
            FROM entries e JOIN sources s ON s.id = e.source_id \(join)
            WHERE e.id > ?1 \(heldOnly ? "AND e.hidden_by IS NOT NULL AND e.hidden_by LIKE ?3" : "")
            ORDER BY e.id LIMIT ?2
            """
    }

    static func visibilityRow(_ row: Row) -> VisibilityRow {
        VisibilityRow(
            rowID: Int64(row.int(0) ?? 0), sourceKey: row.string(1) ?? "", title: row.string(2),
            author: row.string(3), link: row.string(4), categories: decodeList(row.string(5)),
            summary: row.string(6), content: row.string(7), published: date(row.int(8)),
            firstSeen: date(row.int(9)) ?? Date(timeIntervalSince1970: 0), hiddenBy: row.string(10))
    }
}

extension StoreReader {
    /// Every stored entry of `sources` (all when nil), one at a time, without writing anything: what a dry
    /// run of new filters compares against.
    public func forEachVisibilityRow(
        of sources: Set<String>? = nil, withBodies: Bool, _ body: (VisibilityRow) -> Void
    ) throws(StoreError) {
        var after: Int64 = 0
        while true {
            let rows = try database.query(
                Store.visibilityQuery(withBodies: withBodies), [.integer(after), .integer(Int64(Store.visibilityBatch))]
            ).map(Store.visibilityRow)
            guard let last = rows.last else { return }
            after = last.rowID
            for row in rows where sources?.contains(row.sourceKey) ?? true { body(row) }
        }
    }
}

/// What the operator's page shows of a source beside its fetch state.
public struct SourceActivity: Sendable, Equatable {
    /// Shown posts per month (year * 100 + month).
    public var months: [Int: Int] = [:]
    public var hidden = 0
    public var heldFromTheFront = 0

    public init() {}
}

extension StoreReader {
    /// Each source's shown posts per month since `fromMonth` (year * 100 + month), and how many of its
    /// posts the filters hide or the front page holds back.
    public func activity(fromMonth: Int) throws(StoreError) -> [String: SourceActivity] {
        var result: [String: SourceActivity] = [:]
        for row in try database.query(
            """
            SELECT s.key, c.month, c.count FROM month_counts c JOIN sources s ON s.id = c.source_id
            WHERE c.month >= ? AND s.active = 1
            """, [.integer(Int64(fromMonth))])
        {
            guard let key = row.string(0), let month = row.int(1), let count = row.int(2) else { continue }
            result[key, default: SourceActivity()].months[month] = count
        }
        // Through the partial indexes of hidden and held entries: a few rows, not every entry.
        for row in try database.query(
            """
            SELECT s.key, SUM(x.hidden), SUM(x.held) FROM (
                SELECT source_id, 1 AS hidden, 0 AS held FROM entries WHERE hidden_by IS NOT NULL
                UNION ALL
                SELECT source_id, 0, 1 FROM entries WHERE front_held = 1 AND hidden_by IS NULL
            ) x JOIN sources s ON s.id = x.source_id GROUP BY s.key
            """)
        {
            guard let key = row.string(0) else { continue }
            result[key, default: SourceActivity()].hidden = row.int(1) ?? 0
            result[key, default: SourceActivity()].heldFromTheFront = row.int(2) ?? 0
        }
        return result
    }
}
