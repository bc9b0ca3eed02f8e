import Parsing

/// The schema, one step per release that changed it. A step is never edited once released:
/// a change is a new step, so every existing database reaches the same shape.
enum Migrations {
    static let steps: [String] = [
        // 1: sources with their fetch state; entries unique per (source, entry id).
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            url TEXT NOT NULL,
            title TEXT,
            feed_title TEXT,
            site_link TEXT,
            etag TEXT,
            last_modified TEXT,
            last_status INTEGER,
            last_error TEXT,
            last_fetched_at INTEGER,
            last_success_at INTEGER,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            -- 0 once the source is no longer in feeds.yaml: its entries are kept but not published.
            active INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            entry_id TEXT NOT NULL,
            title TEXT,
            link TEXT,
            author TEXT,
            summary TEXT,
            content TEXT,
            excerpt TEXT,
            categories TEXT NOT NULL DEFAULT '[]',
            enclosures TEXT NOT NULL DEFAULT '[]',
            word_count INTEGER NOT NULL DEFAULT 0,
            published_at INTEGER,
            updated_at INTEGER,
            first_seen_at INTEGER NOT NULL,
            sort_date INTEGER NOT NULL,
            fingerprint TEXT NOT NULL,
            -- The link without scheme, www., trailing slash, tracking parameters or fragment: a second
            -- identity for when a publisher changes GUIDs or URLs.
            alias_key TEXT,
            UNIQUE (source_id, entry_id)
        );
        CREATE INDEX entries_by_alias ON entries (source_id, alias_key) WHERE alias_key IS NOT NULL;
        -- What retention pruned, so a feed that still lists an old entry does not bring it back as new.
        CREATE TABLE tombstones (
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            entry_id TEXT NOT NULL,
            alias_key TEXT,
            pruned_at INTEGER NOT NULL,
            PRIMARY KEY (source_id, entry_id)
        ) WITHOUT ROWID;
        CREATE INDEX tombstones_by_alias ON tombstones (source_id, alias_key) WHERE alias_key IS NOT NULL;
        -- The writer reads the newest entries overall and month by month.
        CREATE INDEX entries_by_date ON entries (sort_date DESC);
        """,
        // 2: the feed found on a source's page when its URL is a blog page without extraction rules.
        """
        ALTER TABLE sources ADD COLUMN discovered_url TEXT;
        """,
        // 3: polling state per source, and a log of every fetch.
        """
        -- When the regular schedule polls next (the daemon's; `tidings refresh` ignores it).
        ALTER TABLE sources ADD COLUMN next_poll_at INTEGER;
        -- A wait the server imposed (Retry-After) or backoff after failures; only --force ignores it.
        ALTER TABLE sources ADD COLUMN wait_until INTEGER;
        ALTER TABLE sources ADD COLUMN wait_reason TEXT;
        -- Set by 410 Gone: the source is not fetched again until its URL in feeds.yaml changes.
        ALTER TABLE sources ADD COLUMN gone_since INTEGER;
        -- A permanent redirect seen consistently and adopted: fetched in place of the configured URL.
        ALTER TABLE sources ADD COLUMN moved_url TEXT;
        -- A permanent redirect seen but not yet for long enough to adopt.
        ALTER TABLE sources ADD COLUMN move_candidate TEXT;
        ALTER TABLE sources ADD COLUMN move_first_seen_at INTEGER;
        ALTER TABLE sources ADD COLUMN move_seen_count INTEGER NOT NULL DEFAULT 0;
        -- The last parsed body's hash, so an unchanged 200 skips the parse.
        ALTER TABLE sources ADD COLUMN body_hash TEXT;
        -- The feed's own ttl / sy:updatePeriod, in seconds: a floor for the polling interval.
        ALTER TABLE sources ADD COLUMN update_interval INTEGER;
        ALTER TABLE sources ADD COLUMN websub_hub TEXT;
        CREATE TABLE fetch_log (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            fetched_at INTEGER NOT NULL,
            url TEXT NOT NULL,
            status INTEGER,
            bytes INTEGER NOT NULL DEFAULT 0,
            duration_ms INTEGER NOT NULL DEFAULT 0,
            not_modified INTEGER NOT NULL DEFAULT 0,
            error TEXT
        );
        CREATE INDEX fetch_log_by_source ON fetch_log (source_id, fetched_at);
        -- Small named values: what the outputs were last written from.
        CREATE TABLE state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        """,
        // 4: what survives a crash: a change counter the outputs are compared with, notes of documents
        // being parsed (a parse that never finished names its source), quarantine, and how a source
        // yielded its feed (which decides whether discovery may ever replace it).
        """
        -- Moved by every change to entries, in the same transaction as the change: the outputs are written
        -- whenever it differs from the value they were last written at, so a crash between storing and
        -- publishing is made good by the next run.
        CREATE TABLE entry_changes (id INTEGER PRIMARY KEY CHECK (id = 1), counter INTEGER NOT NULL);
        INSERT INTO entry_changes (id, counter) VALUES (1, 0);
        CREATE TRIGGER entries_inserted AFTER INSERT ON entries
            BEGIN UPDATE entry_changes SET counter = counter + 1; END;
        CREATE TRIGGER entries_updated AFTER UPDATE ON entries
            BEGIN UPDATE entry_changes SET counter = counter + 1; END;
        CREATE TRIGGER entries_deleted AFTER DELETE ON entries
            BEGIN UPDATE entry_changes SET counter = counter + 1; END;
        -- The hash of the document being parsed, set before the parse and cleared once its result is
        -- stored: still set at start-up means the process died on it.
        ALTER TABLE sources ADD COLUMN parsing_hash TEXT;
        -- Which process is parsing it: a note of a process still running is not an interruption.
        ALTER TABLE sources ADD COLUMN parsing_pid INTEGER;
        -- Died while parsing once: parsed alone from then on, so a second death names it for certain.
        ALTER TABLE sources ADD COLUMN parse_suspect INTEGER NOT NULL DEFAULT 0;
        -- The document that killed the process twice, and why: skipped until the document changes.
        ALTER TABLE sources ADD COLUMN quarantine_hash TEXT;
        ALTER TABLE sources ADD COLUMN quarantine_reason TEXT;
        -- 'feed' when the configured URL itself is the feed, 'page' when the feed was discovered on it.
        ALTER TABLE sources ADD COLUMN yielded TEXT;
        -- Dates outside years 1 to 9999 ("99999999999 years ago") were stored by earlier versions and made
        -- every later refresh trap: they become unknown, and the entry sorts by when it was first seen.
        UPDATE entries SET published_at = NULL
            WHERE published_at < -62135596800 OR published_at > 253402300799;
        UPDATE entries SET updated_at = NULL WHERE updated_at < -62135596800 OR updated_at > 253402300799;
        UPDATE entries SET sort_date = first_seen_at
            WHERE sort_date < -62135596800 OR sort_date > 253402300799;
        """,
        // 5: each entry's public id, assigned at first insert and never changed (see EntryIdentity). The
        // entries already stored get the ids they were published under (filled by `backfills`).
        """
        ALTER TABLE entries ADD COLUMN public_id TEXT;
        """,
        // 6: what the writer needs without scanning every entry: how many entries each source has in each
        // month, and which months changed since their pages were last written, both kept by triggers in
        // the transaction that changes the entries; and the fetch log by time, for pruning.
        """
        -- The UTC month of an entry's sort date as year * 100 + month: what its page is made of.
        ALTER TABLE entries ADD COLUMN month INTEGER
            AS (CAST(strftime('%Y%m', sort_date, 'unixepoch') AS INTEGER)) VIRTUAL;
        CREATE TABLE month_counts (
            source_id INTEGER NOT NULL,
            month INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (source_id, month)
        ) WITHOUT ROWID;
        INSERT INTO month_counts (source_id, month, count)
            SELECT source_id, month, COUNT(*) FROM entries GROUP BY 1, 2;
        -- With the change counter of its latest change (plus one, so never below it whichever trigger runs
        -- first): a publish clears only the marks it has seen, not one a concurrent writer adds meanwhile.
        CREATE TABLE dirty_months (month INTEGER PRIMARY KEY, counter INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TRIGGER entries_counted AFTER INSERT ON entries BEGIN
            INSERT INTO month_counts (source_id, month, count) VALUES (NEW.source_id, NEW.month, 1)
                ON CONFLICT (source_id, month) DO UPDATE SET count = count + 1;
            INSERT OR REPLACE INTO dirty_months VALUES (NEW.month, (SELECT counter + 1 FROM entry_changes));
        END;
        CREATE TRIGGER entries_uncounted AFTER DELETE ON entries BEGIN
            UPDATE month_counts SET count = count - 1 WHERE source_id = OLD.source_id AND month = OLD.month;
            DELETE FROM month_counts WHERE source_id = OLD.source_id AND count <= 0;
            INSERT OR REPLACE INTO dirty_months VALUES (OLD.month, (SELECT counter + 1 FROM entry_changes));
        END;
        -- Counts move only when an entry changes month or source; any change marks its page(s).
        CREATE TRIGGER entries_moved AFTER UPDATE OF sort_date, source_id ON entries
            WHEN OLD.month IS NOT NEW.month OR OLD.source_id IS NOT NEW.source_id BEGIN
            UPDATE month_counts SET count = count - 1 WHERE source_id = OLD.source_id AND month = OLD.month;
            DELETE FROM month_counts WHERE source_id = OLD.source_id AND count <= 0;
            INSERT INTO month_counts (source_id, month, count) VALUES (NEW.source_id, NEW.month, 1)
                ON CONFLICT (source_id, month) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER entries_marked AFTER UPDATE ON entries BEGIN
            INSERT OR REPLACE INTO dirty_months VALUES (OLD.month, (SELECT counter + 1 FROM entry_changes));
            INSERT OR REPLACE INTO dirty_months VALUES (NEW.month, (SELECT counter + 1 FROM entry_changes));
        END;
        CREATE INDEX fetch_log_by_time ON fetch_log (fetched_at);
        """,
        // 7: summaries and contents in a table of their own. They are most of an entry's bytes, and the pages,
        // the matching of a new document and the scheduler read entries without them: inline, every row was
        // a page of its own to read.
        """
        CREATE TABLE entry_bodies (
            entry INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            summary TEXT,
            content TEXT
        );
        INSERT INTO entry_bodies (entry, summary, content)
            SELECT id, summary, content FROM entries WHERE summary IS NOT NULL OR content IS NOT NULL;
        ALTER TABLE entries DROP COLUMN summary;
        ALTER TABLE entries DROP COLUMN content;
        """,
        // 8: each month's count over all sources, kept from the per-source counts by triggers: summing those
        // for every publish read 1,200,000 rows at 10,000 sources. The few inactive sources are subtracted.
        """
        CREATE TABLE month_totals (month INTEGER PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO month_totals (month, count) SELECT month, SUM(count) FROM month_counts GROUP BY month;
        CREATE TRIGGER month_counts_added AFTER INSERT ON month_counts BEGIN
            INSERT INTO month_totals (month, count) VALUES (NEW.month, NEW.count)
                ON CONFLICT (month) DO UPDATE SET count = count + NEW.count;
        END;
        CREATE TRIGGER month_counts_changed AFTER UPDATE OF count ON month_counts BEGIN
            UPDATE month_totals SET count = count + NEW.count - OLD.count WHERE month = NEW.month;
        END;
        CREATE TRIGGER month_counts_removed AFTER DELETE ON month_counts BEGIN
            UPDATE month_totals SET count = count - OLD.count WHERE month = OLD.month;
            DELETE FROM month_totals WHERE month = OLD.month AND count <= 0;
        END;
        CREATE INDEX sources_inactive ON sources (id) WHERE active = 0;
        """,
        // 9: each source's own feed: its newest entries by an index, and which sources' entries changed since
        // their feeds were last written (marked by triggers, as the months are).
        """
        CREATE INDEX entries_by_source_date ON entries (source_id, sort_date DESC);
        CREATE TABLE dirty_sources (source_id INTEGER PRIMARY KEY, counter INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO dirty_sources (source_id, counter) SELECT id, (SELECT counter FROM entry_changes) FROM sources;
        CREATE TRIGGER entries_source_added AFTER INSERT ON entries BEGIN
            INSERT OR REPLACE INTO dirty_sources VALUES (NEW.source_id, (SELECT counter + 1 FROM entry_changes));
        END;
        CREATE TRIGGER entries_source_removed AFTER DELETE ON entries BEGIN
            INSERT OR REPLACE INTO dirty_sources VALUES (OLD.source_id, (SELECT counter + 1 FROM entry_changes));
        END;
        CREATE TRIGGER entries_source_changed AFTER UPDATE ON entries BEGIN
            INSERT OR REPLACE INTO dirty_sources VALUES (OLD.source_id, (SELECT counter + 1 FROM entry_changes));
            INSERT OR REPLACE INTO dirty_sources VALUES (NEW.source_id, (SELECT counter + 1 FROM entry_changes));
        END;
        """,
        // 10: each entry's lead image (`LeadImage`), for the pages' thumbnails, which read no bodies. Entries
        // stored before get their first image enclosure; an image inside their content, once they change.
        """
        ALTER TABLE entries ADD COLUMN image TEXT;
        UPDATE entries SET image = (
            SELECT json_extract(value, '$.url') FROM json_each(entries.enclosures)
            WHERE lower(json_extract(value, '$.type')) LIKE 'image/%' LIMIT 1
        ) WHERE enclosures <> '[]';
        """,
        // 11: whether an entry's content (not only a summary) is stored, in its row: the month pages need it
        // for every post, and looking into the bodies for it added a tenth to their render.
        """
        ALTER TABLE entries ADD COLUMN has_content INTEGER NOT NULL DEFAULT 0;
        UPDATE entries SET has_content = 1 WHERE id IN (SELECT entry FROM entry_bodies WHERE content IS NOT NULL);
        """,
        // 12: the date indexes in ascending order. Read backwards, they give "newest first, then highest id"
        // (an index's rows are in rowid order within a date); descending, they could not, so SQLite sorted
        // every candidate row with its bodies in a temporary file: 2 MB written per source's own feed.
        """
        DROP INDEX entries_by_date;
        CREATE INDEX entries_by_date ON entries (sort_date);
        DROP INDEX entries_by_source_date;
        CREATE INDEX entries_by_source_date ON entries (source_id, sort_date);
        """,
        // 13: since when a source has been failing (its first counted failure after a success) and since when
        // with its current error, for the health feed. Sources failing now are dated by their fetch log.
        """
        ALTER TABLE sources ADD COLUMN failing_since INTEGER;
        ALTER TABLE sources ADD COLUMN error_since INTEGER;
        UPDATE sources SET failing_since = COALESCE(
            (SELECT MIN(fetched_at) FROM fetch_log
             WHERE source_id = sources.id AND fetched_at > COALESCE(sources.last_success_at, 0)),
            last_fetched_at)
        WHERE consecutive_failures > 0;
        UPDATE sources SET error_since = failing_since WHERE failing_since IS NOT NULL;
        """,
        // 14: entries the operator's filters hide stay stored, with why (the rule's feeds.yaml:LINE and text), and
        // are left out of every page, feed and count (and a new source's older posts are held from the front): the counts' triggers count shown entries only, and hiding
        // or showing one moves its counts and marks its month and source like any other change.
        """
        ALTER TABLE entries ADD COLUMN hidden_by TEXT;
        CREATE INDEX entries_hidden ON entries (id) WHERE hidden_by IS NOT NULL;
        -- A new source's first fetch sends only its newest posts to the front page (`new_source_items`): the
        -- others are held from it, and listed on their month pages as usual.
        ALTER TABLE entries ADD COLUMN front_held INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX entries_front_held ON entries (id) WHERE front_held = 1;
        -- The date a feed gave for a post from the future, kept for the record when it was clamped.
        ALTER TABLE entries ADD COLUMN claimed_at INTEGER;
        -- What the sanitiser took out of it, by kind (JSON), for `tidings explain`.
        ALTER TABLE entries ADD COLUMN removed TEXT;
        -- A later fetch that brought far more new posts than a source ever does (a re-published archive): when,
        -- and how many were held from the front, until the operator releases them.
        ALTER TABLE sources ADD COLUMN burst_at INTEGER;
        ALTER TABLE sources ADD COLUMN burst_held INTEGER;
        -- What a stored post was known as before a publisher renamed it (a new guid or link matched to it).
        CREATE TABLE entry_merges (
            entry INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            entry_id TEXT,
            link TEXT,
            merged_at INTEGER NOT NULL
        );
        CREATE INDEX entry_merges_by_entry ON entry_merges (entry);
        DROP TRIGGER entries_counted;
        CREATE TRIGGER entries_counted AFTER INSERT ON entries WHEN NEW.hidden_by IS NULL BEGIN
            INSERT INTO month_counts (source_id, month, count) VALUES (NEW.source_id, NEW.month, 1)
                ON CONFLICT (source_id, month) DO UPDATE SET count = count + 1;
        END;
        CREATE TRIGGER entries_inserted_marked AFTER INSERT ON entries BEGIN
            INSERT OR REPLACE INTO dirty_months VALUES (NEW.month, (SELECT counter + 1 FROM entry_changes));
        END;
        DROP TRIGGER entries_uncounted;
        CREATE TRIGGER entries_uncounted AFTER DELETE ON entries WHEN OLD.hidden_by IS NULL BEGIN
            UPDATE month_counts SET count = count - 1 WHERE source_id = OLD.source_id AND month = OLD.month;
            DELETE FROM month_counts WHERE source_id = OLD.source_id AND count <= 0;
        END;
        CREATE TRIGGER entries_deleted_marked AFTER DELETE ON entries BEGIN
            INSERT OR REPLACE INTO dirty_months VALUES (OLD.month, (SELECT counter + 1 FROM entry_changes));
        END;
        DROP TRIGGER entries_moved;
        CREATE TRIGGER entries_moved AFTER UPDATE OF sort_date, source_id, hidden_by ON entries
            WHEN OLD.month IS NOT NEW.month OR OLD.source_id IS NOT NEW.source_id
                OR (OLD.hidden_by IS NULL) <> (NEW.hidden_by IS NULL) BEGIN
            UPDATE month_counts SET count = count - 1
                WHERE source_id = OLD.source_id AND month = OLD.month AND OLD.hidden_by IS NULL;
            DELETE FROM month_counts WHERE source_id = OLD.source_id AND count <= 0;
            INSERT INTO month_counts (source_id, month, count) SELECT NEW.source_id, NEW.month, 1
                WHERE NEW.hidden_by IS NULL
                ON CONFLICT (source_id, month) DO UPDATE SET count = count + 1;
        END;
        """,
        // 15: the search index (FTS5) over each entry's title, author, categories and the visible text of its
        // summary and content. It keeps no copy of the text (a copy was as large as the store itself at
        // 1,000,000 entries): it reads from a view over the stored values through `tidings_search_text`
        // (registered on every connection), and an entry is taken out through the same view before its values
        // change or it goes, so what is removed is what was written. Entries wait in `search_pending` and are
        // indexed in batches once a refresh has published (on the storing task, indexing a cold refresh's text
        // made it 80% slower); every entry stored before the index waits there too.
        """
        CREATE VIEW entry_search_source AS
            SELECT e.id AS id, tidings_search_text(e.title, 0) AS title, tidings_search_text(e.author, 0) AS author,
                tidings_search_text(e.categories, 2) AS categories, tidings_search_text(b.summary, 1) AS summary,
                tidings_search_text(b.content, 1) AS content
            FROM entries e LEFT JOIN entry_bodies b ON b.entry = e.id;
        CREATE VIRTUAL TABLE entry_search USING fts5(
            title, author, categories, summary, content, content = 'entry_search_source', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER entries_unsearched BEFORE DELETE ON entries
            WHEN EXISTS (SELECT 1 FROM entry_search_docsize WHERE id = OLD.id)
        BEGIN
            INSERT INTO entry_search (entry_search, rowid, title, author, categories, summary, content)
                SELECT 'delete', id, title, author, categories, summary, content FROM entry_search_source
                WHERE id = OLD.id;
        END;
        CREATE TABLE search_pending (entry INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE);
        INSERT INTO search_pending (entry) SELECT id FROM entries;
        """,
    ]

    /// Steps that need Swift as well as SQL, run in the same transaction right after the step's SQL, by
    /// the version the step brings the schema to.
    static let backfills: [Int: @Sendable (Database) throws(StoreError) -> Void] = [
        5: { database throws(StoreError) in
            let rows = try database.query(
                "SELECT e.id, s.key, e.entry_id FROM entries e JOIN sources s ON s.id = e.source_id")
            for row in rows {
                guard let id = row.int(0), let key = row.string(1), let entryID = row.string(2) else { continue }
                try database.query(
                    "UPDATE entries SET public_id = ? WHERE id = ?",
                    [.text(publicIDAtVersion5(sourceKey: key, entryID: entryID)), .integer(Int64(id))])
            }
            try database.execute("CREATE UNIQUE INDEX entries_by_public_id ON entries (public_id)")
        }
    ]

    /// The public id every version before 5 published an entry under, frozen here: migration 5 must give the
    /// ids those versions published whatever `EntryIdentity.publicID` becomes. (A test pins its output.)
    static func publicIDAtVersion5(sourceKey: String, entryID: String) -> String {
        "urn:tidings:\(sourceKey):\(Fingerprint.of([entryID]))"
    }

    static var latestVersion: Int { steps.count }

    static func migrate(_ database: Database) throws(StoreError) {
        let current = try database.query("PRAGMA user_version").first?.int(0) ?? 0
        guard current <= latestVersion else {
            throw .newerSchema(path: database.path, found: current, supported: latestVersion)
        }
        for version in current..<latestVersion {
            try database.transaction { () throws(StoreError) in
                try database.execute(steps[version])
                try backfills[version + 1]?(database)
                try database.execute("PRAGMA user_version = \(version + 1)")
            }
        }
        // Migration 7 moves every body out of the entries' rows, leaving their pages mostly empty: as much
        // space again as the bodies take. Given back once, rewriting the file (VACUUM runs outside transactions).
        if current > 0, current < 7 { try database.execute("VACUUM") }
    }
}
