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
    /// The operator's filters, as this configuration has them (made once: every stored entry asks).
    let filters: Filters

    /// `fetcher`: the process's fetcher, when it has one (the daemon keeps one across reloads).
    public init(config: Config, fetcher: Fetcher? = nil) {
        self.config = config
        self.fetcher = fetcher ?? Fetcher(settings: config.fetch)
        self.planner = PollPlanner(policy: config.polling)
        self.filters = Filters(config: config)
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
        // Rules changed since the stored verdicts were made: the stored entries are reviewed before new ones
        // are stored with the rules as they are (on a new store, nothing to review: the rules are noted).
        try filters.apply(to: store, now: now())
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
        let failing = try store.sources().filter(\.isFailing).count
        // Read and written in one transaction: overlapping rounds add to the counters one after the other.
        return try store.batch { () throws(StoreError) -> Metrics in
            var metrics = try store.metrics().flatMap { try? JSONDecoder().decode(Metrics.self, from: $0) } ?? Metrics()
            metrics.add(
                report, sources: config.sources.count, failing: failing, at: now,
                seconds: now.timeIntervalSince(started))
            let encoded = (try? JSONEncoder().encode(metrics)) ?? Data()
            try store.saveMetrics(encoded)
            return metrics
        }
    }

    /// Writes what changed in the store since the outputs were last written (Publishing's `PublishPlan`
    /// decides which files), with `health.atom` checked every time; `full` renders everything. The filters
    /// are applied to the stored entries first when they changed.
    @discardableResult
    public func publish(from store: Store, full: Bool = false, prestaged: FeedPrestager? = nil, now: Date = Date())
        throws -> Publisher.Report
    {
        // Rules changed since the stored verdicts were made: review them first, so this publish shows the change.
        try filters.apply(to: store, now: now)
        let report = try Publisher(site: try site(), folder: config.outputFolder).publishChanges(
            from: store, healthAfter: config.healthAfter, full: full, prestaged: prestaged, now: now)
        // What was stored is searchable once the outputs are out: indexing a cold refresh's text before them
        // would hold them back by most of the refresh's time again. A failure here is not the publish's: the
        // posts stay queued for the next one, and `tidings search` says how many wait.
        try? store.indexPending()
        return report
    }

    /// The site's settings as the feeds need them: no templates read.
    var feedSite: Site {
        Site(
            title: config.title, baseURL: config.baseURL, maxEntries: config.maxEntries,
            pageSourceKeys: Set(config.sources.filter { $0.html != nil }.map(\.key)), pages: config.pages,
            maxPerSource: config.maxPerSource)
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
        let problems = HealthProblem.all(in: rows, after: config.healthAfter, now: now).sorted { $0.failingSince < $1.failingSince }.map(\.key)
        let order = Dictionary(uniqueKeysWithValues: problems.enumerated().map { ($1, $0) })
        let sorted = rows.enumerated().sorted {
            (order[$0.element.key] ?? problems.count, $0.offset) < (order[$1.element.key] ?? problems.count, $1.offset)
        }
        return sorted.map { SourceStatus($0.element, now: now, isProblem: order[$0.element.key] != nil) }
    }

    /// Makes the store's sources match the configuration and reads them back, by key.
    public func registeredSources(in store: Store, now: Date) throws -> [String: SourceRecord] {
        try store.register(
            config.sources.map { SourceDefinition(key: $0.key, url: $0.url, title: $0.title, readsPage: $0.html != nil) }, now: now)
        return Dictionary(uniqueKeysWithValues: try store.sources().map { ($0.key, $0) })
    }

    /// How long the fetch log keeps its lines.
    static let fetchLogDays = 30.0

    private func request(for source: SourceConfig, record: SourceRecord) -> FetchRequest {
        // A blog page whose feed was found earlier: fetch the feed itself. A moved source: its new URL.
        let url = record.fetchURL
        return FetchRequest(
            key: source.key, url: url, etag: record.etag, lastModified: record.lastModified,
            allowsFileScheme: source.isLocalFile && url == source.url, maxBodyBytes: source.maxBodyBytes,
            http: source.http)
    }
}
