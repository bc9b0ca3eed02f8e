import Foundation
import Storage
import TestSupport
import Testing
import Tidings

/// `follow:` fetches each new entry's own page once for its full text, against a loopback server.
@Suite struct FollowTests {
    static let index = """
        <!DOCTYPE html><html><head><title>Index</title></head><body>
        <ul>
          <li class="post"><a href="/posts/kept">Kept</a><p class="teaser">A teaser.</p></li>
          <li class="post"><a href="/posts/broken">Broken</a><p class="teaser">Another teaser.</p></li>
        </ul></body></html>
        """
    static let article = """
        <!DOCTYPE html><html><head><title>Kept</title></head><body>
        <nav><a href="/">Home</a> <a href="/archive">Archive</a></nav>
        <div class="post-body">
          <p>The full text of the post, long enough to count, with commas, clauses, and a point.</p>
          <p>A second paragraph of the article, so the main block is clearly this one and not the menu.</p>
        </div>
        <div class="comments"><p>A comment that is not part of the article, though it is long enough.</p></div>
        </body></html>
        """

    @Test func storesTheArticleOfEachNewEntryOnceAndKeepsTheSummaryWhenAPageFails() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/": return .init(headers: [("Content-Type", "text/html")], body: Self.index)
            case "/posts/kept": return .init(headers: [("Content-Type", "text/html")], body: Self.article)
            default: return .init(status: 500, body: "oops")
            }
        }
        defer { server.stop() }
        let site = try TestSite(
            """
            sources:
              - key: blog
                url: \(server.url("/"))
                follow: true
                html:
                  item: li.post
                  summary: p.teaser
            """)
        let store = site.store
        let report = try await site.run()
        #expect(
            report.outcomes.first?.warnings == ["1 of 2 followed article pages gave no article; their summaries stay"])
        let entries = Dictionary(uniqueKeysWithValues: try store.latestEntries(limit: 10).map { ($0.title ?? "", $0) })
        let kept = try #require(entries["Kept"])
        #expect(kept.content?.hasPrefix("<p>The full text of the post") == true)
        #expect(kept.content?.contains("comment") == false)
        #expect(kept.wordCount == 34)  // 16 + 18 words: the article only
        #expect(kept.summary == "A teaser.")
        #expect(entries["Broken"]?.content == nil)
        #expect(entries["Broken"]?.summary == "Another teaser.")

        _ = try await site.run()
        // The stored article is not fetched again and stays; the failed one is tried again.
        let paths = server.requests.map(\.path)
        #expect(paths.filter { $0 == "/posts/kept" }.count == 1)
        #expect(paths.filter { $0 == "/posts/broken" }.count == 2)
        #expect(try store.latestEntries(limit: 10).first { $0.title == "Kept" }?.content == kept.content)
    }
}
