import Foundation
import Storage
import Synchronization

/// One kind of output file: which files it writes, read from the store, rendered and handed to `write`.
/// Adding an output is one type conforming to this, listed in `Publisher.outputs`; what it renders on an
/// incremental publish is decided from the `PublishContext`'s changes, like every other output's.
protocol Output: Sendable {
    /// Writes this output's files (through `context.write`, which leaves unchanged files alone).
    func render(_ context: PublishContext) throws

    /// Files of this output in the folder that the store no longer calls for (a month without posts, a
    /// removed source), relative to the folder: removed with the publish.
    func stalePaths(_ context: PublishContext) -> [String]
}

extension Output {
    func stalePaths(_ context: PublishContext) -> [String] { [] }
}

/// What every output may read during one publish: the site, the store (and readers of it, for outputs
/// rendered on several threads), what the store says now, and what changed since the last publish.
struct PublishContext: Sendable {
    let site: Site
    /// The store's file, for `StoreReader`s on other threads.
    let storePath: String
    let folder: URL
    let records: [SourceRecord]
    let latest: [StoredEntry]
    let months: [MonthCount]
    /// The months whose pages must be rendered; nil for all.
    let onlyMonths: Set<MonthKey>?
    /// The sources whose own feeds must be rendered; nil for all.
    let onlySources: Set<String>?
    let now: Date
    let renderer: PageRenderer
    /// Hands a file's contents for a path relative to the folder to the output set.
    let write: @Sendable (String, String) throws -> Void

    var sources: [String: SourceRecord] {
        Dictionary(records.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Source feeds rendered while the refresh ran (`FeedPrestager`), by source key.
    let prestaged: [String: FeedPrestager.Feeds]
    /// Each changed source's mark now, to tell which prestaged feeds are still current.
    let sourceCounters: [String: Int]
    /// Takes a file staged beforehand into the output set (nil: it already held these bytes).
    let adopt: @Sendable (OutputSet.StagedFile?, String) -> Void
    /// What `health.atom` shows; nil when this publish leaves it alone.
    let health: HealthFeed.Snapshot?

    /// A channel in its three formats.
    func writeFeed(_ channel: FeedChannel) throws {
        for (contents, path) in FeedFormatWriters.render(channel, site: site) { try write(contents, path) }
    }

    /// Runs `body` for 0..<count on one thread per core, each with a reader of the store of its own; the
    /// first error stops the others and is thrown.
    func inParallel(_ count: Int, _ body: @Sendable (StoreReader, Int) throws -> Void) throws {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, count)
        guard workers > 0 else { return }
        let path = storePath
        let failure = Mutex<(any Error)?>(nil)
        // Each worker takes the next item when done with its last: months differ in size by ten times.
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            do {
                let reader = try StoreReader(path: path)
                while failure.withLock({ $0 == nil }) {
                    let index = next.withLock { value -> Int in
                        defer { value += 1 }
                        return value
                    }
                    guard index < count else { return }
                    try body(reader, index)
                }
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
