import Foundation
import Parsing
import Storage
import TestSupport
import Testing
import Time
import XML

@testable import Tidings

/// `max_per_source`: one prolific source cannot push the others off the front page; the months keep all.
@Suite struct FairShareTests {
    static func entries(_ source: String, count: Int) -> [ParsedEntry] {
        (0..<count).map { index in
            ParsedEntry(
                id: "\(source)-\(index)", title: "\(source) \(index)", link: "https://\(source).example/\(index)",
                published: Date(timeIntervalSince1970: 1_773_316_800 + Double(index) * 600))
        }
    }

    @Test func theFrontShowsAtMostNOfEachSourceAndTheMonthShowsEveryPost() throws {
        let site = try TestSite(
            """
            base_url: https://planet.example/
            max_entries: 20
            max_per_source: 5
            sources:
              - key: prolific
                url: https://prolific.example/feed
              - key: quiet
                url: https://quiet.example/feed
            """)
        _ = try site.refresh.registeredSources(in: site.store, now: Date())
        for (key, count) in [("prolific", 30), ("quiet", 3)] {
            try site.store.recordSuccess(
                key: key,
                feed: ParsedFeed(metadata: FeedMetadata(title: key, format: .rss20), entries: Self.entries(key, count: count)),
                validators: Validators(), status: 200)
        }
        try site.refresh.publish(from: site.store)
        let feed = try Document.xml(Array(try Data(contentsOf: site.directory.file("output/feed.atom"))))
        let titles = try feed.evaluate("//*[local-name()='entry']/*[local-name()='title']").nodes.map(\.text)
        #expect(titles.filter { $0.hasPrefix("prolific") } == (25..<30).reversed().map { "prolific \($0)" })
        #expect(titles.filter { $0.hasPrefix("quiet") }.count == 3)
        #expect(titles.count == 8)
        let month = try String(contentsOf: site.directory.file("output/2026/03/index.html"), encoding: .utf8)
        #expect(month.contains("https://prolific.example/0\""), "the month page shows every post")
        #expect((0..<30).allSatisfy { month.contains("https://prolific.example/\($0)\"") })
    }
}

extension FairShareTests {
    static func rss(_ count: Int) -> String { rss(0..<count, host: "new.example") }

    /// A new source's first fetch of 30 posts sends its newest 5 to the front; all 30 go to their month; a
    /// post it publishes later reaches the front as usual.
    @Test func aNewSourcesArchiveDoesNotFloodTheFront() async throws {
        let count = Counter()
        let server = try LoopbackHTTPServer { _ in .init(body: Self.rss(count.next() == 1 ? 30 : 31)) }
        let site = try TestSite(
            """
            base_url: https://planet.example/
            new_source_items: 5
            sources:
              - key: new
                url: \(server.url("/feed"))
            """)
        _ = try await site.run()
        let front = try FilterTests.titles(in: site.directory.file("output/feed.atom"))
        #expect(front == Set((25..<30).map { "Post \($0)" }), "\(front)")
        let month = try String(contentsOf: site.directory.file("output/2026/03/index.html"), encoding: .utf8)
        #expect((0..<30).allSatisfy { month.contains("https://new.example/\($0)\"") }, "the archive keeps all")
        let held = try Explanation.explain("https://new.example/3", config: site.refresh.config)
        #expect(held.posts.first?.contains { $0.label == "front page" && $0.text.hasPrefix("held from it") } == true)

        _ = try await site.run(.force)
        let later = try FilterTests.titles(in: site.directory.file("output/feed.atom"))
        #expect(later.contains("Post 30"), "a later post reaches the front")
        #expect(!later.contains("Post 3"))
    }
}

/// `future_dates: hold`: a post dated in the future waits off the feeds and pages until its date, and the
/// first round after it releases it.
@Suite struct FutureDateTests {
    @Test func aHeldPostIsReleasedByTheFirstRoundAfterItsDate() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_773_316_800))  // 2026-03-12
        let ahead = Timestamp.rfc822(clock.now.addingTimeInterval(2 * 86_400))
        let now = Timestamp.rfc822(clock.now.addingTimeInterval(-3600))
        let rss = """
            <rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
            <item><title>Tomorrow's news</title><link>https://t.example/soon</link><pubDate>\(ahead)</pubDate></item>
            <item><title>Today's news</title><link>https://t.example/now</link><pubDate>\(now)</pubDate></item>
            </channel></rss>
            """
        let server = try LoopbackHTTPServer { _ in .init(body: rss) }
        let site = try TestSite(
            "base_url: https://p.example/\nfuture_dates: hold\nsources:\n  - key: t\n    url: \(server.url("/feed"))\n")
        _ = try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
        let feed = site.directory.file("output/feed.atom")
        #expect(try FilterTests.titles(in: feed) == ["Today's news"])
        let held = try Explanation.explain("https://t.example/soon", config: site.refresh.config, now: clock.now)
        #expect(held.posts.first?.contains { $0.label == "hidden" && $0.text.hasPrefix("held until 2026-03-14") } == true)

        clock.advance(by: 3 * 86_400)
        _ = try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
        #expect(try FilterTests.titles(in: feed) == ["Tomorrow's news", "Today's news"], "released, with its own date")
    }
}

extension FutureDateTests {
    /// `clamp`, the default: published at the fetch that first saw it, its feed's date kept for the record.
    @Test func aClampedPostKeepsItsFeedsDateForTheRecord() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_773_316_800))
        let ahead = clock.now.addingTimeInterval(400 * 86_400)
        let rss = """
            <rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
            <item><title>From next year</title><link>https://t.example/later</link><pubDate>\(Timestamp.rfc822(ahead))</pubDate></item>
            </channel></rss>
            """
        let server = try LoopbackHTTPServer { _ in .init(body: rss) }
        let site = try TestSite("base_url: https://p.example/\nsources:\n  - key: t\n    url: \(server.url("/feed"))\n")
        _ = try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
        #expect(try FilterTests.titles(in: site.directory.file("output/feed.atom")) == ["From next year"])
        let explained = try Explanation.explain("https://t.example/later", config: site.refresh.config, now: clock.now)
        let date = explained.posts.first?.first { $0.label == "date" }?.text ?? ""
        #expect(date.hasPrefix(Timestamp.display(clock.now)), "published when first fetched: \(date)")
        #expect(date.contains("its feed says \(Timestamp.display(ahead))"), "\(date)")
        #expect(date.hasSuffix("(future_dates: clamp)"))
    }
}

extension FairShareTests {
    static func rss(_ range: Range<Int>, host: String) -> String {
        let items = range.map { index in
            "<item><title>Post \(index)</title><link>https://\(host)/\(index)</link><guid>\(host)-\(index)</guid>"
                + "<pubDate>\(Timestamp.rfc822(Date(timeIntervalSince1970: 1_773_316_800 + Double(index) * 3600)))</pubDate></item>"
        }
        return "<rss version=\"2.0\"><channel><title>B</title><link>https://\(host)/</link>" + items.joined()
            + "</channel></rss>"
    }

    /// A blog that moved re-publishes its archive under new links: the burst is held from the front, shown by
    /// status and health.atom, and released by the operator.
    @Test func aBurstIsHeldShownAndReleased() async throws {
        let fetches = Counter()
        let server = try LoopbackHTTPServer { _ in
            // First 3 posts; then the same blog moved: 40 posts under new links and ids.
            .init(body: fetches.next() == 1 ? Self.rss(0..<3, host: "old.example") : Self.rss(100..<140, host: "new.example"))
        }
        let site = try TestSite(
            """
            base_url: https://planet.example/
            new_source_items: 5
            max_entries: 50
            sources:
              - key: moved
                url: \(server.url("/feed"))
            """)
        _ = try await site.run()
        #expect(try FilterTests.titles(in: site.directory.file("output/feed.atom")).count == 3, "3 ≤ 5: all shown")
        _ = try await site.run(.force)
        let front = try FilterTests.titles(in: site.directory.file("output/feed.atom"))
        #expect(front == Set((135..<140).map { "Post \($0)" } + (0..<3).map { "Post \($0)" }), "\(front)")
        let status = try site.refresh.status(now: Date())
        #expect(status.first?.burstHeld == 35)
        #expect(SourceStatus.table(status).contains("35 held from the front page (`tidings release moved`"))
        let health = try String(contentsOf: site.directory.file("output/health.atom"), encoding: .utf8)
        #expect(health.contains("brought a burst of new posts on"), "\(health)")
        #expect(health.contains("35 new posts held from the front page"))

        #expect(try site.store.releaseHeld(of: "moved") == 35)
        try site.refresh.publish(from: site.store)
        #expect(try FilterTests.titles(in: site.directory.file("output/feed.atom")).count == 43)
        #expect(try site.refresh.status(now: Date()).first?.burstHeld == nil)
        let after = try String(contentsOf: site.directory.file("output/health.atom"), encoding: .utf8)
        #expect(!after.contains("burst"))
        #expect(!Store.isBurst(new: 20, newest: 5) && Store.isBurst(new: 21, newest: 5) && !Store.isBurst(new: 30, newest: 15))
    }
}

extension FutureDateTests {
    /// `keep` trusts the feed: a post from the future is on the front with its own date.
    @Test func keepTrustsAFutureDate() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_773_316_800))
        let ahead = clock.now.addingTimeInterval(30 * 86_400)
        let rss = """
            <rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
            <item><title>Next month</title><link>https://t.example/next</link><pubDate>\(Timestamp.rfc822(ahead))</pubDate></item>
            </channel></rss>
            """
        let server = try LoopbackHTTPServer { _ in .init(body: rss) }
        let site = try TestSite(
            "base_url: https://p.example/\nsources:\n  - key: t\n    url: \(server.url("/feed"))\n    future_dates: keep\n")
        _ = try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
        let feed = try String(contentsOf: site.directory.file("output/feed.atom"), encoding: .utf8)
        #expect(feed.contains("<published>\(Timestamp.rfc3339(ahead))</published>"), "\(feed)")
    }
}
