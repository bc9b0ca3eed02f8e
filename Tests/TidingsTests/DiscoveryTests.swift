import Fetching
import Foundation
import Parsing
import Storage
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
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            """
            sources:
              - key: blog
                url: \(server.url("/blog/"))
            """, to: "feeds.yaml")
        let refresh = Refresh(config: try Config.load(from: file))
        let store = try refresh.openStore()
        let first = try await refresh.run(store: store)
        #expect(first.outcomes.first?.summary == "blog: 1 new, 0 updated, 0 unchanged")
        #expect(try store.discoveredURL(for: "blog") == server.url("/feeds/all.xml"))
        #expect(try store.sources().first?.discoveredURL == server.url("/feeds/all.xml"))
        _ = try await refresh.run(store: store)
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
        let directory = try TemporaryDirectory()
        let file = try directory.write("sources:\n  - key: plain\n    url: \(server.url("/"))\n", to: "feeds.yaml")
        let refresh = Refresh(config: try Config.load(from: file))
        let report = try await refresh.run(store: try refresh.openStore())
        let summary = try #require(report.outcomes.first?.summary)
        #expect(
            summary.contains(
                "got an HTML page with no feed Tidings could find (tried \(server.url("/feed")): HTTP 404;"))
        #expect(summary.hasSuffix("add `html:` extraction rules to follow it as a page"))
        // Six usual places at the root, each asked once, and nothing else.
        #expect(server.requests.count == 7)
    }
}
