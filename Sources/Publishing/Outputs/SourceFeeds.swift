import Foundation
import Storage

/// `sources/KEY.*`: each source's own feed (at 10,000 sources, 30,000 files), rendered on one thread per core
/// and only for the sources whose entries changed.
struct SourceFeeds: Output {
    /// How many posts a source's own feed carries: its latest, as a blog's own feed would.
    static let length = 10

    func render(_ context: PublishContext) throws {
        var rendering: [SourceRecord] = []
        for record in context.records where context.onlySources?.contains(record.key) ?? true {
            // Rendered during the refresh from the entries as they still are: taken as they were written.
            if let prestaged = context.prestaged[record.key], prestaged.counter != nil,
                prestaged.counter == context.sourceCounters[record.key]
            {
                for file in prestaged.files { context.adopt(file.staged, file.path) }
            } else {
                rendering.append(record)
            }
        }
        let records = rendering
        let feeds = FeedSet(site: context.site)
        try context.inParallel(records.count) { reader, index in
            let entries = try reader.latestEntries(ofSource: records[index].key, limit: Self.length)
            try context.writeFeed(feeds.source(records[index], entries: entries))
        }
    }

    /// The feeds in `sources/` of sources no longer configured.
    func stalePaths(_ context: PublishContext) -> [String] {
        let keys = Set(context.records.map(\.key))
        let folder = context.folder.appendingPathComponent("sources")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { name in
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, FeedFormat(rawValue: String(parts[1])) != nil else { return false }
            return !keys.contains(String(parts[0]))
        }.map { "sources/" + $0 }
    }
}
