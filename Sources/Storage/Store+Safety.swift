import Foundation

/// What lets a crash at any moment leave nothing stale and no source in a crash loop: the change counter
/// the outputs are compared with, notes of documents being parsed, and quarantine.
extension Store {
    /// Moved by every insert, update and delete of an entry, in the same transaction (migration 4's
    /// triggers): outputs written at another value are stale.
    public func changeCounter() throws(StoreError) -> Int {
        try database.query("SELECT counter FROM entry_changes WHERE id = 1").first?.int(0) ?? 0
    }

    /// Notes, before it is parsed, that the source's document with `hash` is being parsed.
    public func noteParsing(key: String, documentHash: String) throws(StoreError) {
        try database.query(
            "UPDATE sources SET parsing_hash = ?, parsing_pid = ? WHERE key = ?",
            [.text(documentHash), .integer(Int64(getpid())), .text(key)])
    }

    /// The parse finished and its outcome is stored: the source is neither in flight nor suspect, and a
    /// quarantine is over (the document changed, or a forced refresh parsed it and lived).
    public func finishParsing(key: String) throws(StoreError) {
        try database.query(
            """
            UPDATE sources SET parsing_hash = NULL, parse_suspect = 0, quarantine_hash = NULL, quarantine_reason = NULL
            WHERE key = ? AND (parsing_hash IS NOT NULL OR quarantine_hash IS NOT NULL)
            """, [.text(key)])
    }

    /// A source whose parse never finished, found at start-up.
    public struct InterruptedParse: Sendable, Equatable {
        public var key: String
        /// True when it was parsed alone and still never finished: it is quarantined now.
        public var quarantined: Bool
    }

    /// Looks for parses that never finished (the process died during them). A source found for the first
    /// time becomes a suspect, parsed alone from now on; a suspect found again died alone, so its document
    /// is certainly the cause and is quarantined, with `quarantineReason`, until it changes.
    ///
    /// `sparing`: sources this process is parsing right now in another round (the daemon overlaps them).
    public func reviewInterruptedParses(quarantineReason: String, sparing: Set<String> = []) throws(StoreError)
        -> [InterruptedParse]
    {
        try database.transaction { () throws(StoreError) -> [InterruptedParse] in
            let rows = try database.query(
                """
                SELECT key, parsing_hash, parse_suspect, parsing_pid FROM sources
                WHERE parsing_hash IS NOT NULL ORDER BY key
                """)
            var found: [InterruptedParse] = []
            for row in rows {
                guard let key = row.string(0), let hash = row.string(1), !sparing.contains(key) else { continue }
                let pid = Int32(clamping: row.int(3) ?? 0)
                // Another process parsing right now (a `tidings refresh` beside the daemon) was not interrupted.
                if pid > 0, pid != getpid(), kill(pid, 0) == 0 { continue }
                // This process's own earlier round, ended by an error rather than a crash, names no culprit.
                let died = pid != getpid()
                let quarantined = died && (row.int(2) ?? 0) != 0
                try database.query(
                    """
                    UPDATE sources SET parsing_hash = NULL,
                        parse_suspect = CASE WHEN ?1 THEN NOT ?2 ELSE parse_suspect END,
                        quarantine_hash = CASE WHEN ?2 THEN ?3 ELSE quarantine_hash END,
                        quarantine_reason = CASE WHEN ?2 THEN ?4 ELSE quarantine_reason END
                    WHERE key = ?5
                    """,
                    [
                        .integer(died ? 1 : 0), .integer(quarantined ? 1 : 0), .text(hash), .text(quarantineReason),
                        .text(key),
                    ])
                if died { found.append(InterruptedParse(key: key, quarantined: quarantined)) }
            }
            return found
        }
    }

    /// Records how the source yielded its feed (once it has).
    public func setYielded(_ yield: FeedYield, for key: String) throws(StoreError) {
        try database.query("UPDATE sources SET yielded = ? WHERE key = ?", [.text(yield.rawValue), .text(key)])
    }
}
