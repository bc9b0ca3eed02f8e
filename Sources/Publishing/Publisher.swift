import CSync
import Foundation
import Storage
import Synchronization

/// The publishing stage: reads the store and writes every output file under one folder.
public struct Publisher: Sendable {
    public let site: Site
    public let folder: URL

    public init(site: Site, folder: URL) {
        self.site = site
        self.folder = folder
    }

    /// What a publish run wrote.
    public struct Report: Sendable, Equatable {
        /// Paths relative to the output folder of the files whose content changed.
        public var written: [String] = []
        public var unchanged = 0
        /// The month pages rendered (written or found unchanged), as `YYYY/MM`.
        public var renderedMonths: [String] = []
        /// Outputs no longer produced (the page of a month without posts, a removed source's feeds), removed.
        public var removed: [String] = []

        public init() {}
    }

    /// Removes the temporary files a publish killed before renaming left in the folder. The caller does it
    /// before deciding whether to publish at all, so leftovers go even when nothing needs writing.
    public func removeLeftovers() {
        OutputSet.removeLeftovers(in: folder)
    }

    /// Every output Tidings publishes, in the order they are written: the month pages before the pages and
    /// feeds that link to them.
    static let outputs: [any Output] = [
        MonthPages(), SiteIndex(), Archive(), SourcesPage(), CombinedFeeds(), SourceFeeds(), DigestFeeds(), SourceList(),
        Stylesheet(), SearchFiles(), HealthOutput(),
    ]

    /// Publishes what changed in the store since the last publish, as `PublishPlan` decides, with
    /// `health.atom` checked every time (a source crosses `healthAfter` with time alone), all in one set of
    /// files renamed together; then notes in the store what was published. `full` renders everything.
    @discardableResult
    public func publishChanges(
        from store: Store, healthAfter: Duration, full: Bool = false, prestaged: FeedPrestager? = nil,
        now: Date = Date()
    ) throws -> Report {
        removeLeftovers()
        let records = try store.sources()
        let published = try store.publishedState()
        let plan = PublishPlan.decide(
            published: published, layout: PublishPlan.layout(site: site, folder: folder, records: records),
            changeCounter: try store.changeCounter(), months: try store.months().map(\.key),
            dirtyMonths: try store.dirtyMonths(), dirtySources: Set(try store.dirtySourceCounters().keys),
            hasIndex: FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.html").path),
            full: full)
        let health = HealthFeed.Snapshot(
            HealthProblem.all(in: records, after: healthAfter, now: now), previous: published, now: now)
        let sourcesHealth = SourcesPage.healthFingerprint(records)
        let report: Report
        switch plan.scope {
        case .healthOnly where published.healthProblems != health.fingerprint || published.sourcesHealth != sourcesHealth:
            // A source began or stopped failing, or fails differently: the operator's page says so at once,
            // not only once it is a problem in health.atom or when entries next change.
            report = try publish(
                from: store, records: records, outputs: [SourcesPage(), HealthOutput()], health: health,
                prestaged: prestaged, now: now)
        case .healthOnly:
            report = try publishHealth(health)
        case .render(let onlyMonths, let onlySources):
            report = try publish(
                from: store, records: records, onlyMonths: onlyMonths, onlySources: onlySources, health: health,
                prestaged: prestaged, now: now)
            try store.clearDirtyMonths(plan.dirtyMonths, upTo: plan.changeCounter)
            try store.clearDirtySources(plan.dirtySources, upTo: plan.changeCounter)
            try store.savePublishedOutputs(layout: plan.layout, changeCounter: plan.changeCounter, months: plan.months)
        }
        if published.healthProblems != health.fingerprint || published.healthUpdated == nil {
            try store.saveHealth(problems: health.fingerprint, updated: health.updated)
        }
        if published.sourcesHealth != sourcesHealth { try store.saveSourcesHealth(sourcesHealth) }
        return report
    }

    /// `health.atom` alone, when nothing else changed: without reading the store's entries for the others.
    private func publishHealth(_ health: HealthFeed.Snapshot) throws -> Report {
        var report = Report()
        var outputs = OutputSet(folder: folder)
        let contents = HealthFeed.render(health.problems, site: site, updated: health.updated)
        guard let file = try OutputSet.write(contents, at: HealthFeed.path, in: folder) else { return report }
        outputs.add(file)
        try outputs.commit()
        report.written = [HealthFeed.path]
        return report
    }

    /// Writes the outputs. With `onlyMonths`, only those months' pages are rendered, and with `onlySources`
    /// only those sources' feeds, the others being known to be as they were; the other outputs are always
    /// rendered (and written only when their bytes changed). `records` saves reading the sources again when
    /// the caller just did.
    @discardableResult
    public func publish(
        from store: Store, records: [SourceRecord]? = nil, onlyMonths: Set<MonthKey>? = nil,
        onlySources: Set<String>? = nil, prestaged prestager: FeedPrestager? = nil, now: Date = Date()
    ) throws -> Report {
        try publish(
            from: store, records: records, onlyMonths: onlyMonths, onlySources: onlySources, health: nil,
            prestaged: prestager, now: now)
    }

    /// `outputs`: the ones to render (every one by default); `health`: nil leaves `health.atom` alone.
    func publish(
        from store: Store, records: [SourceRecord]?, onlyMonths: Set<MonthKey>? = nil,
        onlySources: Set<String>? = nil, outputs selected: [any Output] = Publisher.outputs,
        health: HealthFeed.Snapshot?, prestaged prestager: FeedPrestager?, now: Date
    ) throws -> Report {
        // The pages are rendered on threads other than those that fetched and parsed: without this, what
        // those freed stays in their arenas and the pages take room of their own beside it (a cold refresh of
        // 1,000 sources peaked at 96 MB).
        tidings_release_free_memory()
        let outputs = Mutex(OutputSet(folder: folder))
        let changes = Mutex((written: [String](), unchanged: 0))
        let folder = self.folder
        let prestaged = prestager?.take() ?? [:]
        let lastPosts = try store.lastPostDates()
        let records = try (records ?? store.sources()).map { record in
            var record = record
            record.lastPostAt = lastPosts[record.key]
            return record
        }
        let adopted = Mutex(Set<String>())
        let context = PublishContext(
            site: site, storePath: store.path, folder: folder, records: records,
            latest: try store.latestEntries(limit: site.maxEntries, perSource: site.maxPerSource), months: try store.months(),
            onlyMonths: onlyMonths, onlySources: onlySources, now: now, renderer: try PageRenderer(site: site),
            write: { contents, path in
                // Written outside the lock: several threads write at once.
                let file = try OutputSet.write(contents, at: path, in: folder)
                if let file { outputs.withLock { $0.add(file) } }
                changes.withLock { if file != nil { $0.written.append(path) } else { $0.unchanged += 1 } }
            },
            prestaged: prestaged, sourceCounters: prestaged.isEmpty ? [:] : try store.dirtySourceCounters(),
            adopt: { file, path in
                adopted.withLock { _ = $0.insert(path) }
                if let file { outputs.withLock { $0.add(file) } }
                changes.withLock { if file != nil { $0.written.append(path) } else { $0.unchanged += 1 } }
            }, health: health)
        defer {
            // The feeds rendered beforehand that were not taken (their source changed since, or is out of scope).
            let taken = adopted.withLock { $0 }
            for feeds in prestaged.values { feeds.removeStaged(except: taken) }
        }
        var report = Report()
        report.renderedMonths = MonthPages.rendered(context).map { PageRenderer.monthFolder(context.months[$0]) }
        report.removed = selected.flatMap { $0.stalePaths(context) }
        do {
            for output in selected { try output.render(context) }
            try outputs.withLock { outputs throws(PublishError) in
                for path in report.removed { outputs.stageRemoval(of: path) }
                try outputs.commit()
            }
        } catch {
            outputs.withLock { $0.discard() }
            throw error
        }
        (report.written, report.unchanged) = changes.withLock { $0 }
        return report
    }
}
