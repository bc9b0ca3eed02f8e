import Fetching
import Foundation
import TestSupport
import Testing

@Suite struct ConcurrencyTests {
    @Test func neverRunsMoreThanThePerSiteLimitOnOneHost() async throws {
        let settings = FetchSettings.limits(perSite: 3)
        let server = try LoopbackHTTPServer.slow(.milliseconds(20))
        let requests = (0..<50).map { FetchRequest(key: "s\($0)", url: server.url("/feed/\($0)")) }
        var count = 0
        for await result in Fetcher(settings: settings).fetch(requests) {
            if case .fetched = result.outcome { count += 1 }
        }
        #expect(count == 50)
        #expect(server.requests.count == 50)
        #expect(server.maxConcurrentRequests <= 3)
        #expect(server.maxConcurrentRequests >= 2)  // the limit, not a single lane
    }

    @Test func countsSubdomainsAsOneSite() {
        #expect(SiteKey.of("https://alice.example-blogs.com/feed") == "example-blogs.com")
        #expect(SiteKey.of("https://bob.example-blogs.com/rss") == "example-blogs.com")
        #expect(SiteKey.of("https://news.bbc.co.uk/rss") == "bbc.co.uk")
        #expect(SiteKey.of("https://alice.github.io/feed.xml") == "alice.github.io")
        #expect(SiteKey.of("http://127.0.0.1:8080/feed") == "127.0.0.1")
    }

    @Test func startsNoMoreTransfersWhileResultsWaitForTheCaller() async throws {
        var settings = FetchSettings()
        settings.maxWaitingResults = 2
        settings.maxConcurrentTransfers = 2
        settings.maxTransfersPerSite = 2
        let server = try LoopbackHTTPServer { _ in .init(body: "<rss/>") }
        let requests = (0..<10).map { FetchRequest(key: "s\($0)", url: server.url("/\($0)")) }
        var iterator = Fetcher(settings: settings).fetch(requests).makeAsyncIterator()
        _ = await iterator.next()
        // The behaviour under test is an absence (no transfer starts while results wait), so it is watched
        // for a while rather than waited for.
        try await Task.sleep(for: .milliseconds(300))
        // One taken, at most two waiting and two more finished while the limit was reached.
        #expect(server.requests.count <= 5)
        var remaining = 0
        while remaining < 20, await iterator.next() != nil { remaining += 1 }
        #expect(remaining == 9)
        #expect(server.requests.count == 10)
    }
}

/// One fetcher serves the whole process: its limits hold across calls made at the same time, it reuses
/// connections from one call to the next, and a caller that stops listening cancels only its own requests.
@Suite struct SharedFetcherTests {
    @Test func holdsThePerSiteLimitAcrossCallsInFlightTogether() async throws {
        let settings = FetchSettings.limits(perSite: 2)
        let server = try LoopbackHTTPServer.slow(.milliseconds(30))
        let fetcher = Fetcher(settings: settings)
        let counts = await withTaskGroup(of: Int.self) { group in
            for caller in 0..<6 {
                group.addTask {
                    let requests = (0..<4).map {
                        FetchRequest(key: "c\(caller)-\($0)", url: server.url("/\(caller)/\($0)"))
                    }
                    var count = 0
                    for await _ in fetcher.fetch(requests) { count += 1 }
                    return count
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 4, count: 6))
        #expect(server.requests.count == 24)
        #expect(server.maxConcurrentRequests <= 2, "the limit holds across the six callers")
    }

    @Test func reusesConnectionsFromOneCallToTheNext() async throws {
        let server = try LoopbackHTTPServer(keepAlive: true) { _ in .init(body: "<rss/>") }
        var settings = FetchSettings()
        settings.maxTransfersPerSite = 1
        let fetcher = Fetcher(settings: settings)
        for round in 0..<3 {
            let result = await fetcher.fetch(FetchRequest(key: "r\(round)", url: server.url("/feed")))
            #expect(result.status == 200)
        }
        #expect(server.requests.count == 3)
        #expect(server.connections == 1)
    }

    @Test func aCallerThatStopsListeningCancelsOnlyItsOwnRequests() async throws {
        var settings = FetchSettings()
        settings.maxTransfersPerSite = 1
        settings.maxWaitingResults = 100  // back-pressure alone must not be what stops the abandoned requests
        let server = try LoopbackHTTPServer { request in
            var response = LoopbackHTTPServer.Response(body: "<rss/>")
            response.delay = .milliseconds(request.path.hasPrefix("/slow") ? 100 : 0)
            return response
        }
        let fetcher = Fetcher(settings: settings)
        async let other: Int = {
            var count = 0
            for await _ in fetcher.fetch((0..<5).map { FetchRequest(key: "o\($0)", url: server.url("/other/\($0)")) }) {
                count += 1
            }
            return count
        }()
        let abandoned = (0..<100).map { FetchRequest(key: "s\($0)", url: server.url("/slow/\($0)")) }
        var slowRequests: Int { server.requests.filter { $0.path.hasPrefix("/slow") }.count }
        for await _ in fetcher.fetch(abandoned) { break }
        // Counted as the caller leaves (however late it got its first result): after that, at most the one in
        // flight and one the transfer thread was starting as the cancellation reached it are answered, where
        // going on would be ten more a second. (Allowing only the first failed once in a dozen runs of the
        // whole suite on two busy cores.)
        let whenLeft = slowRequests
        #expect(await other == 5)
        // An absence again: requests that would go on arriving after the caller left.
        try await Task.sleep(for: .seconds(1.2))
        #expect(slowRequests <= whenLeft + 2, "\(slowRequests - whenLeft) answered after the caller left")
    }
}

extension FetchSettings {
    /// Sixteen transfers at once, `perSite` of them to one host.
    fileprivate static func limits(perSite: Int) -> FetchSettings {
        var settings = FetchSettings()
        settings.maxConcurrentTransfers = 16
        settings.maxTransfersPerSite = perSite
        return settings
    }
}

extension LoopbackHTTPServer {
    /// Answers every request with a small feed after `delay`, so transfers overlap.
    fileprivate static func slow(_ delay: Duration) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            var response = LoopbackHTTPServer.Response(body: "<rss>\(request.path)</rss>")
            response.delay = delay
            return response
        }
    }
}
