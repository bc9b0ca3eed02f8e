import Foundation
import Storage

/// `YYYY/MM/index.html`: each month's digest, rendered while its entries are read (a day at a time, one
/// reader per core), only for the months that changed; with it the month's search list (`SearchFiles`).
struct MonthPages: Output {
    func render(_ context: PublishContext) throws {
        let months = context.months
        let rendering = Self.rendered(context)
        let renderer = context.renderer
        let newestFirst = context.site.pages.dayOrder == .newestFirst
        let write = context.write
        let search = context.site.pages.search
        let zone = context.site.pages.timeZone
        try context.inParallel(rendering.count) { reader, slot in
            let position = rendering[slot]
            let month = months[position]
            let light = try reader.overview(year: month.year, month: month.month, busiest: PageRenderer.busiestShown)
            let entries = try reader.entries(year: month.year, month: month.month, newestFirst: newestFirst)
            // The page search's list of the month, from the same read of its entries.
            let list = search ? SearchList(zone: zone) : nil
            let page = renderer.monthPage(
                month,
                overview: renderer.overview(dates: light.dates, sourceCount: light.sourceCount, busiest: light.busiest),
                entries: ListedEntries(base: entries, list: list),
                previous: position + 1 < months.count ? months[position + 1] : nil,
                next: position > 0 ? months[position - 1] : nil)
            if let error = entries.error { throw error }
            try write(page, PageRenderer.monthPath(month))
            if let list { try write(list.json(month), SearchList.path(month)) }
        }
    }

    /// The positions in `context.months` of the months rendered this time.
    static func rendered(_ context: PublishContext) -> [Int] {
        let months = context.months
        return context.onlyMonths.map { only in months.indices.filter { only.contains(months[$0].key) } }
            ?? Array(months.indices)
    }

    /// The month pages in the folder (`YYYY/MM/index.html`) of months that no longer have entries.
    func stalePaths(_ context: PublishContext) -> [String] {
        let kept = Set(context.months.map(PageRenderer.monthPath))
        let manager = FileManager.default
        func folders(in url: URL, digits: Int) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).filter {
                $0.utf8.count == digits && $0.utf8.allSatisfy { (0x30...0x39).contains($0) }
            }.sorted()
        }
        var stale: [String] = []
        for year in folders(in: context.folder, digits: 4) {
            for month in folders(in: context.folder.appendingPathComponent(year), digits: 2) {
                let path = "\(year)/\(month)/index.html"
                if !kept.contains(path), manager.fileExists(atPath: context.folder.appendingPathComponent(path).path) {
                    stale.append(path)
                }
            }
        }
        return stale
    }
}
