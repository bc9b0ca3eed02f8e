import Fetching
import Foundation
import Parsing
import Storage
import Testing

@testable import Tidings

@Suite struct PollPlannerTests {
    let planner = PollPlanner(policy: PollPolicy())
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// `count` posts, `gap` seconds apart, the newest `gap` ago.
    func posts(every gap: TimeInterval, count: Int = 10) -> [Date] {
        (1...count).map { now.addingTimeInterval(-gap * Double($0)) }
    }

    func interval(_ posts: [Date], override: Duration? = nil, feed: Duration? = nil) -> Duration {
        planner.regularInterval(override, feed: feed, posts: posts, now: now)
    }

    @Test func pollsASourceThatPostsHourlyMoreOftenThanOneThatPostsWeekly() {
        #expect(interval(posts(every: 3600)) == .seconds(30 * 60), "the shortest interval")
        #expect(interval(posts(every: 86_400)) == .seconds(6 * 3600), "four polls a day")
        #expect(interval(posts(every: 7 * 86_400)) == .seconds(24 * 3600), "the longest interval")
        #expect(interval([]) == .seconds(30 * 60), "nothing known yet")
    }

    @Test func postsMillenniaApartDoNotOverflowTheInterval() {
        let extremes = [
            Date(timeIntervalSince1970: 253_402_300_799), now, Date(timeIntervalSince1970: -62_135_596_800),
        ]
        #expect(interval(extremes) == .seconds(24 * 3600))
        #expect(interval([now, now, Date(timeIntervalSince1970: -62_135_596_800)]) == .seconds(24 * 3600))
    }

    @Test func aSourceGoneQuietIsPolledLessOften() {
        let quiet = posts(every: 3600).map { $0.addingTimeInterval(-40 * 86_400) }
        #expect(interval(quiet) == .seconds(24 * 3600))
    }

    @Test func theFeedsTTLIsAFloorEvenForAFixedInterval() {
        #expect(interval(posts(every: 3600), feed: .seconds(2 * 3600)) == .seconds(2 * 3600))
        #expect(interval([], override: .seconds(600), feed: .seconds(3600)) == .seconds(3600))
        #expect(interval([], override: .seconds(600)) == .seconds(600))
        #expect(interval([], feed: .seconds(30 * 86_400)) == .seconds(24 * 3600), "a ttl never stops polling")
    }

    @Test func cacheHeadersPushTheNextPollLater() {
        let record = SourceRecord(
            key: "s", url: "https://s.example/feed", displayTitle: "s", consecutiveFailures: 0, entryCount: 0)
        let result = FetchResult(
            key: "s", requestedURL: record.url, finalURL: record.url, status: 200,
            headers: ["cache-control": "max-age=7200"], outcome: .notModified)
        let poll = planner.plan(
            record, result: result, verdict: .success(nil), interval: nil, postingDates: [], now: now)
        #expect(poll.nextPollAt == now.addingTimeInterval(7200))
    }

    @Test func backoffDoublesWithJitterAndIsCappedAtADay() {
        let waits = (1...12).map { planner.backoff(failures: $0, key: "s") }
        for (failures, wait) in waits.enumerated() {
            let full = min(300 * pow(2, Double(failures)), 86_400)
            #expect(wait <= full && wait >= full * 0.8, "failure \(failures + 1): \(wait)")
        }
        #expect(waits.last! <= 86_400)
        #expect(planner.backoff(failures: 3, key: "a") != planner.backoff(failures: 3, key: "b"), "sources spread out")
    }

    @Test func overdueSourcesAreSpreadAfterARestart() {
        func record(_ key: String, next: Date?, fetched: Bool) -> SourceRecord {
            var record = SourceRecord(
                key: key, url: "https://\(key).example/", displayTitle: key, lastFetchedAt: fetched ? now : nil,
                consecutiveFailures: 0, entryCount: 0)
            record.poll.nextPollAt = next
            return record
        }
        let records =
            (0..<50).map { record("s\($0)", next: now.addingTimeInterval(-3600), fetched: true) } + [
                record("new", next: nil, fetched: false),
                record("later", next: now.addingTimeInterval(60), fetched: true),
            ]
        let spread = planner.spreadOverdue(records, now: now)
        #expect(spread.count == 50)
        #expect(spread.allSatisfy { $0.at >= now && $0.at <= now.addingTimeInterval(600) })
        #expect(Set(spread.map { Int($0.at.timeIntervalSince(now) / 60) }).count >= 8, "spread over the window")
    }
}
