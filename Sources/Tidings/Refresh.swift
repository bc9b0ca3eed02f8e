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
            // A blog page whose feed was found earlier: fetch the feed itself.
            let discovered = source.html == nil ? try store.discoveredURL(for: source.key) : nil
            requests.append(
                FetchRequest(
                    key: source.key, url: discovered ?? source.url, etag: validators.etag,
                    lastModified: validators.lastModified, allowsFileScheme: source.isLocalFile && discovered == nil))
        }
        let finder = FeedFinder(fetcher: fetcher)
        let follower = ArticleFollower(fetcher: fetcher)
        var followed: [String: Set<String>] = [:]
        for source in config.sources where source.follow != nil {
            followed[source.key] = try store.entryIDsWithContent(for: source.key)
        }
        let sourcesByKey = Dictionary(uniqueKeysWithValues: config.sources.map { ($0.key, $0) })
        var outcomes: [String: SourceOutcome] = [:]
        // Fetching (its own thread), parsing (child tasks, one per core) and storing (this task, the store's
        // only user) overlap: a document is parsed while others download and the previous one is stored.
        try await withThrowingTaskGroup(of: Processed.self) { group in
            var parsing = 0
            for await result in fetcher.fetch(requests) {
                guard let source = sourcesByKey[result.key] else { continue }
                if parsing >= Self.parallelParses, let done = try await group.next() {
                    outcomes[done.source.key] = try record(done, in: store, now: now())
                    parsing -= 1
                }
                let fetchTime = now()
                let known = followed[source.key] ?? []
                group.addTask {
                    var processed = await Self.parse(result, for: source, finder: finder, now: fetchTime)
                    if let rule = source.follow, case .parsed(let feed) = processed.outcome {
                        processed.outcome = .parsed(
                            await follower.follow(
                                feed, rule: rule, options: source.parser, known: known, now: fetchTime))
                    }
                    return processed
                }
                parsing += 1
            }
            for try await done in group {
                outcomes[done.source.key] = try record(done, in: store, now: now())
            }
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

    /// How many documents are parsed at once: one per core.
    static let parallelParses = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// A fetch result with what parsing made of it, on its way to the store.
    struct Processed: Sendable {
        enum Outcome: Sendable {
            case notModified
            case fetchFailed(FetchError)
            case unparsable(ParseError)
            case parsed(ParsedFeed)
        }

        var source: SourceConfig
        var result: FetchResult
        var outcome: Outcome
        /// A feed found on the source's page in this cycle, to be fetched in the page's place from now on.
        var discoveredURL: String?
    }

    private static func parse(
        _ result: FetchResult, for source: SourceConfig, finder: FeedFinder, now: Date
    ) async -> Processed {
        let outcome: Processed.Outcome
        switch result.outcome {
        case .notModified:
            outcome = .notModified
        case .failed(let error):
            outcome = .fetchFailed(error)
        case .fetched(let body):
            do {
                outcome = .parsed(
                    try FeedParser(options: source.parser).parse(
                        body, url: result.finalURL, contentType: result.contentType, rules: source.html, now: now))
            } catch .htmlInsteadOfFeed
                where source.html == nil && result.requestedURL == source.url
                && !FeedDiscovery.isWall(body)
            {
                // A blog's page rather than its feed: look for the feed.
                let discovery = await finder.find(
                    inPage: body, url: result.finalURL, contentType: result.contentType, options: source.parser,
                    now: now)
                guard let feed = discovery.feed else {
                    let attempts = discovery.attempts.map { "\($0.candidate.url): \($0.outcome)" }
                    return Processed(
                        source: source, result: result, outcome: .unparsable(.noFeedFound(attempts: attempts)))
                }
                return Processed(
                    source: source, result: feed.result, outcome: .parsed(feed.parsed), discoveredURL: feed.url)
            } catch {
                outcome = .unparsable(error)
            }
        }
        return Processed(source: source, result: result, outcome: outcome)
    }

    private func record(_ processed: Processed, in store: Store, now: Date) throws -> SourceOutcome {
        let (source, result) = (processed.source, processed.result)
        switch processed.outcome {
        case .notModified:
            try store.recordNotModified(key: source.key, status: result.status ?? 304, now: now)
            return SourceOutcome(key: source.key, status: .notModified, warnings: [])
        case .fetchFailed(let error):
            // A discovered feed that has gone away: look at the page again next time.
            if result.requestedURL != source.url, result.status == 404 || result.status == 410 {
                try store.setDiscoveredURL(nil, for: source.key)
            }
            try store.recordFailure(key: source.key, status: result.status, error: error.description, now: now)
            return SourceOutcome(key: source.key, status: .failed(error.description), warnings: [])
        case .unparsable(let error):
            let reason = "\(result.finalURL): \(error.description)"
            try store.recordFailure(key: source.key, status: result.status, error: reason, now: now)
            return SourceOutcome(key: source.key, status: .failed(reason), warnings: [])
        case .parsed(let feed):
            if let discovered = processed.discoveredURL { try store.setDiscoveredURL(discovered, for: source.key) }
            let changes = try store.recordSuccess(
                key: source.key, feed: feed,
                validators: Validators(etag: result.etag, lastModified: result.lastModified),
                status: result.status ?? 200, now: now)
            return SourceOutcome(key: source.key, status: .stored(changes), warnings: feed.warnings)
        }
    }
}
