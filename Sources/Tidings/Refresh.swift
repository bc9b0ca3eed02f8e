import Fetching
import Foundation
import Parsing
import Publishing
import Storage

/// One refresh cycle across the stages: fetch every source, parse what arrived, store it (one
/// transaction per source), then write the outputs from the store.
public struct Refresh: Sendable {
    public let config: Config
    let fetcher: Fetcher

    public init(config: Config, fetchSettings: FetchSettings = FetchSettings()) {
        self.config = config
        self.fetcher = Fetcher(settings: fetchSettings)
    }

    /// Opens the store named by the configuration, creating its folder if needed.
    public func openStore() throws -> Store {
        let folder = config.databaseFile.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try Store(path: config.databaseFile.path)
    }

    /// Runs one cycle. A source that fails is reported and left as it was; only an unusable store or
    /// output folder makes the whole cycle throw.
    public func run(store: Store, now: @Sendable () -> Date = Date.init) async throws -> RefreshReport {
        let definitions = config.sources.map { SourceDefinition(key: $0.key, url: $0.url, title: $0.title) }
        try store.register(definitions, now: now())
        var requests: [FetchRequest] = []
        for source in config.sources {
            let validators = try store.validators(for: source.key)
            requests.append(
                FetchRequest(
                    key: source.key, url: source.url, etag: validators.etag, lastModified: validators.lastModified,
                    allowsFileScheme: source.isLocalFile))
        }
        let sourcesByKey = Dictionary(uniqueKeysWithValues: config.sources.map { ($0.key, $0) })
        var outcomes: [String: SourceOutcome] = [:]
        for await result in fetcher.fetch(requests) {
            guard let source = sourcesByKey[result.key] else { continue }
            outcomes[source.key] = try record(result, for: source, in: store, now: now())
        }
        if let retention = config.retention {
            let now = now()
            try store.prune(olderThan: now.addingTimeInterval(-Double(retention.components.seconds)), now: now)
        }
        let publisher = Publisher(
            site: Site(title: config.title, baseURL: config.baseURL, maxEntries: config.maxEntries),
            folder: config.outputFolder)
        let report = try publisher.publish(from: store)
        return RefreshReport(
            outcomes: config.sources.compactMap { outcomes[$0.key] }, written: report.written)
    }

    private func record(_ result: FetchResult, for source: SourceConfig, in store: Store, now: Date) throws
        -> SourceOutcome
    {
        switch result.outcome {
        case .notModified:
            try store.recordNotModified(key: source.key, status: result.status ?? 304, now: now)
            return SourceOutcome(key: source.key, status: .notModified, warnings: [])
        case .failed(let error):
            try store.recordFailure(key: source.key, status: result.status, error: error.description, now: now)
            return SourceOutcome(key: source.key, status: .failed(error.description), warnings: [])
        case .fetched(let body):
            let feed: ParsedFeed
            do {
                feed = try FeedParser(options: source.parser).parse(
                    body, url: result.finalURL, contentType: result.contentType, rules: source.html, now: now)
            } catch {
                let reason = "\(result.finalURL): \(error.description)"
                try store.recordFailure(key: source.key, status: result.status, error: reason, now: now)
                return SourceOutcome(key: source.key, status: .failed(reason), warnings: [])
            }
            let changes = try store.recordSuccess(
                key: source.key, feed: feed,
                validators: Validators(etag: result.etag, lastModified: result.lastModified),
                status: result.status ?? 200, now: now)
            return SourceOutcome(key: source.key, status: .stored(changes), warnings: feed.warnings)
        }
    }
}
