import Foundation
import Storage
import TestSupport
import Testing
import Tidings

/// `per_site` holds for the whole refresh: polling, feed discovery and `follow:` article pages all go
/// through the one fetcher, so one host never sees more requests at once than the limit.
@Suite struct SiteLimitTests {
    static func feed(_ name: String) -> String {
        """
        <rss version="2.0"><channel><title>\(name)</title><link>https://\(name).example/</link>
        <item><title>\(name) one</title><link>https://\(name).example/1</link><guid>\(name)-1</guid></item>
        </channel></rss>
        """
    }

    static let blogPage = """
        <!DOCTYPE html><html><head><title>A blog</title>
        <link rel="alternate" type="application/rss+xml" href="/found.xml"></head>
        <body><p>Posts are in the feed.</p></body></html>
        """

    static func index(_ name: String) -> String {
        let items = (1...4).map { "<li class=\"post\"><a href=\"/\(name)/posts/\($0)\">Post \($0)</a></li>" }
        return "<!DOCTYPE html><html><head><title>\(name)</title></head><body><ul>\(items.joined())</ul></body></html>"
    }

    static let article = """
        <!DOCTYPE html><html><head><title>Post</title></head><body><div class="post-body">
        <p>The full text of the post, long enough to count, with commas, clauses, and a point.</p>
        <p>A second paragraph of the article, so the main block is clearly this one and not the menu.</p>
        </div></body></html>
        """

    @Test func oneHostNeverSeesMoreThanPerSiteAcrossPollingDiscoveryAndFollow() async throws {
        let html = [("Content-Type", "text/html")]
        let server = try LoopbackHTTPServer { request in
            var response: LoopbackHTTPServer.Response
            switch request.path {
            case "/blog": response = .init(headers: html, body: Self.blogPage)
            case "/found.xml": response = .init(body: Self.feed("found"))
            case let path where path.hasPrefix("/feed-"): response = .init(body: Self.feed(String(path.dropFirst(6))))
            case let path where path.hasSuffix("/index"):
                response = .init(headers: html, body: Self.index(String(path.dropFirst().prefix { $0 != "/" })))
            default: response = .init(headers: html, body: Self.article)
            }
            // Slow enough that the transfers of every kind overlap.
            response.delay = .milliseconds(60)
            return response
        }
        defer { server.stop() }
        let feeds = (1...4).map { "  - key: feed\($0)\n    url: \(server.url("/feed-\($0)"))\n" }
        let followed = ["a", "b", "c"].map {
            "  - key: follow-\($0)\n    url: \(server.url("/\($0)/index"))\n    follow: true\n    html:\n      item: li.post\n"
        }
        let site = try TestSite(
            "fetch:\n  per_site: 2\n  concurrency: 16\nsources:\n" + feeds.joined()
                + "  - key: blog\n    url: \(server.url("/blog"))\n" + followed.joined())
        let report = try await site.run()
        let stored = report.outcomes.filter { if case .stored = $0.status { true } else { false } }
        #expect(stored.count == 8, "\(report.outcomes)")
        // 4 feeds, the blog page and the feed it advertises, 3 indexes and their 12 articles.
        #expect(server.requests.count == 21, "\(server.requests.map(\.path))")
        #expect(server.maxConcurrentRequests <= 2, "the server saw \(server.maxConcurrentRequests) at once")
        let articles = try site.store.latestEntries(limit: 50).filter { $0.sourceKey.hasPrefix("follow-") }
        #expect(articles.count == 12 && articles.allSatisfy { $0.content != nil })
    }
}
