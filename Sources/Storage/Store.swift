import Checked
import Foundation
import Parsing
import Time

/// Tidings' persistent state in one SQLite file: sources with their fetch state, and their entries.
/// The only place SQL is written. Used from one task at a time.
public final class Store {
    // Internal so tests can reach the file as a second connection would.
    let database: Database
    private let checkpointer: Checkpointer

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public convenience init(path: String) throws(StoreError) {
        try self.init(path: path, checkpointAfter: Checkpointer.threshold)
    }

    /// `checkpointAfter`: pages in the write-ahead log before it is copied back (tests make it small).
    init(path: String, checkpointAfter pages: Int) throws(StoreError) {
        checkpointer = Checkpointer(path: path, threshold: pages)
        database = try Database(path: path)
        // WAL lets the writer read while a refresh stores; NORMAL sync is durable across crashes of the
        // process (not of the machine), the usual trade for a cache of other people's feeds.
        try database.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        try Migrations.migrate(database)
        database.onCommit(walPages: checkpointer.logGrew)
    }

    deinit {
        // Closing the last connection copies what is left of the log; the checkpoint in progress first.
        checkpointer.wait()
    }

    public var schemaVersion: Int {
        get throws(StoreError) { try database.query("PRAGMA user_version").first?.int(0) ?? 0 }
    }

    // MARK: Sources

    /// Makes the stored sources match the configuration. A source whose URL changed forgets its
    /// validators (they belong to the old URL). A source whose key changed (same URL) keeps everything.
    /// A source no longer configured keeps its entries, so adding it back loses nothing, but they are no
    /// longer published.
    /// Does nothing when the definitions are those registered last time: the daemon registers every round,
    /// and rewriting every source row each time costs more than the rest of a quiet round.
    public func register(_ sources: [SourceDefinition], now: Date = Date()) throws(StoreError) {
        let definitions = Fingerprint.of(
            sources.flatMap { [$0.key, $0.url, $0.title ?? "\u{0}", $0.readsPage ? "page" : "feed"] })
        if try value(.registered) == definitions { return }
        try database.transaction { () throws(StoreError) in
            try database.query("UPDATE sources SET active = 0")
            try renameMovedKeys(sources)
            for source in sources {
                try database.query(
                    """
                    INSERT INTO sources (key, url, title, created_at) VALUES (?1, ?2, ?3, ?4)
                    ON CONFLICT (key) DO UPDATE SET
                        active = 1,
                        title = excluded.title,
                        etag = CASE WHEN url = excluded.url THEN etag END,
                        last_modified = CASE WHEN url = excluded.url THEN last_modified END,
                        discovered_url = CASE WHEN url = excluded.url AND NOT ?5 THEN discovered_url END,
                        -- A new URL starts afresh: what the old one answered says nothing about it.
                        gone_since = CASE WHEN url = excluded.url THEN gone_since END,
                        wait_until = CASE WHEN url = excluded.url THEN wait_until END,
                        wait_reason = CASE WHEN url = excluded.url THEN wait_reason END,
                        moved_url = CASE WHEN url = excluded.url THEN moved_url END,
                        move_candidate = CASE WHEN url = excluded.url THEN move_candidate END,
                        move_seen_count = CASE WHEN url = excluded.url THEN move_seen_count ELSE 0 END,
                        body_hash = CASE WHEN url = excluded.url THEN body_hash END,
                        next_poll_at = CASE WHEN url = excluded.url THEN next_poll_at END,
                        consecutive_failures = CASE WHEN url = excluded.url THEN consecutive_failures ELSE 0 END,
                        failing_since = CASE WHEN url = excluded.url THEN failing_since END,
                        error_since = CASE WHEN url = excluded.url THEN error_since END,
                        quarantine_hash = CASE WHEN url = excluded.url THEN quarantine_hash END,
                        quarantine_reason = CASE WHEN url = excluded.url THEN quarantine_reason END,
                        parse_suspect = CASE WHEN url = excluded.url THEN parse_suspect ELSE 0 END,
                        yielded = CASE WHEN url = excluded.url THEN yielded END,
                        url = excluded.url
                    """,
                    [
                        .text(source.key), .text(source.url), SQLValue(source.title), seconds(now),
                        .integer(source.readsPage ? 1 : 0),
                    ])
            }
            try setValue(definitions, .registered)
        }
    }

    /// A new key whose URL is that of a stored source no longer configured under its old key is the same
    /// source renamed: the row takes the new key, keeping its entries, their public ids and its fetch state.
    private func renameMovedKeys(_ sources: [SourceDefinition]) throws(StoreError) {
        let configured = Set(sources.map(\.key))
        for source in sources {
            guard try database.query("SELECT 1 FROM sources WHERE key = ?", [.text(source.key)]).isEmpty,
                let old = try database.query(
                    "SELECT key FROM sources WHERE url = ? ORDER BY last_success_at DESC", [.text(source.url)]
                ).compactMap({ $0.string(0) }).first(where: { !configured.contains($0) })
            else { continue }
            try database.query("UPDATE sources SET key = ? WHERE key = ?", [.text(source.key), .text(old)])
        }
    }

    /// The ids of a source's entries that have content, so following fetches only the pages of the others.
    public func entryIDsWithContent(for key: String) throws(StoreError) -> Set<String> {
        Set(
            try database.query(
                """
                SELECT e.entry_id FROM entries e JOIN entry_bodies b ON b.entry = e.id
                WHERE e.source_id = (SELECT id FROM sources WHERE key = ?) AND b.content IS NOT NULL
                """, [.text(key)]
            ).compactMap { $0.string(0) })
    }

    /// Remembers (or, with nil, forgets) the feed found on a source's page. Validators belong to the
    /// document fetched before, so they are forgotten.
    public func setDiscoveredURL(_ url: String?, for key: String) throws(StoreError) {
        try database.query(
            "UPDATE sources SET discovered_url = ?, etag = NULL, last_modified = NULL WHERE key = ?",
            [SQLValue(url), .text(key)])
    }

    static let sourcesQuery = sourcesQuery(and: "")

    /// The configured sources as `sourceRecord` reads them, narrowed by `condition` (`AND …`).
    static func sourcesQuery(and condition: String) -> String {
        """
        SELECT key, url, COALESCE(title, feed_title, key), site_link, etag, last_modified, last_status, last_error,
               last_fetched_at, last_success_at, consecutive_failures,
               (SELECT COALESCE(SUM(count), 0) FROM month_counts WHERE source_id = sources.id), discovered_url,
               next_poll_at, wait_until, wait_reason, gone_since, moved_url, move_candidate, move_first_seen_at,
               move_seen_count, body_hash, update_interval, websub_hub, quarantine_hash, quarantine_reason,
               parse_suspect, yielded, failing_since, error_since, burst_at, burst_held
        FROM sources WHERE active = 1 \(condition) ORDER BY key
        """
    }

    public func sources() throws(StoreError) -> [SourceRecord] {
        try database.query(Self.sourcesQuery).map(Self.sourceRecord)
    }

    /// Each configured source's newest entry date (its blogroll line): read when the pages are written, not
    /// with every read of the sources.
    public func lastPostDates() throws(StoreError) -> [String: Date] {
        var dates: [String: Date] = [:]
        for row in try database.query(
            """
            SELECT key, (SELECT MAX(sort_date) FROM entries WHERE source_id = sources.id AND hidden_by IS NULL)
            FROM sources WHERE active = 1
            """
        ) {
            if let key = row.string(0), let seconds = row.int(1) {
                dates[key] = Date(timeIntervalSince1970: TimeInterval(seconds))
            }
        }
        return dates
    }

    /// A row of `sourcesQuery` as a record.
    static func sourceRecord(_ row: Row) -> SourceRecord {
        var record = SourceRecord(
            key: row.string(0) ?? "", url: row.string(1) ?? "", displayTitle: row.string(2) ?? "",
            siteLink: row.string(3), etag: row.string(4), lastModified: row.string(5), lastStatus: row.int(6),
            lastError: row.string(7), lastFetchedAt: date(row.int(8)), lastSuccessAt: date(row.int(9)),
            consecutiveFailures: row.int(10) ?? 0, entryCount: row.int(11) ?? 0, discoveredURL: row.string(12))
        record.poll.nextPollAt = date(row.int(13))
        record.poll.waitUntil = date(row.int(14))
        record.poll.waitReason = row.string(15)
        record.poll.goneSince = date(row.int(16))
        record.poll.movedURL = row.string(17)
        if let url = row.string(18), let firstSeen = date(row.int(19)) {
            record.poll.moveCandidate = MoveCandidate(url: url, firstSeen: firstSeen, seen: row.int(20) ?? 1)
        }
        record.poll.bodyHash = row.string(21)
        record.poll.updateInterval = row.int(22).map { .seconds($0) }
        record.poll.hub = row.string(23)
        if let hash = row.string(24) {
            record.quarantine = Quarantine(documentHash: hash, reason: row.string(25) ?? "")
        }
        record.isParseSuspect = (row.int(26) ?? 0) != 0
        record.yielded = row.string(27).flatMap(FeedYield.init(rawValue:))
        record.failingSince = date(row.int(28))
        record.errorSince = date(row.int(29))
        if let at = date(row.int(30)), let held = row.int(31) { record.burst = SourceRecord.Burst(at: at, held: held) }
        return record
    }

    // MARK: Fetch results

    /// Runs several of the store's writes as one transaction (each keeps its own atomicity inside it):
    /// one commit instead of one per write, when many sources' states are saved together.
    public func batch<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try database.transaction(body)
    }

    /// Stores a successfully fetched and parsed document in one transaction: the source's fetch state,
    /// its feed metadata and its entries, each matched to a stored one (see `upsert`) and updated in place.
    @discardableResult
    /// `hide` says why the operator's filters hide an entry (nil: shown), given the entry as it is stored and
    /// when it was first seen.
    public func recordSuccess(
        key: String, feed: ParsedFeed, validators: Validators, status: Int, now: Date = Date(),
        hide: (ParsedEntry, Date) -> String? = { _, _ in nil }, newSourceItems: Int? = nil
    ) throws(StoreError) -> EntryChanges {
        try database.transaction { () throws(StoreError) in
            let sourceID = try self.sourceID(key)
            try database.query(
                """
                UPDATE sources SET feed_title = ?, site_link = ?, etag = ?, last_modified = ?, last_status = ?,
                    last_error = NULL, last_fetched_at = ?, last_success_at = ?, consecutive_failures = 0,
                    failing_since = NULL, error_since = NULL
                WHERE id = ?
                """,
                [
                    SQLValue(feed.metadata.title), SQLValue(feed.metadata.link), SQLValue(validators.etag),
                    SQLValue(validators.lastModified), .integer(Int64(status)), seconds(now), seconds(now),
                    .integer(sourceID),
                ])
            var changes = EntryChanges()
            let document = EntryIdentity.Document(feed.entries)
            let held = try heldFromTheFront(feed.entries, sourceID: sourceID, newest: newSourceItems, now: now)
            for (position, entry) in feed.entries.enumerated() {
                // Undated entries first seen together keep the page's order: each one a minute older.
                let firstSeen = now.addingTimeInterval(-60 * Double(position))
                switch try upsert(
                    entry, alias: document.aliases[position], sourceID: sourceID, sourceKey: key, firstSeen: firstSeen,
                    document: document, isRecovered: feed.isRecovered, hide: hide, held: held.contains(entry.id))
                {
                case .new: changes.new += 1
                case .updated: changes.updated += 1
                case .unchanged: changes.unchanged += 1
                }
            }
            return changes
        }
    }

    /// Notes that the source's document has not changed (a 304, or a 200 with the body as before):
    /// nothing to parse, nothing else to change. New validators from a 200 are kept.
    public func recordNotModified(key: String, status: Int, validators: Validators? = nil, now: Date = Date())
        throws(StoreError)
    {
        try database.query(
            """
            UPDATE sources SET last_status = ?, last_error = NULL, last_fetched_at = ?, last_success_at = ?,
                consecutive_failures = 0, failing_since = NULL, error_since = NULL,
                etag = CASE WHEN ? THEN ? ELSE etag END,
                last_modified = CASE WHEN ? THEN ? ELSE last_modified END
            WHERE key = ?
            """,
            [
                .integer(Int64(status)), seconds(now), seconds(now), .integer(validators == nil ? 0 : 1),
                SQLValue(validators?.etag), .integer(validators == nil ? 0 : 1), SQLValue(validators?.lastModified),
                .text(key),
            ])
    }

    /// Notes a failed fetch or parse; the source's entries and validators are left as they were.
    /// `counts` is false when the failure was not the source's fault (the network was down).
    public func recordFailure(key: String, status: Int?, error: String, counts: Bool = true, now: Date = Date())
        throws(StoreError)
    {
        try database.query(
            """
            UPDATE sources SET last_status = ?1, last_error = ?2, last_fetched_at = ?3,
                consecutive_failures = consecutive_failures + ?4,
                failing_since = CASE WHEN ?4 THEN COALESCE(failing_since, ?3) ELSE failing_since END,
                error_since = CASE WHEN last_error IS ?2 AND error_since IS NOT NULL THEN error_since ELSE ?3 END
            WHERE key = ?5
            """, [SQLValue(status), .text(error), seconds(now), .integer(counts ? 1 : 0), .text(key)])
    }

    private enum UpsertOutcome { case new, updated, unchanged }

    /// The columns a candidate for a match is read from (see `EntryIdentity.Candidate`).
    static let candidateColumns =
        "id, fingerprint, first_seen_at, entry_id, published_at, word_count, title, excerpt, hidden_by, link"

    static func candidate(_ row: Row?) -> EntryIdentity.Candidate? {
        guard let row, let rowID = row.int(0), let firstSeen = row.int(2) else { return nil }
        return EntryIdentity.Candidate(
            rowID: Int64(rowID), fingerprint: row.string(1), firstSeen: Int64(firstSeen), entryID: row.string(3),
            published: row.int(4).map(Int64.init), wordCount: row.int(5) ?? 0, title: row.string(6),
            excerpt: row.string(7), hiddenBy: row.string(8), link: row.string(9))
    }

    private func bodies(of rowID: Int64) throws(StoreError) -> EntryIdentity.Bodies {
        let row = try database.query("SELECT summary, content FROM entry_bodies WHERE entry = ?", [.integer(rowID)])
            .first
        return EntryIdentity.Bodies(summary: row?.string(0), content: row?.string(1))
    }

    static let matchByIDQuery = "SELECT \(candidateColumns) FROM entries WHERE source_id = ? AND entry_id = ?"
    static let matchByAliasQuery =
        "SELECT \(candidateColumns) FROM entries WHERE source_id = ? AND alias_key = ? ORDER BY id LIMIT 1"
    static let tombstoneQuery = """
        SELECT 1 FROM tombstones WHERE source_id = ? AND (entry_id = ? OR (? IS NOT NULL AND alias_key = ?)) LIMIT 1
        """

    /// Stores one entry, matched to a stored one by id, else by its link's alias key, as `EntryIdentity`
    /// decides, so a publisher's new GUIDs or URLs update the old entry instead of duplicating it.
    private func upsert(
        _ entry: ParsedEntry, alias: String?, sourceID: Int64, sourceKey: String, firstSeen: Date,
        document: EntryIdentity.Document, isRecovered: Bool, hide: (ParsedEntry, Date) -> String?, held: Bool
    ) throws(StoreError) -> UpsertOutcome {
        var entry = entry
        var existing = Self.candidate(
            try database.query(Self.matchByIDQuery, [.integer(sourceID), .text(entry.id)]).first)
        if existing == nil, let alias, document.mayMatch(byAlias: alias) {
            existing = Self.candidate(
                try database.query(Self.matchByAliasQuery, [.integer(sourceID), .text(alias)]).first
            ).flatMap { EntryIdentity.isSamePost($0, as: entry, in: document) ? $0 : nil }
        }
        if existing == nil, try isTombstoned(entry.id, alias: alias, sourceID: sourceID) { return .unchanged }
        if let existing {
            let bodies =
                EntryIdentity.needsBodies(entry, isRecovered: isRecovered) ? try bodies(of: existing.rowID) : nil
            entry = EntryIdentity.merged(entry, over: existing, bodies: bodies, isRecovered: isRecovered)
        }
        let categories = Self.json(entry.categories)
        let enclosures = Self.json(entry.enclosures)
        let fingerprint = Self.fingerprint(of: entry, categories: categories, enclosures: enclosures)
        let unchanged = existing?.fingerprint == fingerprint
        let firstSeenSeconds = existing?.firstSeen ?? Checked.unixSeconds(firstSeen)
        let hiddenBy = hide(entry, Date(timeIntervalSince1970: TimeInterval(firstSeenSeconds)))
        if let existing, unchanged, existing.entryID == entry.id, existing.hiddenBy == hiddenBy { return .unchanged }
        let sortDate = entry.published.map(Checked.unixSeconds) ?? firstSeenSeconds
        let values: [SQLValue] = [
            SQLValue(entry.title), SQLValue(entry.link), SQLValue(entry.author), SQLValue(entry.excerpt),
            .text(categories), .text(enclosures), .integer(Int64(entry.wordCount)), seconds(entry.published),
            seconds(entry.updated), .integer(sortDate), .text(fingerprint), SQLValue(alias), .text(entry.id),
            SQLValue(LeadImage.of(entry)), .integer(entry.content == nil ? 0 : 1), SQLValue(hiddenBy),
            seconds(entry.claimedPublished), SQLValue(entry.removed.isEmpty ? nil : Self.jsonObject(entry.removed)),
        ]
        if let existing {
            // The index takes the entry out by what is stored now, before it changes; it is indexed again later.
            if !unchanged { try reindexLater(rowID: existing.rowID) }
            // The same content under a new id (a matched alias) only renames the stored entry.
            try database.query(
                """
                UPDATE entries SET title = ?, link = ?, author = ?, excerpt = ?, categories = ?, enclosures = ?,
                    word_count = ?, published_at = ?, updated_at = ?, sort_date = ?, fingerprint = ?, alias_key = ?,
                    entry_id = ?, image = ?, has_content = ?, hidden_by = ?, claimed_at = COALESCE(?, claimed_at),
                    removed = ?
                WHERE id = ?
                """, values + [.integer(existing.rowID)])
            if !unchanged {
                try saveBodies(of: entry, rowID: existing.rowID)
            }
            // A rename is kept for `tidings explain`: what the post was known as.
            if existing.entryID != entry.id || existing.link != entry.link {
                try database.query(
                    "INSERT INTO entry_merges (entry, entry_id, link, merged_at) VALUES (?, ?, ?, ?)",
                    [
                        .integer(existing.rowID), SQLValue(existing.entryID == entry.id ? nil : existing.entryID),
                        SQLValue(existing.link == entry.link ? nil : existing.link), seconds(firstSeen),
                    ])
            }
            return unchanged ? .unchanged : .updated
        }
        let publicID = try EntryIdentity.unusedPublicID(
            EntryIdentity.publicID(sourceKey: sourceKey, entryID: entry.id)
        ) { (candidate) throws(StoreError) in
            !(try database.query("SELECT 1 FROM entries WHERE public_id = ?", [.text(candidate)]).isEmpty)
        }
        let inserted = try database.query(
            """
            INSERT INTO entries (title, link, author, excerpt, categories, enclosures, word_count, published_at,
                updated_at, sort_date, fingerprint, alias_key, entry_id, image, has_content, hidden_by, claimed_at,
                removed, source_id, first_seen_at, public_id, front_held)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, values + [.integer(sourceID), .integer(firstSeenSeconds), .text(publicID), .integer(held ? 1 : 0)])
        if let rowID = inserted.first?.int(0) {
            try saveBodies(of: entry, rowID: Int64(rowID))
            try indexLater(rowID: Int64(rowID))
        }
        return .new
    }

    /// The ids of entries held from the front page, all but the `newest` (by date) of them: a new source's
    /// first fetch (its archive), and a burst — a later fetch bringing far more new posts than a source ever
    /// does (`isBurst`: a blog that moved and re-published everything under new links), noted on the source
    /// so that `tidings status` and `health.atom` show it until the operator releases them.
    private func heldFromTheFront(_ entries: [ParsedEntry], sourceID: Int64, newest: Int?, now: Date)
        throws(StoreError) -> Set<String>
    {
        guard let newest, entries.count > newest else { return [] }
        let isNew = try database.query("SELECT 1 FROM entries WHERE source_id = ? LIMIT 1", [.integer(sourceID)])
            .isEmpty
        var candidates = entries
        if !isNew {
            let ids = Self.json(entries.map(\.id))
            let stored = Set(
                try database.query(
                    "SELECT entry_id FROM entries WHERE source_id = ? AND entry_id IN (SELECT value FROM json_each(?))",
                    [.integer(sourceID), .text(ids)]
                ).compactMap { $0.string(0) })
            candidates = entries.filter { !stored.contains($0.id) }
            guard Self.isBurst(new: candidates.count, newest: newest) else { return [] }
        }
        let byDate = candidates.enumerated().sorted { first, second in
            // Undated entries count as just seen, in document order.
            (first.element.published ?? now, -first.offset) > (second.element.published ?? now, -second.offset)
        }
        let held = Set(byDate.dropFirst(newest).map(\.element.id))
        if !isNew, !held.isEmpty {
            try database.query(
                "UPDATE sources SET burst_at = ?, burst_held = COALESCE(burst_held, 0) + ? WHERE id = ?",
                [seconds(now), .integer(Int64(held.count)), .integer(sourceID)])
        }
        return held
    }

    /// More new posts at once than twice `new_source_items`, and than twenty: a re-published archive, not a
    /// busy week.
    public static func isBurst(new: Int, newest: Int) -> Bool { new > max(2 * newest, 20) }

    /// Sends a source's posts held from the front page back to it (after a burst the operator looked at).
    /// Returns how many.
    @discardableResult
    public func releaseHeld(of key: String) throws(StoreError) -> Int {
        try database.transaction { () throws(StoreError) in
            let sourceID = try self.sourceID(key)
            try database.query(
                "UPDATE entries SET front_held = 0 WHERE source_id = ? AND front_held = 1", [.integer(sourceID)])
            let released = database.changes
            try database.query(
                "UPDATE sources SET burst_at = NULL, burst_held = NULL WHERE id = ?", [.integer(sourceID)])
            return released
        }
    }

    private func saveBodies(of entry: ParsedEntry, rowID: Int64) throws(StoreError) {
        if entry.summary == nil && entry.content == nil {
            try database.query("DELETE FROM entry_bodies WHERE entry = ?", [.integer(rowID)])
        } else {
            try database.query(
                "INSERT OR REPLACE INTO entry_bodies (entry, summary, content) VALUES (?, ?, ?)",
                [.integer(rowID), SQLValue(entry.summary), SQLValue(entry.content)])
        }
    }

    private func isTombstoned(_ entryID: String, alias: String?, sourceID: Int64) throws(StoreError) -> Bool {
        try !database.query(
            Self.tombstoneQuery, [.integer(sourceID), .text(entryID), SQLValue(alias), SQLValue(alias)]
        )
        .isEmpty
    }

    // MARK: Retention

    /// Removes the entries dated before `cutoff`, leaving a tombstone for each so that a feed still
    /// listing one never brings it back as new. Returns how many were removed.
    @discardableResult
    public func prune(olderThan cutoff: Date, now: Date = Date()) throws(StoreError) -> Int {
        try database.transaction { () throws(StoreError) in
            let cutoffSeconds = Checked.unixSeconds(cutoff)
            try database.query(
                """
                INSERT OR REPLACE INTO tombstones (source_id, entry_id, alias_key, pruned_at)
                SELECT source_id, entry_id, alias_key, ? FROM entries WHERE sort_date < ?
                """, [seconds(now), .integer(cutoffSeconds)])
            try database.query("DELETE FROM entries WHERE sort_date < ?", [.integer(cutoffSeconds)])
            return database.changes
        }
    }

    func sourceID(_ key: String) throws(StoreError) -> Int64 {
        guard let id = try database.query("SELECT id FROM sources WHERE key = ?", [.text(key)]).first?.int(0) else {
            throw .sqlite(path: database.path, code: 0, message: "no source with key '\(key)'", statement: "")
        }
        return Int64(id)
    }

    // MARK: Reading for the writers

    /// The newest entries across all configured sources, newest first.
    /// The newest `limit` shown entries, with at most `perSource` of any one source when it is given (the
    /// newest of each): one prolific source cannot push the others off the front page.
    public func latestEntries(limit: Int, perSource: Int? = nil) throws(StoreError) -> [StoredEntry] {
        try Self.capped(limit: limit, perSource: perSource) { (reading) throws(StoreError) in
            try entries(where: Self.onTheFront, [], limit: reading)
        }
    }

    /// The entries the front page and the combined feeds may show: not held from them.
    static let onTheFront = "e.front_held = 0"

    /// The newest `limit` of what `newest(n)` reads (the newest n), at most `perSource` of one source: read a
    /// few times more than needed, and more again when capped sources took too many of those.
    static func capped(
        limit: Int, perSource: Int?, _ newest: (Int) throws(StoreError) -> [StoredEntry]
    ) throws(StoreError) -> [StoredEntry] {
        guard let perSource else { return try newest(limit) }
        var reading = limit * 4
        while true {
            let read = try newest(reading)
            var taken: [String: Int] = [:]
            let kept = read.filter { entry in
                taken[entry.sourceKey, default: 0] += 1
                return taken[entry.sourceKey, default: 0] <= perSource
            }
            if kept.count >= limit || read.count < reading { return Array(kept.prefix(limit)) }
            reading *= 4
        }
    }

    /// The entries dated within one UTC calendar month, newest first. `withBodies: false` leaves out
    /// summary and content, which a digest page does not show: a busy month holds thousands of entries.
    public func entries(year: Int, month: Int, withBodies: Bool = true) throws(StoreError) -> [StoredEntry] {
        let (start, end) = CivilCalendar.monthBounds(year: year, month: month)
        return try entries(
            where: "e.sort_date >= ? AND e.sort_date < ?", [.integer(start), .integer(end)], limit: -1,
            withBodies: withBodies)
    }

    /// Every month that has entries of configured sources, newest first.
    /// Read from the month totals the triggers keep (migrations 6 and 8), not by scanning the entries.
    public func months() throws(StoreError) -> [MonthCount] {
        try database.query(Self.monthsQuery).map { row in
            let month = row.int(0) ?? 0
            return MonthCount(year: month / 100, month: month % 100, count: row.int(1) ?? 0)
        }
    }

    static let monthsQuery = """
        SELECT t.month, t.count - COALESCE(inactive.count, 0) AS active_count
        FROM month_totals t LEFT JOIN (
            SELECT m.month, SUM(m.count) AS count FROM sources s JOIN month_counts m ON m.source_id = s.id
            WHERE s.active = 0 GROUP BY m.month
        ) inactive ON inactive.month = t.month
        WHERE active_count > 0 ORDER BY t.month DESC
        """

    /// The sources whose entries changed since `clearDirtySources` was last told their feeds were written,
    /// each with its mark: the change counter its entries last changed at (a feed read at the same mark is
    /// current).
    public func dirtySourceCounters() throws(StoreError) -> [String: Int] {
        var counters: [String: Int] = [:]
        for row in try database.query(
            "SELECT s.key, d.counter FROM dirty_sources d JOIN sources s ON s.id = d.source_id")
        {
            if let key = row.string(0), let counter = row.int(1) { counters[key] = counter }
        }
        return counters
    }

    /// The feeds of these sources were written from the store as it was at change counter `counter`.
    public func clearDirtySources(_ keys: Set<String>, upTo counter: Int) throws(StoreError) {
        try database.transaction { () throws(StoreError) in
            for key in keys {
                try database.query(
                    "DELETE FROM dirty_sources WHERE source_id = (SELECT id FROM sources WHERE key = ?) AND counter <= ?",
                    [.text(key), .integer(Int64(counter))])
            }
        }
    }

    /// The months whose entries changed since `clearDirtyMonths` was last told they were written.
    public func dirtyMonths() throws(StoreError) -> Set<MonthKey> {
        Set(
            try database.query("SELECT month FROM dirty_months").compactMap { row in
                row.int(0).map { MonthKey(year: $0 / 100, month: $0 % 100) }
            })
    }

    /// The pages of these months are written from the store as it was at change counter `counter`: they
    /// are clean unless their entries changed since (a writer beside this one).
    public func clearDirtyMonths(_ months: Set<MonthKey>, upTo counter: Int) throws(StoreError) {
        try database.transaction { () throws(StoreError) in
            for month in months {
                try database.query(
                    "DELETE FROM dirty_months WHERE month = ? AND counter <= ?",
                    [.integer(Int64(month.year * 100 + month.month)), .integer(Int64(counter))])
            }
        }
    }

    private func entries(where condition: String, _ arguments: [SQLValue], limit: Int, withBodies: Bool = true)
        throws(StoreError) -> [StoredEntry]
    {
        try database.query(
            Self.entriesQuery(where: condition, withBodies: withBodies), arguments + [.integer(Int64(limit))]
        )
        .map(Self.storedEntry)
    }

    /// The entries matching `condition`, newest first unless `newestFirst` is false, up to a bound `LIMIT`.
    /// A source's newest entries with their bodies (arguments: its key, the limit).
    static let sourceFeedQuery = entriesQuery(
        where: "e.source_id = (SELECT id FROM sources WHERE key = ?)", withBodies: true)

    static func entriesQuery(where condition: String, withBodies: Bool, newestFirst: Bool = true) -> String {
        let bodies = withBodies ? "b.summary, b.content" : "NULL, NULL"
        let join = withBodies ? "LEFT JOIN entry_bodies b ON b.entry = e.id" : ""
        let order = newestFirst ? "e.sort_date DESC, e.id DESC" : "e.sort_date, e.id"
        return """
            SELECT s.key, COALESCE(s.title, s.feed_title, s.key), s.site_link, e.entry_id, e.title, e.link, e.author,
                   \(bodies), e.categories, e.word_count, e.published_at, e.updated_at, e.first_seen_at,
                   e.sort_date, e.excerpt, e.public_id, e.enclosures, e.has_content, e.image
            FROM entries e JOIN sources s ON s.id = e.source_id AND s.active = 1 \(join)
            WHERE e.hidden_by IS NULL AND \(condition)
            ORDER BY \(order) LIMIT ?
            """
    }

    static func storedEntry(_ row: Row) -> StoredEntry {
        return StoredEntry(
            sourceKey: row.string(0) ?? "", sourceTitle: row.string(1) ?? "", sourceLink: row.string(2),
            entryID: row.string(3) ?? "", title: row.string(4), link: row.string(5), author: row.string(6),
            summary: row.string(7), content: row.string(8), categories: decodeList(row.string(9)),
            wordCount: row.int(10) ?? 0, published: date(row.int(11)), updated: date(row.int(12)),
            firstSeen: date(row.int(13)) ?? Date(timeIntervalSince1970: 0),
            date: date(row.int(14)) ?? Date(timeIntervalSince1970: 0), excerpt: row.string(15),
            publicID: row.string(16)
                ?? EntryIdentity.publicID(sourceKey: row.string(0) ?? "", entryID: row.string(3) ?? ""),
            enclosures: decodeList(row.string(17)), hasContent: (row.int(18) ?? 0) != 0, image: row.string(19))
    }

    // MARK: Encoding

    /// What decides "updated" versus "unchanged"; `categories` and `enclosures` are their stored JSON.
    private static func fingerprint(of entry: ParsedEntry, categories: String, enclosures: String) -> String {
        Fingerprint.of([
            entry.title ?? "", entry.link ?? "", entry.author ?? "", entry.summary ?? "", entry.content ?? "",
            entry.excerpt ?? "",
            entry.published.map { String(Checked.unixSeconds($0)) } ?? "",
            entry.updated.map { String(Checked.unixSeconds($0)) } ?? "",
            categories, enclosures,
        ])
    }

    private static func json<T: Encodable & Collection>(_ value: T) -> String {
        // What the encoder writes for an empty list, without one: most entries have no enclosures.
        if value.isEmpty { return "[]" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// Counts by name as a JSON object, keys sorted.
    static func jsonObject(_ counts: [String: Int]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(counts)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A stored JSON list (categories, enclosures); unreadable is empty.
    static func decodeList<Element: Decodable>(_ text: String?) -> [Element] {
        // Most entries have none: no decoder for those, when every entry of a month is read.
        guard let text, text != "[]", let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([Element].self, from: data)) ?? []
    }

    func seconds(_ date: Date?) -> SQLValue {
        date.map { .integer(Checked.unixSeconds($0)) } ?? .null
    }

    static func date(_ seconds: Int?) -> Date? {
        seconds.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}
