import Foundation
import Storage
import TestSupport
import Testing
import Tidings
import XML

/// Config → fetch from a loopback server → parse → store → outputs, run twice.
@Suite struct RefreshTests {
    static let rss = """
        <?xml version="1.0"?>
        <rss version="2.0"><channel><title>Loopback RSS</title><link>https://rss.example/</link>
        <item><title>RSS one</title><link>https://rss.example/1</link><pubDate>Thu, 12 Mar 2026 10:00:00 GMT</pubDate>
          <description>&lt;p&gt;First &lt;script&gt;evil()&lt;/script&gt;post&lt;/p&gt;</description></item>
        <item><title>RSS two</title><link>https://rss.example/2</link><pubDate>Fri, 13 Mar 2026 10:00:00 GMT</pubDate></item>
        </channel></rss>
        """
    static let atom = """
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Loopback Atom</title><id>urn:x</id><updated>2026-02-01T00:00:00Z</updated>
        <entry><title>Atom one</title><id>urn:x:1</id><link href="https://atom.example/1"/><updated>2026-02-01T00:00:00Z</updated></entry>
        </feed>
        """
    static let page = """
        <html><head><title>Page</title></head><body>
        <div class="post"><a href="/p/1">Page post one</a><p>One.</p></div>
        <div class="post"><a href="/p/2">Page post two</a><p>Two.</p></div>
        </body></html>
        """

    let server: LoopbackHTTPServer
    let directory: TemporaryDirectory
    let config: Config

    init() throws {
        server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/rss.xml":
                if request.headers["if-none-match"] == "\"rss-v1\"" { return .init(status: 304) }
                return .init(
                    headers: [("ETag", "\"rss-v1\""), ("Content-Type", "application/rss+xml")], body: Self.rss)
            case "/atom.xml": return .init(body: Self.atom)
            case "/page.html": return .init(headers: [("Content-Type", "text/html")], body: Self.page)
            case "/login":
                return .init(body: "<!DOCTYPE html><html><head><title>Sign in</title></head><body></body></html>")
            default: return .init(status: 404, body: "not here")
            }
        }
        directory = try TemporaryDirectory()
        let file = try directory.write(
            """
            title: Loopback Site
            base_url: https://reader.example/
            sources:
              - key: rss
                url: \(server.url("/rss.xml"))
              - key: atom
                url: \(server.url("/atom.xml"))
              - key: page
                url: \(server.url("/page.html"))
                html:
                  item: div.post
                  title: a
                  link: a@href
                  summary: p
              - key: gone
                url: \(server.url("/gone.xml"))
              - key: wall
                url: \(server.url("/login"))
            """, to: "feeds.yaml")
        config = try Config.load(from: file)
    }

    @Test func refreshesTwiceWithoutDuplicates() async throws {
        let refresh = Refresh(config: config)
        let store = try refresh.openStore()

        let first = try await refresh.run(store: store)
        let summaries = first.outcomes.map(\.summary)
        #expect(summaries[0] == "rss: 2 new, 0 updated, 0 unchanged")
        #expect(summaries[1] == "atom: 1 new, 0 updated, 0 unchanged")
        #expect(summaries[2] == "page: 2 new, 0 updated, 0 unchanged")
        #expect(summaries[3] == "gone: failed: \(server.url("/gone.xml")): HTTP 404 Not Found")
        #expect(
            summaries[4]
                == "wall: failed: \(server.url("/login")): got a login page instead of the feed: the feed needs signing in, or has moved behind one"
        )
        #expect(first.failures == 2)
        #expect(
            Set(first.written).isSuperset(of: [
                "feed.atom", "feed.rss", "index.html", "2026/03/index.html", "2026/02/index.html",
            ]))

        let atomIDs = try entryIDs()
        #expect(atomIDs.count == 5)

        let second = try await refresh.run(store: store)
        #expect(second.outcomes[0].summary == "rss: unchanged (not modified since the last fetch)")
        // The same documents again: not parsed a second time.
        #expect(second.outcomes[1].summary == "atom: unchanged (the same document as last time)")
        #expect(second.outcomes[2].summary == "page: unchanged (the same document as last time)")
        // The failed source waits out its backoff; a one-shot refresh honours that.
        #expect(
            second.outcomes[3].summary.hasPrefix("gone: skipped: backing off after 1 failure in a row; next try after"))
        #expect(second.written.isEmpty, "nothing new, so no file is rewritten")
        #expect(try entryIDs() == atomIDs)
        #expect(try store.latestEntries(limit: 100).count == 5)

        let rssRequests = server.requests.filter { $0.path == "/rss.xml" }
        #expect(rssRequests.count == 2)
        #expect(rssRequests[1].headers["if-none-match"] == "\"rss-v1\"")

        let sources = try store.sources()
        #expect(sources.first { $0.key == "gone" }?.consecutiveFailures == 1)
        #expect(server.requests.filter { $0.path == "/gone.xml" }.count == 1)
        #expect(sources.first { $0.key == "rss" }?.lastStatus == 304)
    }

    @Test func aNewSiteTitleIsPublishedEvenWhenNoEntryChanged() async throws {
        let refresh = Refresh(config: config)
        let store = try refresh.openStore()
        _ = try await refresh.run(store: store)
        var renamed = config
        renamed.title = "Renamed Digest"
        let report = try await Refresh(config: renamed).run(store: store)
        #expect(report.written.contains("index.html"))
        let index = try String(contentsOf: config.outputFolder.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("Renamed Digest"))
        #expect(try await Refresh(config: renamed).run(store: store).written.isEmpty)
    }

    @Test func outputsCarryTheParsedEntries() async throws {
        let refresh = Refresh(config: config)
        _ = try await refresh.run(store: try refresh.openStore())
        let rss = try Document.xml(Array(try Data(contentsOf: config.outputFolder.appendingPathComponent("feed.rss"))))
        let titles = try rss.evaluate("/rss/channel/item/title").nodes.map(\.text)
        #expect(Set(titles) == ["RSS one", "RSS two", "Atom one", "Page post one", "Page post two"])
        let description = try rss.evaluate("string(/rss/channel/item[title='RSS one']/description)").string ?? ""
        #expect(description == "<p>First post</p>", "scripts are gone")
        let link = try rss.evaluate("string(/rss/channel/item[title='Page post one']/link)").string
        #expect(link == server.url("/p/1"))
        let month = try Document.html(
            Array(try Data(contentsOf: config.outputFolder.appendingPathComponent("2026/03/index.html"))))
        #expect(
            try month.evaluate("//section[@class='day']/h2").nodes.map(\.text) == ["March 12, 2026", "March 13, 2026"])
        // Each source's own feed, rendered while the refresh ran, is published whole, with no temporary file left.
        for (key, count) in [("rss", "2.0"), ("atom", "1.0"), ("page", "2.0"), ("gone", "0.0")] {
            let feed = try Document.xml(
                Array(try Data(contentsOf: config.outputFolder.appendingPathComponent("sources/\(key).rss"))))
            #expect(try feed.evaluate("count(/rss/channel/item)").string == count, "\(key)")
        }
        let temporary = FileManager.default.enumerator(atPath: config.outputFolder.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".tmp") }
        #expect(temporary == [])
    }

    private func entryIDs() throws -> [String] {
        let atom = try Document.xml(
            Array(try Data(contentsOf: config.outputFolder.appendingPathComponent("feed.atom"))))
        return try atom.evaluate("/a:feed/a:entry/a:id", namespaces: ["a": "http://www.w3.org/2005/Atom"]).nodes.map(
            \.text)
    }
}
