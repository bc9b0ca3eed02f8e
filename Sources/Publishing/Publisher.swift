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
        /// The pages of months that no longer have entries, removed.
        public var removed: [String] = []

        public init() {}
    }

    /// Removes the temporary files a publish killed before renaming left in the folder. The caller does it
    /// before deciding whether to publish at all, so leftovers go even when nothing needs writing.
    public func removeLeftovers() {
        OutputSet.removeLeftovers(in: folder)
    }

    /// Writes the outputs. With `onlyMonths`, only those months' pages are rendered, and with `onlySources`
    /// only those sources' feeds, the others being known to be as they were; the index, the combined and
    /// digest feeds and the OPML are always rendered (and written only when their bytes changed).
    @discardableResult
    public func publish(
        from store: Store, onlyMonths: Set<MonthKey>? = nil, onlySources: Set<String>? = nil, now: Date = Date()
    ) throws -> Report {
        let records = try store.sources()
        let sources = Dictionary(records.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let latest = try store.latestEntries(limit: site.maxEntries)
        let months = try store.months()
        let rendered =
            onlyMonths.map { only in months.indices.filter { only.contains(months[$0].key) } }
            ?? Array(months.indices)
        let renderer = try PageRenderer(site: site)

        var report = Report()
        report.renderedMonths = rendered.map { PageRenderer.monthFolder(months[$0]) }
        report.removed = stalePages(keeping: months) + staleSourceFeeds(keeping: Set(sources.keys))
        let outputs = Mutex(OutputSet(folder: folder))
        // Staged under the lock: the month pages are rendered on several threads.
        let changes = Mutex((written: [String](), unchanged: 0))
        let folder = self.folder
        let write: @Sendable (String, String) throws -> Void = { contents, path in
            // Written outside the lock: several threads write at once.
            let file = try OutputSet.write(contents, at: path, in: folder)
            if let file { outputs.withLock { $0.add(file) } }
            changes.withLock { if file != nil { $0.written.append(path) } else { $0.unchanged += 1 } }
        }
        do {
            try renderMonths(rendered, of: months, from: store, renderer: renderer, write)
            try write(renderer.indexPage(latest: latest, months: months, sources: records), "index.html")
            try write(renderer.archivePage(months: months), "archive.html")
            let feeds = FeedSet(site: site)
            try writeFeed(feeds.combined(latest, sources: sources), write)
            try renderSourceFeeds(records.filter { onlySources?.contains($0.key) ?? true }, from: store, write)
            let digest = try feeds.digest(months, now: now) { month in
                try store.entries(
                    year: month.year, month: month.month, withBodies: false, limit: FeedSet.digestListLength)
            }
            try writeFeed(digest, write)
            try write(
                OPMLWriter.render(
                    records, site: site, updated: latest.first?.lastChanged ?? Date(timeIntervalSince1970: 0)),
                FeedPaths.opml)
            try write(FeedStylesheet.text, FeedPaths.stylesheet)
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

    /// How many posts a source's own feed carries: its latest, as a blog's own feed would.
    static let sourceFeedLength = 10

    private func writeFeed(_ channel: FeedChannel, _ write: (String, String) throws -> Void) throws {
        // Three formats of the same posts.
        try write(AtomWriter.render(channel, site: site), channel.path + ".atom")
        try write(RSSWriter.render(channel, site: site), channel.path + ".rss")
        try write(JSONFeedWriter.render(channel, site: site), channel.path + ".json")
    }

    /// The feeds in `sources/` of sources no longer configured.
    private func staleSourceFeeds(keeping keys: Set<String>) -> [String] {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sources").path)) ?? []
        return names.sorted().filter { name in
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, FeedFormat(rawValue: String(parts[1])) != nil else { return false }
            return !keys.contains(String(parts[0]))
        }.map { "sources/" + $0 }
    }

    /// The month pages in the folder (`YYYY/MM/index.html`) of months that no longer have entries.
    private func stalePages(keeping months: [MonthCount]) -> [String] {
        let kept = Set(months.map(PageRenderer.monthPath))
        let manager = FileManager.default
        func folders(in url: URL, digits: Int) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).filter {
                $0.utf8.count == digits && $0.utf8.allSatisfy { (0x30...0x39).contains($0) }
            }.sorted()
        }
        var stale: [String] = []
        for year in folders(in: folder, digits: 4) {
            for month in folders(in: folder.appendingPathComponent(year), digits: 2) {
                let path = "\(year)/\(month)/index.html"
                if !kept.contains(path), manager.fileExists(atPath: folder.appendingPathComponent(path).path) {
                    stale.append(path)
                }
            }
        }
        return stale
    }

    /// Month pages first, before the index and the feeds that link to them. One thread per core renders
    /// months, each reading its months' entries as it renders them through a connection of its own.
    private func renderMonths(
        _ rendering: [Int], of months: [MonthCount], from store: Store, renderer: PageRenderer,
        _ write: @Sendable (String, String) throws -> Void
    ) throws {
        let newestFirst = site.pages.dayOrder == .newestFirst
        try Self.inParallel(rendering.count, reading: store) { reader, slot in
            let position = rendering[slot]
            let month = months[position]
            let light = try reader.overview(year: month.year, month: month.month)
            let entries = try reader.entries(year: month.year, month: month.month, newestFirst: newestFirst)
            let page = renderer.monthPage(
                month, overview: renderer.overview(dates: light.dates, perSource: light.perSource),
                entries: entries, previous: position + 1 < months.count ? months[position + 1] : nil,
                next: position > 0 ? months[position - 1] : nil)
            if let error = entries.error { throw error }
            try write(page, PageRenderer.monthPath(month))
        }
    }

    /// Each source's own feeds; at 10,000 sources, 30,000 files.
    private func renderSourceFeeds(
        _ records: [SourceRecord], from store: Store, _ write: @escaping @Sendable (String, String) throws -> Void
    ) throws {
        let feeds = FeedSet(site: site)
        try Self.inParallel(records.count, reading: store) { reader, index in
            let entries = try reader.latestEntries(ofSource: records[index].key, limit: Self.sourceFeedLength)
            try writeFeed(feeds.source(records[index], entries: entries), write)
        }
    }

    /// Runs `body` for 0..<count on one thread per core, each with a reader of the store of its own; the
    /// first error stops the others and is thrown.
    private static func inParallel(
        _ count: Int, reading store: Store, _ body: @Sendable (StoreReader, Int) throws -> Void
    ) throws {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, count)
        guard workers > 0 else { return }
        let path = store.path
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do {
                let reader = try StoreReader(path: path)
                for index in stride(from: worker, to: count, by: workers) {
                    if failure.withLock({ $0 != nil }) { return }
                    try body(reader, index)
                }
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
