import Foundation
import Parsing

/// One post found by `tidings search`.
public struct SearchResult: Sendable, Equatable {
    public var publicID: String
    public var title: String?
    public var sourceKey: String
    public var sourceTitle: String
    public var date: Date
    public var link: String?
    /// A short piece of the text around the matched words, each marked as «word».
    public var snippet: String
}

extension StoreReader {
    /// The posts `query` finds, best first (bm25; a match in the title counts ten times one in the content)
    /// among the `rankedMatches` most recently stored that match and are shown, leaving out posts the filters
    /// hide and those of sources no longer configured.
    public func search(_ query: SearchQuery, limit: Int, ranking ranked: Int = rankedMatches) throws(SearchError)
        -> [SearchResult]
    {
        let rows: [Row]
        do {
            let hasIndex = try !database.query(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entry_search'"
            ).isEmpty
            guard hasIndex else { throw SearchError.noIndex(path: database.path) }
            rows = try database.query(Self.searchQuery, [
                .text(query.expression), SQLValue(query.source), query.after.map(SQLValue.integer) ?? .null,
                query.before.map(SQLValue.integer) ?? .null, .integer(Int64(max(1, limit))), .integer(Int64(max(1, ranked))),
            ])
        } catch let error as SearchError {
            throw error
        } catch {
            throw .engine("\(error)")
        }
        return rows.map { row in
            SearchResult(
                publicID: row.string(0) ?? "", title: row.string(1), sourceKey: row.string(2) ?? "",
                sourceTitle: row.string(3) ?? "", date: Date(timeIntervalSince1970: TimeInterval(row.int(4) ?? 0)),
                link: row.string(5), snippet: Self.readable(row.string(6) ?? ""))
        }
    }

    /// How many stored entries wait to be indexed (just stored, or stored before the index existed).
    public func searchPending() -> Int {
        (try? database.query(Store.pendingCount).first?.int(0)) ?? 0
    }

    /// How many of the most recently stored matches are ranked: bm25 scores every match it is given, and a
    /// common word matches hundreds of thousands of posts (1.6–1.9 s at 1,000,000 entries when all were;
    /// 0.11 s for 5,000, 0.07 s for 1,000). A narrower query (a rarer word, a source, dates) ranks older posts.
    public static let rankedMatches = 1_000

    /// The newest `ranked` matches that the planet shows (and the query's source and dates allow) are scored in
    /// the same pass that finds them, newest first, which FTS5 walks without sorting; only the `limit` best
    /// are read back with a snippet, which reads its post's text through the index's view.
    static let searchQuery = """
        WITH recent AS (
            SELECT entry_search.rowid AS id, bm25(entry_search, 10.0, 3.0, 3.0, 2.0, 1.0) AS score
            FROM entry_search JOIN entries e ON e.id = entry_search.rowid JOIN sources s ON s.id = e.source_id
            WHERE entry_search MATCH ?1 AND e.hidden_by IS NULL AND s.active = 1
                AND (?2 IS NULL OR s.key = ?2) AND (?3 IS NULL OR e.sort_date >= ?3) AND (?4 IS NULL OR e.sort_date < ?4)
            ORDER BY entry_search.rowid DESC LIMIT ?6
        ), best AS (
            SELECT id, score FROM recent ORDER BY score, id DESC LIMIT ?5
        )
        SELECT e.public_id, e.title, s.key, COALESCE(s.title, s.feed_title, s.key), e.sort_date, e.link,
            snippet(entry_search, -1, char(2), char(3), '…', 14)
        FROM best JOIN entry_search ON entry_search.rowid = best.id JOIN entries e ON e.id = best.id
            JOIN sources s ON s.id = e.source_id
        WHERE entry_search MATCH ?1
        ORDER BY best.score, best.id DESC
        """

    /// The snippet as a reader sees it: the two-character words of CJK text joined back (the ellipsis that
    /// cuts a snippet short counts as a mark, or the pair it ends would stay apart), the marks as «».
    static func readable(_ snippet: String) -> String {
        SearchText.restored(snippet, marks: ["\u{2}", "\u{3}", "…"])
            .replacingOccurrences(of: "\u{2}", with: "«").replacingOccurrences(of: "\u{3}", with: "»")
    }
}
