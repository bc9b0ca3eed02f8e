import Checked
import Foundation

/// The scheduler's state per source and the log of every fetch.
extension Store {
    /// Saves what the scheduler decided after a fetch.
    public func savePollState(_ poll: PollState, for key: String) throws(StoreError) {
        try database.query(
            """
            UPDATE sources SET next_poll_at = ?, wait_until = ?, wait_reason = ?, gone_since = ?, moved_url = ?,
                move_candidate = ?, move_first_seen_at = ?, move_seen_count = ?, body_hash = ?, update_interval = ?,
                websub_hub = ?
            WHERE key = ?
            """,
            [
                seconds(poll.nextPollAt), seconds(poll.waitUntil), SQLValue(poll.waitReason), seconds(poll.goneSince),
                SQLValue(poll.movedURL), SQLValue(poll.moveCandidate?.url), seconds(poll.moveCandidate?.firstSeen),
                .integer(Int64(poll.moveCandidate?.seen ?? 0)), SQLValue(poll.bodyHash),
                SQLValue(poll.updateInterval.map { Int($0.components.seconds) }), SQLValue(poll.hub), .text(key),
            ])
    }

    /// Moves a source's next regular poll, leaving everything else as it is.
    public func setNextPoll(_ date: Date, for key: String) throws(StoreError) {
        try database.query("UPDATE sources SET next_poll_at = ? WHERE key = ?", [seconds(date), .text(key)])
    }

    public func logFetch(_ entry: FetchLogEntry) throws(StoreError) {
        try database.query(
            """
            INSERT INTO fetch_log (source_id, fetched_at, url, status, bytes, duration_ms, not_modified, error)
            VALUES ((SELECT id FROM sources WHERE key = ?), ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(entry.sourceKey), seconds(entry.at), .text(entry.url), SQLValue(entry.status),
                .integer(Int64(entry.bytes)),
                .integer(Int64(Checked.int(entry.durationSeconds * 1000, clampedTo: 0...Int(Int32.max)))),
                .integer(entry.notModified ? 1 : 0), SQLValue(entry.error),
            ])
    }

    /// A source's most recent fetches, newest first.
    public func fetchLog(for key: String, limit: Int = 20) throws(StoreError) -> [FetchLogEntry] {
        try database.query(
            """
            SELECT fetched_at, url, status, bytes, duration_ms, not_modified, error FROM fetch_log
            WHERE source_id = (SELECT id FROM sources WHERE key = ?) ORDER BY fetched_at DESC, id DESC LIMIT ?
            """, [.text(key), .integer(Int64(limit))]
        ).map { row in
            FetchLogEntry(
                sourceKey: key, at: Self.date(row.int(0)) ?? Date(timeIntervalSince1970: 0), url: row.string(1) ?? "",
                status: row.int(2), bytes: row.int(3) ?? 0, durationSeconds: Double(row.int(4) ?? 0) / 1000,
                notModified: row.int(5) == 1, error: row.string(6))
        }
    }

    static let pruneFetchLogQuery = "DELETE FROM fetch_log WHERE fetched_at < ?"

    /// Forgets log lines older than `cutoff`, so the log stays a window rather than a history.
    @discardableResult
    public func pruneFetchLog(olderThan cutoff: Date) throws(StoreError) -> Int {
        try database.query(Self.pruneFetchLogQuery, [seconds(cutoff)])
        return database.changes
    }

    /// When a source's most recent entries were posted (published, else first seen), newest first: what
    /// adaptive polling learns a source's rhythm from.
    public func postingDates(for key: String, limit: Int = 10) throws(StoreError) -> [Date] {
        try database.query(Self.postingDatesQuery, [.text(key), .integer(Int64(limit))]).compactMap { Self.date($0.int(0)) }
    }

    static let postingDatesQuery = """
        SELECT COALESCE(published_at, first_seen_at) AS posted FROM entries
        WHERE source_id = (SELECT id FROM sources WHERE key = ?) ORDER BY posted DESC LIMIT ?
        """
}
