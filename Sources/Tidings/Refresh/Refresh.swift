import Checked
import Fetching
import Foundation
import Parsing
import Product
import Publishing
import Storage
import Time

/// One refresh cycle across the stages: fetch the sources, parse what arrived, store it (one
/// transaction per source) with each source's next poll, then write the outputs from the store.
public struct Refresh: Sendable {
    /// Which sources a cycle fetches.
    public enum Mode: Sendable {
        /// Those the schedule says are due (the daemon).
        case due
        /// Every source, except those the server or backoff told to wait, and those gone (`tidings refresh`).
        case all
        /// Every source, whatever it was told (`tidings refresh --force`).
        case force
    }

    public let config: Config
    let fetcher: Fetcher
    public let planner: PollPlanner

    /// `fetcher`: the process's fetcher, when it has one (the daemon keeps one across reloads).
    public init(config: Config, fetcher: Fetcher? = nil) {
        self.config = config
        self.fetcher = fetcher ?? Fetcher(settings: config.fetch)
        self.planner = PollPlanner(policy: config.polling)
    }

    /// Opens the store named by the configuration, creating its folder if needed.
    public func openStore() throws -> Store {
        let folder = config.databaseFile.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try Store(path: config.databaseFile.path)
    }

    /// Runs one cycle, over the sources keyed in `only` when it is given. A source that fails is reported
    /// and left as it was; only an unusable store or output folder makes the whole cycle throw. `progress`
    /// hears each source's outcome as soon as it is stored (skipped sources first).
    ///
    /// Cancelled (a shutdown), the cycle aborts the transfers still running, stores what was already
    /// parsed, and returns without writing the outputs: the next start writes them from the store.
    ///
    /// `publish: false` stores and leaves the outputs to the caller (the daemon publishes what several
    /// overlapping rounds stored, every few seconds); `busy` are sources another round of this process is
    /// fetching: they are left out, and their parse notes left alone.
    public func run(
        store: Store, mode: Mode = .all, only: Set<String>? = nil, busy: Set<String> = [], publish: Bool = true,
        now: @escaping @Sendable () -> Date = Date.init, progress: (@Sendable (SourceOutcome) -> Void)? = nil
    ) async throws -> RefreshReport {
        let interrupted = try store.reviewInterruptedParses(
            quarantineReason: "Tidings stopped while parsing this source's document alone (noticed"
                + " \(Timestamp.display(now()))); it is skipped until the document changes (or with --force)",
            sparing: busy)
        let records = try registeredSources(in: store, now: now())
        let start = now()
        var outcomes: [String: SourceOutcome] = [:]
        var requests: [FetchRequest] = []
        for source in config.sources where (only?.contains(source.key) ?? true) && !busy.contains(source.key) {
            guard let record = records[source.key] else { continue }
            if mode == .due, !PollPlanner.isDue(record, now: start) { continue }
            if mode == .all, let reason = PollPlanner.heldBack(record, now: start) {
                let outcome = SourceOutcome(key: source.key, status: .skipped(reason), warnings: [])
                outcomes[source.key] = outcome
                progress?(outcome)
                continue
            }
            requests.append(request(for: source, record: record))
        }
        if mode == .due, requests.isEmpty { return RefreshReport(outcomes: [], written: []) }
        var cycle = Cycle(refresh: self, store: store, records: records, now: now)
        cycle.force = mode == .force
        // Each source's own feeds are rendered as soon as its entries are stored, while others download.
        let prestager =
            publish ? FeedPrestager(site: feedSite, folder: config.outputFolder, storePath: store.path) : nil
        cycle.prestager = prestager
        cycle.progress = progress
        defer { prestager?.discard() }  // what the publish did not take (nothing, when it throws first)
        for (key, outcome) in try await cycle.run(requests) { outcomes[key] = outcome }
        if Task.isCancelled {
            return RefreshReport(
                outcomes: config.sources.compactMap { outcomes[$0.key] }, written: [], interrupted: true)
        }
        for note in interrupted {
            let text =
                note.quarantined
                ? "quarantined: Tidings died again while parsing its document alone"
                : "Tidings died while this source's document was being parsed; it is parsed alone until a parse of"
                    + " it finishes"
            outcomes[note.key]?.warnings.append(text)
        }
        if let retention = config.retention {
            let now = now()
            try store.prune(olderThan: now.addingTimeInterval(-Double(retention.components.seconds)), now: now)
        }
        try store.pruneFetchLog(olderThan: now().addingTimeInterval(-Self.fetchLogDays * 86_400))
        let written = publish ? try self.publish(from: store, prestaged: prestager, now: now()).written : []
        var report = RefreshReport(outcomes: config.sources.compactMap { outcomes[$0.key] }, written: written)
        if let file = config.metricsFile {
            do {
                try countRound(report, in: store, started: start, now: now()).write(to: file)
            } catch {
                report.warnings.append("\(error)")
            }
        }
        return report
    }

    /// Adds a round to the store's counters (kept across runs and restarts), and returns them.
    private func countRound(_ report: RefreshReport, in store: Store, started: Date, now: Date) throws -> Metrics {
        let failing = try store.sources().filter { $0.consecutiveFailures > 0 }.count
        // Read and written in one transaction: overlapping rounds add to the counters one after the other.
        return try store.batch { () throws(StoreError) -> Metrics in
            var metrics =
                try store.value(named: "metrics").flatMap {
                    try? JSONDecoder().decode(Metrics.self, from: Data($0.utf8))
                } ?? Metrics()
            metrics.add(
                report, sources: config.sources.count, failing: failing, at: now,
                seconds: now.timeIntervalSince(started))
            let encoded = (try? JSONEncoder().encode(metrics)) ?? Data()
            try store.setValue(String(decoding: encoded, as: UTF8.self), named: "metrics")
            return metrics
        }
    }

    /// Writes the outputs, unless they were last written from the store as it is now (its change counter,
    /// moved in the same transaction as every entry change) and from the same settings and sources by this
    /// version. Deciding from the store, not from what this run changed, means a run killed between
    /// storing and publishing is made good by the next one.
    ///
    /// When only entries changed, only the month pages whose entries changed (the store's dirty months, marked
    /// by triggers in the entries' own transactions) are rendered again, with the index and the feeds, plus,
    /// when months appeared or vanished, the pages whose links to the months before and after them changed.
    /// Other settings, sources or version, or `full`, render everything.
    ///
    /// `health.atom` is checked every time, whatever else changed: a source crosses `health_after` with time.
    @discardableResult
    public func publish(from store: Store, full: Bool = false, prestaged: FeedPrestager? = nil, now: Date = Date())
        throws -> Publisher.Report
    {
        let records = try store.sources()
        var report = try publishOutputs(from: store, records: records, full: full, prestaged: prestaged)
        if try publishHealth(from: store, records: records, now: now) { report.written.append(HealthFeed.path) }
        return report
    }

    private func publishOutputs(from store: Store, records: [SourceRecord], full: Bool, prestaged: FeedPrestager?)
        throws -> Publisher.Report
    {
        let site = try self.site()
        // What every output shows of the sources: a change renders everything.
        let sources = records.map {
            [$0.key, $0.displayTitle, $0.siteLink ?? "", $0.webFeedURL(site: site) ?? ""].joined(separator: "\u{1F}")
        }
        let templates = site.templates.texts.sorted { $0.key < $1.key }.map { "\($0.key)\u{1F}\($0.value)" }
        let layout = Fingerprint.of(
            [
                Product.version, site.title, site.baseURL, String(site.maxEntries), config.outputFolder.path,
                "\(site.pages)",
            ] + sources + templates)
        let months = try store.months().map(\.key)
        let counter = try store.changeCounter()
        let changes = String(counter)
        let publisher = Publisher(site: site, folder: config.outputFolder)
        publisher.removeLeftovers()
        let hasIndex = FileManager.default.fileExists(
            atPath: config.outputFolder.appendingPathComponent("index.html").path)
        let sameLayout = try store.value(named: "published") == layout && hasIndex && !full
        if sameLayout, try store.value(named: "published-changes") == changes { return Publisher.Report() }
        let dirty = try store.dirtyMonths()
        let dirtySources = Set(try store.dirtySourceCounters().keys)
        let publishedMonths = try store.value(named: "published-months").flatMap(MonthList.init)
        let rendering = publishedMonths.map { dirty.union(MonthList.newNeighbours(from: $0.months, to: months)) }
        let report = try publisher.publish(
            from: store, records: records, onlyMonths: sameLayout ? rendering : nil,
            onlySources: sameLayout ? dirtySources : nil, prestaged: prestaged)
        try store.clearDirtyMonths(dirty, upTo: counter)
        try store.clearDirtySources(dirtySources, upTo: counter)
        try store.setValue(layout, named: "published")
        try store.setValue(MonthList(months).text, named: "published-months")
        try store.setValue(changes, named: "published-changes")
        return report
    }

    /// The site's settings as the feeds need them: no templates read.
    var feedSite: Site {
        Site(
            title: config.title, baseURL: config.baseURL, maxEntries: config.maxEntries,
            pageSourceKeys: Set(config.sources.filter { $0.html != nil }.map(\.key)), pages: config.pages)
    }

    /// The site's settings for the writers, with its templates read (a broken folder is an error here).
    func site() throws(PublishError) -> Site {
        var site = feedSite
        site.templates = try Templates(overriding: config.templatesFolder)
        return site
    }

    /// Renders every output again from the store (`tidings render`), fetching nothing.
    public func render(store: Store) throws -> Publisher.Report {
        _ = try registeredSources(in: store, now: Date())
        return try publish(from: store, full: true)
    }

    /// The configured sources that have been failing for longer than `health_after`.
    func healthProblems(in records: [SourceRecord], now: Date) -> [HealthProblem] {
        let threshold = now.addingTimeInterval(-Double(config.healthAfter.components.seconds))
        return records.compactMap { record in
            guard let since = record.failingSince, since <= threshold, let error = record.lastError else { return nil }
            return HealthProblem(
                key: record.key, title: record.displayTitle, url: record.fetchURL, failingSince: since,
                errorSince: record.errorSince ?? since, error: error, lastSuccess: record.lastSuccessAt)
        }
    }

    /// Writes `health.atom` when its problems changed (checked every round: a source crosses the threshold
    /// with time alone); true when written. Its date is when the set of problems last changed.
    func publishHealth(from store: Store, records: [SourceRecord], now: Date) throws -> Bool {
        let problems = healthProblems(in: records, now: now)
        let fingerprint = Fingerprint.of(
            problems.map { "\($0.key) \($0.failingSince) \($0.errorSince) \($0.error) \($0.title) \($0.url)" })
        var updated = try store.value(named: "health-updated").flatMap(Double.init).map(
            Date.init(timeIntervalSince1970:))
        if try store.value(named: "health-problems") != fingerprint || updated == nil {
            updated = now
            try store.setValue(fingerprint, named: "health-problems")
            try store.setValue(String(Checked.unixSeconds(now)), named: "health-updated")
        }
        return try HealthFeed.publish(
            problems, site: feedSite, folder: config.outputFolder, updated: updated ?? now)
    }

    /// Every configured source's state, in configuration order, read without writing to the store (a
    /// daemon may be using it; a source it has not registered yet shows as never fetched).
    public func status(now: Date) throws -> [SourceStatus] {
        var records: [String: SourceRecord] = [:]
        if FileManager.default.fileExists(atPath: config.databaseFile.path) {
            let reader = try StoreReader(path: config.databaseFile.path)
            records = Dictionary(try reader.sources().map { ($0.key, $0) }) { first, _ in first }
        }
        let rows = config.sources.map { source in
            records[source.key].flatMap { $0.url == source.url ? $0 : nil }
                ?? SourceRecord(key: source.key, url: source.url, displayTitle: source.title ?? source.key)
        }
        // The problems first, longest failing first; then every source in the configuration's order.
        let problems = healthProblems(in: rows, now: now).sorted { $0.failingSince < $1.failingSince }.map(\.key)
        let order = Dictionary(uniqueKeysWithValues: problems.enumerated().map { ($1, $0) })
        let sorted = rows.enumerated().sorted {
            (order[$0.element.key] ?? problems.count, $0.offset) < (order[$1.element.key] ?? problems.count, $1.offset)
        }
        return sorted.map { SourceStatus($0.element, now: now, isProblem: order[$0.element.key] != nil) }
    }

    /// Makes the store's sources match the configuration and reads them back, by key.
    public func registeredSources(in store: Store, now: Date) throws -> [String: SourceRecord] {
        try store.register(
            config.sources.map { SourceDefinition(key: $0.key, url: $0.url, title: $0.title) }, now: now)
        return Dictionary(uniqueKeysWithValues: try store.sources().map { ($0.key, $0) })
    }

    /// How long the fetch log keeps its lines.
    static let fetchLogDays = 30.0

    private func request(for source: SourceConfig, record: SourceRecord) -> FetchRequest {
        // A blog page whose feed was found earlier: fetch the feed itself. A moved source: its new URL.
        let url = source.html == nil ? record.fetchURL : (record.poll.movedURL ?? source.url)
        return FetchRequest(
            key: source.key, url: url, etag: record.etag, lastModified: record.lastModified,
            allowsFileScheme: source.isLocalFile && url == source.url, maxBodyBytes: source.maxBodyBytes)
    }
}
