import Foundation
import Storage
import Synchronization

/// The publishing stage: reads the store and writes every output file under one folder.
public struct Publisher {
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

    /// Writes the outputs; with `onlyMonths`, only those months' pages are rendered (with the index and the
    /// feeds), the others being known to be as they were.
    @discardableResult
    public func publish(from store: Store, onlyMonths: Set<MonthKey>? = nil) throws -> Report {
        let sources = Dictionary(try store.sources().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let latest = try store.latestEntries(limit: site.maxEntries)
        let months = try store.months()
        let rendered =
            onlyMonths.map { only in months.indices.filter { only.contains(months[$0].key) } }
            ?? Array(months.indices)
        let renderer: PageRenderer
        do { renderer = try PageRenderer(site: site) } catch { throw PublishError.template(reason: "\(error)") }

        var report = Report()
        var outputs = OutputSet(folder: folder)
        func write(_ contents: String, _ path: String) throws {
            if try outputs.stage(contents, at: path) {
                report.written.append(path)
            } else {
                report.unchanged += 1
            }
        }
        report.renderedMonths = rendered.map { PageRenderer.monthFolder(months[$0]) }
        report.removed = stalePages(keeping: months)
        for path in report.removed { outputs.stageRemoval(of: path) }
        do {
            try render(
                from: store, months: months, rendering: rendered, latest: latest, sources: sources, renderer: renderer,
                write)
            try outputs.commit()
        } catch {
            outputs.discard()
            throw error
        }
        return report
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

    private func render(
        from store: Store, months: [MonthCount], rendering: [Int], latest: [StoredEntry],
        sources: [String: SourceRecord], renderer: PageRenderer, _ write: (String, String) throws -> Void
    ) throws {
        // Month pages first, then the index and the feeds that link to them. The store is read one month
        // at a time; the pages of a batch (one month per core) are rendered in parallel.
        let batchSize = ProcessInfo.processInfo.activeProcessorCount
        for batchStart in stride(from: 0, to: rendering.count, by: batchSize) {
            let batch = Array(rendering[batchStart..<min(batchStart + batchSize, rendering.count)])
            let entries = try batch.map {
                try store.entries(year: months[$0].year, month: months[$0].month, withBodies: false)
            }
            let pages = Mutex([String](repeating: "", count: batch.count))
            DispatchQueue.concurrentPerform(iterations: batch.count) { slot in
                let position = batch[slot]
                let newer = position > 0 ? months[position - 1] : nil
                let older = position + 1 < months.count ? months[position + 1] : nil
                let page = renderer.monthPage(months[position], entries: entries[slot], previous: older, next: newer)
                pages.withLock { $0[slot] = page }
            }
            for (slot, page) in pages.withLock({ $0 }).enumerated() {
                try write(page, PageRenderer.monthPath(months[batch[slot]]))
            }
        }
        try write(renderer.indexPage(latest: latest, months: months, sourceCount: sources.count), "index.html")
        try write(AtomWriter.render(latest, site: site, sources: sources), AtomWriter.fileName)
        try write(RSSWriter.render(latest, site: site, sources: sources), RSSWriter.fileName)
    }
}
