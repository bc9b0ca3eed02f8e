import Fetching
import Foundation
import Parsing
import Product
import Publishing
import Storage

/// The fetch → parse → store pipeline of one refresh. Fetching (its own thread), parsing (child tasks,
/// one per core) and storing (this task, the store's only user) overlap: a document is parsed while
/// others download and the previous one is stored.
struct Cycle {
    let refresh: Refresh
    let store: Store
    let records: [String: SourceRecord]
    let now: @Sendable () -> Date
    /// `--force`: quarantined documents are parsed again.
    var force = false
    /// Renders the own feeds of each source whose entries changed, once they are stored.
    var prestager: FeedPrestager?
    /// Told each source's outcome once it is stored, while the others are still on their way.
    var progress: (@Sendable (SourceOutcome) -> Void)?

    /// How many documents are parsed at once: one per core, plus one so the cores keep parsing while this
    /// task stores (measured: 1,000 feeds cold, 15.1 s → 14.0 s on two cores).
    static let parallelParses = max(1, ProcessInfo.processInfo.activeProcessorCount) + 1
    /// How many document bytes are parsed at once: a parse holds about six times its document (the tree,
    /// the entries, their sanitised text), so documents of megabytes are parsed one or two at a time, and
    /// one near the 16 MiB limit alone, whatever the corpus.
    static let parseBudget = 8 * 1024 * 1024

    func run(_ requests: [FetchRequest]) async throws -> [String: SourceOutcome] {
        let sources = Dictionary(uniqueKeysWithValues: refresh.config.sources.map { ($0.key, $0) })
        let finder = FeedFinder(fetcher: refresh.fetcher)
        let filters = refresh.filters
        let follower = ArticleFollower(fetcher: refresh.fetcher)
        var followed: [String: Set<String>] = [:]
        for request in requests where sources[request.key]?.follow != nil {
            followed[request.key] = try store.entryIDsWithContent(for: request.key)
        }
        var outcomes: [String: SourceOutcome] = [:]
        // Unreachable sources are recorded last: when nothing at all was reachable, the network is down and
        // no source is to blame.
        var unreachable: [Processed] = []
        var reachedAnything = false
        var batch = PendingBatch()
        func flush() throws {
            let pending = batch.take()
            guard !pending.isEmpty else { return }
            let stored = try store.batch { () throws(StoreError) in
                try pending.map { done throws(StoreError) in try record(done, networkDown: false) }
            }
            for outcome in stored {
                outcomes[outcome.key] = outcome
                progress?(outcome)
            }
        }
        try await withThrowingTaskGroup(of: Processed.self) { group in
            var parsing = 0
            var parsingBytes = 0
            func keep(_ done: Processed) throws {
                parsingBytes -= done.result.heldBytes
                if case .fetchFailed(let error) = done.outcome, error.isUnreachable {
                    unreachable.append(done)
                    return
                }
                reachedAnything = true
                if PendingBatch.canWait(done) {
                    if batch.add(done) { try flush() }
                } else {
                    try flush()
                    // One transaction: the entries, the parse note cleared and the next poll, all or none.
                    let outcome = try store.batch { () throws(StoreError) in try record(done, networkDown: false) }
                    outcomes[done.source.key] = outcome
                    progress?(outcome)
                    if case .stored(let changes) = outcome.status, changes.new + changes.updated > 0 {
                        prestager?.stage(done.source.key)
                    }
                }
            }
            func drain() async throws {
                while let done = try await group.next() {
                    try keep(done)
                    parsing -= 1
                }
            }
            for await result in refresh.fetcher.fetch(requests) {
                guard let source = sources[result.key], let record = records[result.key] else { continue }
                while parsing > 0,
                    parsing >= Self.parallelParses || parsingBytes + result.heldBytes > Self.parseBudget,
                    let done = try await group.next()
                {
                    try keep(done)
                    parsing -= 1
                }
                let fetchTime = now()
                let known = followed[source.key] ?? []
                let document = Self.document(result, for: source, record: record, force: force)
                if case .parse(let hash) = document {
                    // A source whose parse once died with the process is parsed alone, so that if it dies
                    // again, the note left behind can only be its own.
                    if record.isParseSuspect { try await drain() }
                    try store.noteParsing(key: source.key, documentHash: hash)
                }
                // Once the configured URL has served a feed, an HTML page from it is a failure, never a reason
                // to adopt whatever feed that page advertises.
                let mayDiscover = record.yielded != .feed
                group.addTask {
                    var processed = await Self.parse(
                        result, for: source, document: document, mayDiscover: mayDiscover, finder: finder,
                        now: fetchTime)
                    if let rule = source.follow, case .parsed(let feed) = processed.outcome {
                        let followed = await follower.follow(
                            feed, rule: rule, options: source.parser, known: known, now: fetchTime, http: source.http)
                        processed.outcome = .parsed(followed)
                        // An article page that failed is retried next time, so the same index must be parsed again.
                        if followed.entries.contains(where: { $0.content == nil }) { processed.bodyHash = nil }
                    }
                    // Verdicts that need nothing from the store are made here, on the parse tasks, off the
                    // storing task (which every source's results wait on).
                    // (Not for a recovered document: a merge may keep the stored, longer title.)
                    if case .parsed(let feed) = processed.outcome, !feed.isRecovered {
                        processed.verdicts = filters.verdictsBeforeStoring(feed.entries, source: source.key, now: fetchTime)
                    }
                    return processed
                }
                parsing += 1
                parsingBytes += result.heldBytes
                if record.isParseSuspect { try await drain() }
            }
            for try await done in group { try keep(done) }
        }
        try flush()
        let networkDown = !reachedAnything && Set(unreachable.map { SiteKey.of($0.result.requestedURL) }).count >= 2
        let stored = try store.batch { () throws(StoreError) in
            try unreachable.map { done throws(StoreError) in try record(done, networkDown: networkDown) }
        }
        for outcome in stored {
            outcomes[outcome.key] = outcome
            progress?(outcome)
        }
        return outcomes
    }

    /// Results that change only a source's fetch state (a 304, a failure), stored together in one transaction:
    /// a commit per source was most of a warm refresh's time at 10,000 sources. Killed before a batch is
    /// stored, Tidings fetches those sources again next time; nothing else is lost.
    struct PendingBatch {
        static let maxCount = 100
        static let maxAge: Duration = .seconds(1)

        private var results: [Processed] = []
        private var since = ContinuousClock.now

        /// A parsed document is stored at once: its parse note must be cleared with it (see `Store.noteParsing`).
        static func canWait(_ processed: Processed) -> Bool {
            switch processed.outcome {
            case .parsed, .unparsable: false
            case .notModified, .unchanged, .fetchFailed, .quarantined: true
            }
        }

        /// Adds a result; true when the batch is due to be stored.
        mutating func add(_ processed: Processed) -> Bool {
            if results.isEmpty { since = .now }
            results.append(processed)
            return results.count >= Self.maxCount || ContinuousClock.now - since >= Self.maxAge
        }

        mutating func take() -> [Processed] {
            defer { results.removeAll(keepingCapacity: true) }
            return results
        }
    }

    /// How many 404 or 410 answers in a row make a discovered feed gone.
    static let goneDiscoveredFeedFailures = 3

    /// A fetch result with what parsing made of it, on its way to the store.
    struct Processed: Sendable {
        enum Outcome: Sendable {
            case notModified
            /// A 200 whose body is the one parsed last time.
            case unchanged
            case fetchFailed(FetchError)
            case unparsable(ParseError)
            case parsed(ParsedFeed)
            /// The document that crashed Tidings before: not parsed again.
            case quarantined(String)
        }

        var source: SourceConfig
        var result: FetchResult
        var outcome: Outcome
        /// A feed found on the source's page in this cycle, to be fetched in the page's place from now on.
        var discoveredURL: String?
        var bodyHash: String?
        /// The filters' verdicts made while parsing, by entry id (an entry not in it is shown); nil when they
        /// must wait for the store (rules on dates or bodies, `future_dates: hold`).
        var verdicts: [String: String]?
    }

    /// What to do with a fetch result before any parsing, decided on the storing task so a parse can be
    /// noted in the store before it starts.
    enum Document: Sendable {
        case notFetched
        /// The body parsed last time.
        case unchanged
        /// The body that crashed Tidings, with the quarantine's reason.
        case quarantined(String)
        case parse(hash: String)
    }

    static func document(_ result: FetchResult, for source: SourceConfig, record: SourceRecord, force: Bool)
        -> Document
    {
        guard case .fetched(let body) = result.outcome else { return .notFetched }
        let hash = Fingerprint.of(bytes: body, seed: "\(Product.version) \(result.finalURL) \(source)")
        if hash == record.poll.bodyHash { return .unchanged }
        if let quarantine = record.quarantine, quarantine.documentHash == hash, !force {
            return .quarantined(quarantine.reason)
        }
        return .parse(hash: hash)
    }

    private static func parse(
        _ result: FetchResult, for source: SourceConfig, document: Document, mayDiscover: Bool, finder: FeedFinder,
        now: Date
    ) async -> Processed {
        guard case .fetched(let body) = result.outcome else {
            let outcome: Processed.Outcome =
                switch result.outcome {
                case .failed(let error): .fetchFailed(error)
                default: .notModified
                }
            return Processed(source: source, result: result, outcome: outcome)
        }
        let hash: String
        switch document {
        case .parse(let documentHash): hash = documentHash
        case .quarantined(let reason): return Processed(source: source, result: result, outcome: .quarantined(reason))
        case .unchanged, .notFetched: return Processed(source: source, result: result, outcome: .unchanged)
        }
        #if DEBUG
            TestCrashHook.check(body)
        #endif
        let outcome: Processed.Outcome
        do {
            outcome = .parsed(
                try FeedParser(options: source.parser).parse(
                    body, url: result.finalURL, contentType: result.contentType, rules: source.html, now: now))
        } catch .htmlInsteadOfFeed(let title, _) where source.html == nil {
            if let wall = FeedDiscovery.wall(in: body) {
                return Processed(source: source, result: result, outcome: .unparsable(.wall(wall)))
            }
            guard mayDiscover else {
                return Processed(
                    source: source, result: result, outcome: .unparsable(.pageInsteadOfKnownFeed(title: title)))
            }
            guard result.requestedURL == source.url else {
                return Processed(source: source, result: result, outcome: .unparsable(.noFeedFound(attempts: [])))
            }
            // A blog's page rather than its feed: look for the feed.
            let discovery = await finder.find(
                inPage: body, url: result.finalURL, contentType: result.contentType, options: source.parser, now: now,
                http: source.http)
            guard let feed = discovery.feed else {
                let attempts = discovery.attempts.map { "\($0.candidate.url): \($0.outcome)" }
                return Processed(source: source, result: result, outcome: .unparsable(.noFeedFound(attempts: attempts)))
            }
            return Processed(
                source: source, result: feed.result, outcome: .parsed(feed.parsed), discoveredURL: feed.url)
        } catch {
            outcome = .unparsable(error)
        }
        return Processed(source: source, result: result, outcome: outcome, bodyHash: hash)
    }

    /// Stores one source's outcome, its next poll and a line in the fetch log.
    private func record(_ processed: Processed, networkDown: Bool) throws(StoreError) -> SourceOutcome {
        let (source, result) = (processed.source, processed.result)
        guard let previous = records[source.key] else {
            return SourceOutcome(key: source.key, status: .failed("not registered"), warnings: [])
        }
        let now = now()
        var status: SourceOutcome.Status
        var warnings: [String] = []
        let verdict: PollPlanner.Verdict
        var forgetDiscovered = false
        switch processed.outcome {
        case .notModified, .unchanged:
            let isUnchangedBody = if case .unchanged = processed.outcome { true } else { false }
            try store.recordNotModified(
                key: source.key, status: result.status ?? 304,
                validators: isUnchangedBody ? Validators(etag: result.etag, lastModified: result.lastModified) : nil,
                now: now)
            status = isUnchangedBody ? .sameDocument : .notModified
            verdict = .success(nil)
        case .fetchFailed(let error):
            // A discovered feed that has gone away (404 or 410 three times in a row, so one bad answer cannot
            // send the source looking for another feed): look at the page again next time.
            forgetDiscovered =
                previous.discoveredURL == result.requestedURL && (result.status == 404 || result.status == 410)
                && previous.consecutiveFailures + 1 >= Self.goneDiscoveredFeedFailures
            if forgetDiscovered, let gone = previous.discoveredURL {
                warnings.append("the feed found at \(gone) is gone; the page is searched again on the next fetch")
            }
            // Not the source's fault: its page is searched again next time, without waiting.
            if forgetDiscovered { try store.setDiscoveredURL(nil, for: source.key) }
            let counts = !networkDown && !forgetDiscovered
            var reason = error.description
            if let wall = FeedDiscovery.wall(in: result.errorPage) {
                reason += ": " + ParseError.wallMessage(wall)
            }
            if networkDown { reason += " (every source was unreachable: the network seems down; not held against it)" }
            try store.recordFailure(key: source.key, status: result.status, error: reason, counts: counts, now: now)
            status = .failed(reason)
            verdict = .failure(counts: counts)
        case .unparsable(let error):
            let reason = "\(result.finalURL): \(error.description)"
            try store.recordFailure(key: source.key, status: result.status, error: reason, now: now)
            status = .failed(reason)
            verdict = .failure(counts: true)
        case .quarantined(let reason):
            try store.recordFailure(key: source.key, status: result.status, error: reason, counts: false, now: now)
            status = .quarantined(reason)
            verdict = .failure(counts: false)
        case .parsed(let feed):
            if let discovered = processed.discoveredURL {
                try store.setDiscoveredURL(discovered, for: source.key)
                if previous.yielded != .page { try store.setYielded(.page, for: source.key) }
                if discovered != previous.discoveredURL {
                    warnings.append("its feed was found at \(discovered) and is fetched from now on")
                }
            } else if previous.discoveredURL == nil, previous.yielded != .feed {
                try store.setYielded(.feed, for: source.key)
            }
            let filters = refresh.filters
            let verdicts = processed.verdicts
            let changes = try store.recordSuccess(
                key: source.key, feed: feed,
                validators: Validators(etag: result.etag, lastModified: result.lastModified),
                status: result.status ?? 200, now: now,
                hide: { entry, firstSeen in
                    if let verdicts { return verdicts[entry.id] }
                    return filters.hiddenBy(entry, source: source.key, firstSeen: firstSeen, now: now)
                },
                newSourceItems: refresh.config.newSourceItems)
            status = .stored(changes)
            warnings = feed.warnings + warnings
            verdict = .success(feed)
        }
        switch processed.outcome {
        case .parsed, .unparsable: try store.finishParsing(key: source.key)
        default: break
        }
        var poll = refresh.planner.plan(
            previous, result: result, verdict: verdict, interval: source.interval,
            postingDates: try store.postingDates(for: source.key), now: now)
        if forgetDiscovered {
            // The page is searched again at once, whatever waits the gone feed earned.
            poll.goneSince = nil
            poll.waitUntil = nil
            poll.waitReason = nil
        }
        if let hash = processed.bodyHash, case .parsed = processed.outcome { poll.bodyHash = hash }
        if let moved = poll.movedURL, moved != previous.poll.movedURL {
            warnings.append("moved permanently to \(moved); fetched there from now on (feeds.yaml is left as it is)")
        }
        try store.savePollState(poll, for: source.key)
        try store.logFetch(
            FetchLogEntry(
                sourceKey: source.key, at: now, url: result.requestedURL, status: result.status, bytes: result.bytes,
                durationSeconds: result.durationSeconds, notModified: result.status == 304,
                error: status.failureReason))
        var outcome = SourceOutcome(key: source.key, status: status, warnings: warnings)
        outcome.transfer = SourceOutcome.Transfer(bytes: result.bytes, seconds: result.durationSeconds)
        return outcome
    }
}
