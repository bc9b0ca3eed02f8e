import Foundation
import TestSupport
import Testing

@testable import Publishing
@testable import Tidings

/// `tidings explain`: a published post, a filtered one, one off the front page, a URL never seen, a source
/// that is failing.
@Suite struct ExplainTests {
    static func facts(_ explanation: Explanation, post: Int = 0) -> [String: String] {
        Dictionary(explanation.posts[post].map { ($0.label, $0.text) }) { first, _ in first }
    }

    @Test func explainsPublishedFilteredAndMissingPosts() async throws {
        let broken = Counter()
        let server = try LoopbackHTTPServer { request in
            if request.path == "/broken" { broken.next(); return .init(status: 500) }
            return .init(body: FilterTests.feed(String(request.path.dropFirst())))
        }
        var yaml = FilterTests.yaml(server, filters: FilterTests.rules, memberFilters: FilterTests.memberRules)
        yaml += "\n  - key: broken\n    url: \(server.url("/broken"))\n"
        yaml = yaml.replacingOccurrences(of: "base_url: https://planet.example/", with: "base_url: https://planet.example/\nmax_entries: 4")
        let site = try TestSite(yaml)
        _ = try await site.run()
        let config = site.refresh.config

        let shown = Self.facts(try Explanation.explain("https://other.example/4", config: config))
        #expect(shown["title"] == "On gardening")
        #expect(shown["published"] == "feed.atom, feed.rss, feed.json and index.html; 2026/02/index.html#d2026-02-20; sources/other.atom")
        #expect(shown["public id"]?.hasPrefix("urn:tidings:other:") == true)
        // By its public id, and by its link over http with tracking: the same post.
        let byID = try Explanation.explain(try #require(shown["public id"]), config: config)
        #expect(Self.facts(byID)["link"] == "https://other.example/4")
        let alias = try Explanation.explain("http://www.other.example/4?utm_source=feed", config: config)
        #expect(Self.facts(alias)["title"] == "On gardening")

        let hidden = Self.facts(try Explanation.explain("https://member.example/3", config: config))
        #expect(hidden["hidden"] == "feeds.yaml:10: exclude { author: \"Guest\" }")
        #expect(hidden["published"] == "nowhere while the rule holds (it stays stored)")

        let old = Self.facts(try Explanation.explain("https://other.example/1", config: config))
        #expect(old["front page"]?.hasPrefix("not among the newest 4 (max_entries)") == true, "\(old)")
        #expect(old["published"] == "2026/01/index.html#d2026-01-12; sources/other.atom")

        let never = try Explanation.explain(server.url("/never-seen"), config: config)
        #expect(never.posts.isEmpty)
        let missing = Dictionary(try #require(never.notStored).map { ($0.label, $0.text) }) { first, _ in first }
        #expect(missing["stored"] == "no")
        #expect(missing["source"]?.hasSuffix(", on the same site") == true)

        let failing = try Explanation.explain(server.url("/broken/a-post"), config: config)
        let failure = Dictionary(try #require(failing.notStored).map { ($0.label, $0.text) }) { first, _ in first }
        #expect(failure["source"] == "broken, on the same site", "\(failure)")
        #expect(failure["last fetch"]?.hasSuffix(", HTTP 500") == true)
        #expect(failure["last error"]?.contains("500") == true, "\(failure)")
        #expect(broken.next() == 2, "fetched once")

        let elsewhere = try Explanation.explain("https://elsewhere.example/post", config: config)
        #expect(elsewhere.notStored?.contains { $0.text.contains("no configured source is on elsewhere.example") } == true)
    }
}

/// `sources.html`, the operator's page.
@Suite struct SourcesPageTests {
    @Test func everySourceWithItsHealthItsLastPostItsMonthsAndWhatIsHidden() async throws {
        let server = try LoopbackHTTPServer { request in
            if request.path == "/broken" { return .init(status: 500) }
            return .init(body: FilterTests.feed(String(request.path.dropFirst())))
        }
        let yaml =
            FilterTests.yaml(server, filters: FilterTests.rules) + "\n  - key: broken\n    url: \(server.url("/broken"))\n"
        let site = try TestSite(yaml)
        _ = try await site.run()
        let page = try String(contentsOf: site.directory.file("output/sources.html"), encoding: .utf8)
        #expect(page.contains("3 sources, 1 failing."), "\(page)")
        #expect(page.contains("Failing since "), "the failing source says so")
        #expect(page.contains("HTTP 500"))
        #expect(page.contains("Working: last fetched "))
        #expect(page.contains("1 hidden by filters"), "each source's sponsored post")
        #expect(page.components(separatedBy: "<rect ").count - 1 == 36, "twelve bars a source")
        // The failing source first.
        let broken = try #require(page.range(of: "<span class=\"key\">broken</span>"))
        let member = try #require(page.range(of: "<span class=\"key\">member</span>"))
        #expect(broken.lowerBound < member.lowerBound)
        let index = try String(contentsOf: site.directory.file("output/index.html"), encoding: .utf8)
        #expect(index.contains("href=\"sources.html\""))
        #expect(SourcesPage.lastTwelveMonths(now: Date(timeIntervalSince1970: 1_767_225_600)).first == 202502, "Jan 2026's year")
    }
}

extension ExplainTests {
    /// A post whose feed renamed it (a new guid, the same link moved to https and back) is explained with what
    /// it was known as, and the fetch that first stored it.
    @Test func explainsWhatAPostWasMergedWithAndWhichFetchFirstSawIt() async throws {
        let renamed = Counter()
        let server = try LoopbackHTTPServer { _ in
            let guid = renamed.next() == 1 ? "old-guid" : "new-guid"
            return .init(
                body: """
                    <rss version="2.0"><channel><title>R</title><link>https://r.example/</link>
                    <item><title>A post</title><link>https://r.example/post</link><guid>\(guid)</guid>
                    <pubDate>Thu, 12 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>
                    """)
        }
        let site = try TestSite("base_url: https://p.example/\nsources:\n  - key: r\n    url: \(server.url("/feed"))\n")
        _ = try await site.run()
        _ = try await site.run(.force)
        let facts = Self.facts(try Explanation.explain("https://r.example/post", config: site.refresh.config))
        #expect(facts["id in its feed"] == "new-guid")
        #expect(facts["merged"]?.hasPrefix("known as id old-guid until ") == true, "\(facts)")
        #expect(facts["first fetch"]?.contains("of \(server.url("/feed")) (HTTP 200)") == true, "\(facts)")
    }
}

extension ExplainTests {
    /// What the sanitiser took out of a post is said by kind.
    @Test func explainsWhatTheSanitiserRemoved() async throws {
        let content = """
            <p>Hello <a href="javascript:alert(1)" onclick="steal()">there</a></p><script>alert(2)</script>
            <iframe src="https://tracker.example/embed"></iframe><img src="https://t.example/pixel.gif" width="1" height="1">
            """
        let server = try LoopbackHTTPServer { _ in
            .init(
                body: """
                    <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>S</title>
                    <link>https://s.example/</link><item><title>Sanitised</title><link>https://s.example/p</link>
                    <content:encoded><![CDATA[\(content)]]></content:encoded></item></channel></rss>
                    """)
        }
        let site = try TestSite("base_url: https://p.example/\nsources:\n  - key: s\n    url: \(server.url("/feed"))\n")
        _ = try await site.run()
        let facts = Self.facts(try Explanation.explain("https://s.example/p", config: site.refresh.config))
        #expect(
            facts["sanitised"]
                == "removed 1 event handler, 1 iframe (replaced by a link), 1 image (tracking pixel or no source), 1 script, 1 unsafe link",
            "\(facts)")
    }
}

extension SourcesPageTests {
    /// A source that starts failing changes no entry, yet the operator's page says so at the next publish — not
    /// only once it is a problem in health.atom — and says so again when it works.
    @Test func theOperatorsPageFollowsEverySourcesFailures() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_773_316_800))
        let broken = Counter()
        let failing = Gate()  // opened: the server fails
        let recovered = Gate()  // opened: the server works again
        let server = try LoopbackHTTPServer { _ in
            if failing.wait(limit: 0) && !recovered.wait(limit: 0) { broken.next(); return .init(status: 500) }
            return .init(body: FilterTests.feed("member"))
        }
        let site = try TestSite("base_url: https://p.example/\nsources:\n  - key: member\n    url: \(server.url("/member"))\n")
        _ = try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
        let page = site.directory.file("output/sources.html")
        #expect(try String(contentsOf: page, encoding: .utf8).contains("Working: last fetched"))
        failing.open()
        let index = try Data(contentsOf: site.directory.file("output/index.html"))
        _ = try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
        #expect(broken.next() == 2, "one failed fetch")
        let failed = try String(contentsOf: page, encoding: .utf8)
        #expect(failed.contains("Failing since") && failed.contains("HTTP 500"), "\(failed)")
        #expect(try Data(contentsOf: site.directory.file("output/index.html")) == index, "no entry changed")
        clock.advance(by: 2 * 86_400)
        _ = try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
        #expect(try String(contentsOf: page, encoding: .utf8).contains("Failing since"), "still failing")
        recovered.open()
        _ = try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
        let working = try String(contentsOf: page, encoding: .utf8)
        #expect(working.contains("Working: last fetched") && !working.contains("Failing"), "\(working)")
    }
}
