import Foundation
import Storage

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
    }

    @discardableResult
    public func publish(from store: Store) throws -> Report {
        let sources = Dictionary(try store.sources().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let latest = try store.latestEntries(limit: site.maxEntries)
        let months = try store.months()
        let renderer: PageRenderer
        do { renderer = try PageRenderer(site: site) } catch { throw PublishError.template(reason: "\(error)") }

        var report = Report()
        func write(_ contents: String, _ path: String) throws {
            if try AtomicFile.write(contents, to: folder.appendingPathComponent(path)) {
                report.written.append(path)
            } else {
                report.unchanged += 1
            }
        }
        // Month pages first, then the index and the feeds that link to them.
        for (position, month) in months.enumerated() {
            let entries = try store.entries(year: month.year, month: month.month)
            let newer = position > 0 ? months[position - 1] : nil
            let older = position + 1 < months.count ? months[position + 1] : nil
            let page = renderer.monthPage(month, entries: entries, previous: older, next: newer)
            try write(page, PageRenderer.monthPath(month))
        }
        try write(renderer.indexPage(latest: latest, months: months, sourceCount: sources.count), "index.html")
        try write(AtomWriter.render(latest, site: site, sources: sources), AtomWriter.fileName)
        try write(RSSWriter.render(latest, site: site, sources: sources), RSSWriter.fileName)
        return report
    }
}
