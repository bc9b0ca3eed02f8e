import Checked
import Fetching
import Foundation
import Storage
import TestSupport
import Testing

@testable import Tidings

/// The fetcher's politeness end to end: a scripted server on 127.0.0.1, a hand-moved clock, and what
/// both the store and the server saw.
@Suite struct PollingTests {
    static let feed = """
        <rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
        <item><title>One</title><link>https://t.example/1</link><guid>1</guid></item>
        </channel></rss>
        """

    let clock = TestClock()

    func site(_ server: LoopbackHTTPServer, _ path: String, extra: String = "", fetch: String = "") throws
        -> TestSite
    {
        try TestSite(
            """
            \(fetch)
            sources:
              - key: s
                url: \(server.url(path))
            \(extra)
            """)
    }

    func run(_ site: TestSite, _ mode: Refresh.Mode = .all) async throws -> SourceOutcome? {
        let clock = self.clock
        return try await site.refresh.run(store: site.store, mode: mode, now: { clock.now }).outcomes.first
    }

    func record(_ site: TestSite) throws -> SourceRecord { try #require(try site.store.sources().first) }

    @Test func validatorsThenNotModifiedCostNoParseAndNoWrite() async throws {
        let server = try LoopbackHTTPServer { request in
            request.headers["if-none-match"] == "\"v1\""
                ? .init(status: 304)
                : .init(
                    headers: [("ETag", "\"v1\""), ("Last-Modified", "Mon, 23 Nov 2026 08:00:00 GMT")], body: Self.feed)
        }
        let site = try site(server, "/feed")
        #expect(try await run(site)?.status == .stored(EntryChanges(new: 1)))
        let again = try await site.refresh.run(store: site.store, now: { [clock] in clock.now })
        #expect(again.outcomes.first?.status == .notModified)
        #expect(again.written.isEmpty)
        let second = try #require(server.requests.last)
        #expect(second.headers["if-none-match"] == "\"v1\"")
        #expect(second.headers["if-modified-since"] == "Mon, 23 Nov 2026 08:00:00 GMT")
        let log = try site.store.fetchLog(for: "s")
        #expect(log.map(\.status) == [304, 200])
        #expect(log.map(\.notModified) == [true, false])
        #expect(log[1].bytes == Self.feed.utf8.count)
    }

    @Test func aPermanentRedirectChainSeenOverADayIsAdopted() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/old": .init(status: 301, headers: [("Location", "/older")])
            case "/older": .init(status: 308, headers: [("Location", "/new")])
            default: .init(body: Self.feed)
            }
        }
        let site = try site(server, "/old")
        for hours in [0.0, 12, 11] {
            clock.advance(by: hours * 3600)
            _ = try await run(site)
            #expect(try record(site).poll.movedURL == nil, "not yet a day")
        }
        #expect(try record(site).poll.moveCandidate?.seen == 3, "three fetches, but over 23 hours")
        clock.advance(by: 3600)
        let adopting = try await run(site)
        #expect(adopting?.warnings.first?.hasPrefix("moved permanently to \(server.url("/new"))") == true)
        #expect(try record(site).poll.movedURL == server.url("/new"))
        _ = try await run(site)
        #expect(server.requests.suffix(1).map(\.path) == ["/new"])
        let status = try site.refresh.status(now: clock.now)
        #expect(status.first?.movedURL == server.url("/new"))
        #expect(try String(contentsOf: site.refresh.config.file, encoding: .utf8).contains(server.url("/old")))
    }

    @Test func aTemporaryRedirectIsNeverAdopted() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/feed" ? .init(status: 302, headers: [("Location", "/today")]) : .init(body: Self.feed)
        }
        let site = try site(server, "/feed")
        for _ in 0..<4 {
            _ = try await run(site)
            clock.advance(by: 86_400)
        }
        #expect(try record(site).poll.movedURL == nil)
        #expect(try record(site).poll.moveCandidate == nil)
        #expect(server.requests.filter { $0.path == "/feed" }.count == 4)
    }

    @Test func goneDisablesTheSourceUntilItsURLChanges() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/gone" ? .init(status: 410) : .init(body: Self.feed)
        }
        let site = try site(server, "/gone")
        #expect(try await run(site)?.status == .failed("\(server.url("/gone")): HTTP 410 Gone"))
        clock.advance(by: 7 * 86_400)
        let skipped = try await run(site)
        guard case .skipped(let reason) = skipped?.status else {
            Issue.record("\(String(describing: skipped))"); return
        }
        #expect(reason.hasPrefix("gone (HTTP 410) since"))
        #expect(server.requests.count == 1)
        #expect(try site.refresh.status(now: clock.now).first?.state == .gone)
        _ = try await run(site, .force)
        #expect(server.requests.count == 2, "--force fetches it anyway")
        let moved = Refresh(
            config: try Config.load(
                from: try site.directory.write(
                    "sources:\n  - key: s\n    url: \(server.url("/feed"))\n", to: "feeds.yaml")))
        let clock = self.clock
        let report = try await moved.run(store: site.store, now: { clock.now })
        #expect(report.outcomes.first?.status == .stored(EntryChanges(new: 1)))
        #expect(try record(site).poll.goneSince == nil)
    }

    @Test func retryAfterInSecondsIsHonoured() async throws {
        let calls = Counter()
        let server = try LoopbackHTTPServer { _ in
            calls.next() == 1 ? .init(status: 429, headers: [("Retry-After", "3600")]) : .init(body: Self.feed)
        }
        let site = try site(server, "/feed")
        _ = try await run(site)
        let waiting = try record(site)
        #expect(waiting.poll.waitUntil == clock.now.addingTimeInterval(3600))
        #expect(waiting.poll.waitReason == "the server asked to wait (HTTP 429, Retry-After)")
        clock.advance(by: 1800)
        guard case .skipped = try await run(site)?.status else { Issue.record("not skipped"); return }
        #expect(server.requests.count == 1)
        clock.advance(by: 1801)
        #expect(try await run(site)?.status == .stored(EntryChanges(new: 1)))
        #expect(try record(site).poll.waitUntil == nil)
    }

    @Test func retryAfterAsADateIsCapped() async throws {
        let twoDaysLater = Date(timeIntervalSince1970: 1_795_000_000 + 2 * 86_400)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let header = formatter.string(from: twoDaysLater)
        let server = try LoopbackHTTPServer { _ in .init(status: 503, headers: [("Retry-After", header)]) }
        let site = try site(server, "/feed", fetch: "fetch:\n  max_retry_after: 12h")
        _ = try await run(site)
        #expect(try record(site).poll.waitUntil == clock.now.addingTimeInterval(12 * 3600))
    }

    @Test func aServerErrorBacksOffMoreEachTimeAndRecovers() async throws {
        let calls = Counter()
        let server = try LoopbackHTTPServer { _ in calls.next() <= 3 ? .init(status: 500) : .init(body: Self.feed) }
        let site = try site(server, "/feed")
        var waits: [TimeInterval] = []
        for _ in 0..<3 {
            _ = try await run(site)
            let wait = try #require(try record(site).poll.waitUntil)
            waits.append(wait.timeIntervalSince(clock.now))
            clock.advance(by: waits.last! + 1)
        }
        #expect(try record(site).consecutiveFailures == 3)
        #expect(waits[1] > waits[0] * 1.5 && waits[2] > waits[1] * 1.5, "\(waits)")
        #expect(waits[0] <= 300 && waits[0] >= 240, "five minutes less jitter")
        #expect(try await run(site)?.status == .stored(EntryChanges(new: 1)))
        let recovered = try record(site)
        #expect(recovered.consecutiveFailures == 0)
        #expect(recovered.poll.waitUntil == nil)
        #expect(try site.refresh.status(now: clock.now).first?.state == .ok)
    }

    @Test func whenEverySourceIsUnreachableNoSourceIsBlamed() async throws {
        // Two sites (127.0.0.1 and localhost) where nothing listens.
        let first = try RefusingPort()
        let second = try RefusingPort()
        let site = try TestSite(
            """
            sources:
              - key: a
                url: http://127.0.0.1:\(first.port)/feed
              - key: b
                url: http://localhost:\(second.port)/feed
            """)
        let report = try await site.refresh.run(store: site.store, now: { [clock] in clock.now })
        #expect(report.failures == 2)
        #expect(report.outcomes.allSatisfy { $0.summary.contains("the network seems down") })
        for record in try site.store.sources() {
            #expect(record.consecutiveFailures == 0)
            #expect(record.poll.waitUntil == nil)
        }
    }

    @Test func oneDeadServerAmongLiveOnesIsBlamed() async throws {
        let live = try LoopbackHTTPServer { _ in .init(body: Self.feed) }
        let dead = try RefusingPort()
        let site = try TestSite(
            """
            sources:
              - key: dead
                url: http://localhost:\(dead.port)/feed
              - key: live
                url: \(live.url("/feed"))
            """)
        _ = try await site.refresh.run(store: site.store, now: { [clock] in clock.now })
        let blamed = try #require(try site.store.sources().first { $0.key == "dead" })
        #expect(blamed.consecutiveFailures == 1)
        let backoff = site.refresh.planner.backoff(failures: 1, key: "dead")
        // Stored in whole seconds.
        #expect(
            blamed.poll.waitUntil.map(Checked.unixSeconds) == Checked.unixSeconds(Checked.adding(backoff, to: clock.now)),
            "backing off from its first failure")
    }

    @Test func aBotChallengeIsReportedAsSuch() async throws {
        let challenge = """
            <!DOCTYPE html><html><head><title>Just a moment...</title></head>
            <body><div id="challenge-platform"></div></body></html>
            """
        let server = try LoopbackHTTPServer { request in
            .init(
                status: request.path == "/blocked" ? 403 : 200, headers: [("Content-Type", "text/html")],
                body: challenge)
        }
        let site = try TestSite(
            """
            sources:
              - key: blocked
                url: \(server.url("/blocked"))
              - key: challenged
                url: \(server.url("/challenged"))
            """)
        let report = try await site.refresh.run(store: site.store, now: { [clock] in clock.now })
        #expect(
            report.outcomes[0].status.failureReason?.hasPrefix(
                "\(server.url("/blocked")): HTTP 403 Forbidden: got a bot challenge page instead of the feed") == true)
        #expect(
            report.outcomes[1].status.failureReason?.hasPrefix(
                "\(server.url("/challenged")): got a bot challenge page instead of the feed") == true)
        #expect(server.requests.count == 2, "a challenge page is not searched for feeds")
    }

    @Test func aBodyPastTheSourcesLimitFailsWithoutTouchingWhatIsStored() async throws {
        let calls = Counter()
        let big = String(repeating: " ", count: 4096) + Self.feed
        let server = try LoopbackHTTPServer { _ in .init(body: calls.next() == 1 ? Self.feed : big) }
        let site = try site(server, "/feed", extra: "    max_body: 1KB")
        #expect(try await run(site)?.status == .stored(EntryChanges(new: 1)))
        let outcome = try await run(site, .force)
        #expect(
            outcome?.status
                == .failed("\(server.url("/feed")): the response is larger than the limit of 1 KiB (1024 bytes)"))
        #expect(try record(site).entryCount == 1)
    }

    @Test func theDaemonsScheduleFetchesOnlyWhatIsDue() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Self.feed) }
        let site = try TestSite(
            """
            poll_interval: 30m
            sources:
              - key: often
                url: \(server.url("/often"))
              - key: seldom
                url: \(server.url("/seldom"))
                interval: 6h
            """)
        let clock = self.clock
        let first = try await site.refresh.run(store: site.store, mode: .due, now: { clock.now })
        #expect(first.outcomes.count == 2, "never fetched: due at once")
        clock.advance(by: 60)
        #expect(try await site.refresh.run(store: site.store, mode: .due, now: { clock.now }).outcomes.isEmpty)
        clock.advance(by: 30 * 60)
        let later = try await site.refresh.run(store: site.store, mode: .due, now: { clock.now })
        #expect(later.outcomes.map(\.key) == ["often"])
        clock.advance(by: 6 * 3600)
        let much = try await site.refresh.run(store: site.store, mode: .due, now: { clock.now })
        #expect(much.outcomes.map(\.key) == ["often", "seldom"])
    }

    @Test func aFeedsHubAndTTLAreRecorded() async throws {
        let feed = """
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title>
            <link>https://t.example/</link><ttl>180</ttl><atom:link rel="hub" href="https://hub.example/"/>
            <item><title>One</title><link>https://t.example/1</link></item></channel></rss>
            """
        let server = try LoopbackHTTPServer { _ in .init(body: feed) }
        let site = try site(server, "/feed")
        _ = try await run(site)
        let poll = try record(site).poll
        #expect(poll.hub == "https://hub.example/")
        #expect(poll.updateInterval == .seconds(3 * 3600))
        #expect(poll.nextPollAt == clock.now.addingTimeInterval(3 * 3600), "the ttl is a floor")
        #expect(try site.refresh.status(now: clock.now).first?.hub == "https://hub.example/")
    }
}
