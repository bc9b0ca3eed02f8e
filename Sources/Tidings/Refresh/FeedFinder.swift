import Fetching
import Foundation
import Parsing

/// Follows a blog from its page alone: tries the feeds the page advertises, best first, then the usual
/// places, one request at a time, and stops at the first document that reads as a feed.
public struct FeedFinder: Sendable {
    let fetcher: Fetcher

    public init(fetcher: Fetcher) {
        self.fetcher = fetcher
    }

    /// One candidate tried, and what came of it.
    public struct Attempt: Sendable {
        public var candidate: FeedCandidate
        /// "atom10, 12 entries", "HTTP 404", "an HTML page, not a feed"…
        public var outcome: String
    }

    public struct Discovery: Sendable {
        /// What the page advertises, best first (tried before the usual places).
        public var advertised: [FeedCandidate]
        public var attempts: [Attempt]
        /// The feed found, with the fetch that found it and what it holds.
        public var feed: (url: String, result: FetchResult, parsed: ParsedFeed)?
    }

    /// The most candidates tried for one page: enough for every advertised feed of a real blog and
    /// the usual places, few enough to stay polite to a site that has none.
    static let maximumAttempts = 16

    public func find(
        inPage page: [UInt8], url: String, contentType: String?, options: ParserOptions, now: Date,
        http: HTTPOptions = HTTPOptions()
    ) async -> Discovery {
        let advertised = FeedDiscovery.advertised(in: page, url: url, contentType: contentType)
        var attempts: [Attempt] = []
        var tried: Set<String> = [url]
        // Advertised feeds that fail still leave the usual places worth a look.
        for candidate in (advertised + FeedDiscovery.usualPlaces(for: url)).prefix(Self.maximumAttempts) {
            guard tried.insert(candidate.url).inserted else { continue }
            let result = await fetcher.fetch(FetchRequest(key: "discovery", url: candidate.url, http: http))
            switch result.outcome {
            case .fetched(let body):
                do {
                    let parsed = try FeedParser(options: options).parse(
                        body, url: result.finalURL, contentType: result.contentType, now: now)
                    let count = parsed.entries.count
                    attempts.append(
                        Attempt(
                            candidate: candidate,
                            outcome:
                                "a feed (\(parsed.metadata.format.rawValue), \(count) entr\(count == 1 ? "y" : "ies"))")
                    )
                    return Discovery(
                        advertised: advertised, attempts: attempts, feed: (result.finalURL, result, parsed))
                } catch .htmlInsteadOfFeed {
                    attempts.append(Attempt(candidate: candidate, outcome: "an HTML page, not a feed"))
                } catch {
                    attempts.append(Attempt(candidate: candidate, outcome: "not a feed: \(error)"))
                }
            case .notModified:
                attempts.append(Attempt(candidate: candidate, outcome: "HTTP 304 to an unconditional request"))
            case .failed(let error):
                attempts.append(Attempt(candidate: candidate, outcome: Self.describe(error, status: result.status)))
            }
        }
        return Discovery(advertised: advertised, attempts: attempts, feed: nil)
    }

    private static func describe(_ error: FetchError, status: Int?) -> String {
        if let status, status >= 400 { return "HTTP \(status)" }
        return error.description
    }
}
