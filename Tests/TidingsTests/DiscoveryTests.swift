import Fetching
import Foundation
import Parsing
import Storage
import Synchronization
import TestSupport
import Testing
import Tidings

/// Following a blog by the address of its page alone, against a loopback server.
@Suite struct DiscoveryTests {
    static let atom = """
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Found</title><id>urn:found</id><updated>2026-03-01T00:00:00Z</updated>
        <entry><title>Found one</title><id>urn:found:1</id><link href="https://found.example/1"/><updated>2026-03-01T00:00:00Z</updated></entry>
        </feed>
        """

    /// A blog page that advertises a comment feed (which is broken) and its real feed.
    static func page(feedPath: String) -> String {
        """
        <!DOCTYPE html><html><head><title>Blog</title>
        <link rel="alternate" type="application/rss+xml" title="Comments" href="/comments.xml">
        <link rel="alternate" type="application/atom+xml" href="\(feedPath)">
        </head><body><p>Hello</p></body></html>
        """
    }

    /// Fetches the page at `url` and looks for its feed, as a refresh does.
    static func discover(_ url: String) async -> FeedFinder.Discovery? {
        let fetcher = Fetcher()
        let page = await fetcher.fetch(FetchRequest(key: "page", url: url))
        guard case .fetched(let body) = page.outcome else { return nil }
        return await FeedFinder(fetcher: fetcher).find(
            inPage: body, url: page.finalURL, contentType: page.contentType, options: ParserOptions(), now: Date())
    }

    @Test func findsTheAdvertisedFeedAndSaysWhatItTried() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/blog/": return .init(headers: [("Content-Type", "text/html")], body: Self.page(feedPath: "atom.xml"))
            case "/blog/atom.xml": return .init(body: Self.atom)
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let discovery = try #require(await Self.discover(server.url("/blog/")))
        #expect(discovery.feed?.url == server.url("/blog/atom.xml"))
        #expect(discovery.attempts.map(\.outcome) == ["a feed (atom10, 1 entry)"])
        // The site-wide feed is tried first; the comment feed never.
        #expect(server.requests.map(\.path) == ["/blog/", "/blog/atom.xml"])
    }

    @Test func triesTheUsualPlacesWhenThePageAdvertisesNothing() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/": return .init(body: "<!DOCTYPE html><html><head><title>Plain</title></head><body></body></html>")
            case "/atom.xml": return .init(body: Self.atom)
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let discovery = try #require(await Self.discover(server.url("/")))
        #expect(discovery.feed?.url == server.url("/atom.xml"))
        #expect(discovery.attempts.map(\.outcome) == ["HTTP 404", "HTTP 404", "a feed (atom10, 1 entry)"])
        #expect(server.requests.map(\.path) == ["/", "/feed", "/rss.xml", "/atom.xml"])
    }

    @Test func aSourceGivenAsABlogPageIsFollowedThroughTheFeedFoundAndRemembersIt() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/blog/":
                return .init(headers: [("Content-Type", "text/html")], body: Self.page(feedPath: "/feeds/all.xml"))
            case "/feeds/all.xml": return .init(headers: [("ETag", "\"v1\"")], body: Self.atom)
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let site = try TestSite("sources:\n  - key: blog\n    url: \(server.url("/blog/"))\n")
        let store = site.store
        let first = try await site.run()
        #expect(
            first.outcomes.first?.summary
                == "blog: 1 new, 0 updated, 0 unchanged (warning: its feed was found at"
                + " \(server.url("/feeds/all.xml")) and is fetched from now on)")
        #expect(try store.sources().first?.discoveredURL == server.url("/feeds/all.xml"))
        #expect(try store.sources().first?.discoveredURL == server.url("/feeds/all.xml"))
        _ = try await site.run()
        // The second refresh asks for the feed directly, conditionally, and not for the page.
        let paths = server.requests.map(\.path)
        #expect(paths == ["/blog/", "/feeds/all.xml", "/feeds/all.xml"])
        #expect(server.requests.last?.headers["if-none-match"] == "\"v1\"")
    }
}

extension DiscoveryTests {
    @Test func aPageWithNoFeedAnywhereFailsSayingWhatWasTried() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/"
                ? .init(body: "<!DOCTYPE html><html><head><title>Plain</title></head><body></body></html>")
                : .init(status: 404)
        }
        defer { server.stop() }
        let report = try await TestSite("sources:\n  - key: plain\n    url: \(server.url("/"))\n").run()
        let summary = try #require(report.outcomes.first?.summary)
        #expect(
            summary.contains(
                "got an HTML page with no feed Tidings could find (tried \(server.url("/feed")): HTTP 404;"))
        #expect(summary.hasSuffix("add `html:` extraction rules to follow it as a page"))
        // Six usual places at the root, each asked once, and nothing else.
        #expect(server.requests.count == 7)
    }

    @Test func aDiscoveredFeedThatIsGoneIsForgottenAndThePageSearchedAgain() async throws {
        let moved = Mutex(false)
        let server = try LoopbackHTTPServer { request in
            let feedPath = moved.withLock { $0 } ? "/new.xml" : "/old.xml"
            switch request.path {
            case "/": return .init(body: Self.page(feedPath: feedPath))
            case feedPath: return .init(body: Self.atom)
            default: return .init(status: request.path == "/old.xml" ? 410 : 404)
            }
        }
        defer { server.stop() }
        let site = try TestSite("sources:\n  - key: blog\n    url: \(server.url("/"))\n")
        _ = try await site.run()
        #expect(try site.store.sources().first?.discoveredURL == server.url("/old.xml"))
        moved.withLock { $0 = true }
        // One 410 could be a mistake: the discovered feed is kept until it has failed three times in a row.
        for _ in 1..<3 {
            #expect(try await site.run(.force).failures == 1)
            #expect(try site.store.sources().first?.discoveredURL == server.url("/old.xml"))
        }
        let failed = try await site.run(.force)
        #expect(failed.failures == 1)
        #expect(
            failed.outcomes.first?.warnings.first?.hasPrefix("the feed found at \(server.url("/old.xml")) is gone")
                == true)
        #expect(try site.store.sources().first?.discoveredURL == nil)
        let rediscovered = try await site.run()
        #expect(try site.store.sources().first?.discoveredURL == server.url("/new.xml"))
        // The gone feed three times, then the page again and the feed it now advertises.
        #expect(server.requests.map(\.path).suffix(5) == ["/old.xml", "/old.xml", "/old.xml", "/", "/new.xml"])
        // The change is logged on the refresh line and shown by status.
        #expect(
            rediscovered.outcomes.first?.warnings.contains(
                "its feed was found at \(server.url("/new.xml")) and is fetched from now on") == true)
        let status = try site.refresh.status(now: Date())
        #expect(status.first?.discoveredURL == server.url("/new.xml"))
        #expect(SourceStatus.table(status).contains("feed found at \(server.url("/new.xml"))"))
    }
}
