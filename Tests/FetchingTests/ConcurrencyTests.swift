import Fetching
import Foundation
import TestSupport
import Testing

@Suite struct ConcurrencyTests {
    @Test func neverRunsMoreThanThePerSiteLimitOnOneHost() async throws {
        var settings = FetchSettings()
        settings.maxConcurrentTransfers = 16
        settings.maxTransfersPerSite = 3
        let server = try LoopbackHTTPServer { request in
            var response = LoopbackHTTPServer.Response(body: "<rss>\(request.path)</rss>")
            response.delay = .milliseconds(20)
            return response
        }
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
        try await Task.sleep(for: .milliseconds(300))
        // One taken, at most two waiting and two more finished while the limit was reached.
        #expect(server.requests.count <= 5)
        var remaining = 0
        while remaining < 20, await iterator.next() != nil { remaining += 1 }
        #expect(remaining == 9)
        #expect(server.requests.count == 10)
    }
}
