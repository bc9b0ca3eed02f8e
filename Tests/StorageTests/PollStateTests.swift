import Foundation
import Parsing
import Storage
import TestSupport
import Testing

@Suite struct PollStateTests {
    let directory: TemporaryDirectory
    let store: Store
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("store.sqlite").path)
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/feed")], now: now)
    }

    func record() throws -> SourceRecord { try #require(try store.sources().first) }

    @Test func keepsThePollStateOfASource() throws {
        var poll = PollState()
        poll.nextPollAt = now.addingTimeInterval(1800)
        poll.waitUntil = now.addingTimeInterval(600)
        poll.waitReason = "the server asked to wait (HTTP 429)"
        poll.moveCandidate = MoveCandidate(url: "https://blog.example/new", firstSeen: now, seen: 2)
        poll.bodyHash = "00ff"
        poll.updateInterval = .seconds(3600)
        poll.hub = "https://hub.example/"
        try store.savePollState(poll, for: "blog")
        #expect(try record().poll == poll)
        #expect(try record().fetchURL == "https://blog.example/feed")
        poll.movedURL = "https://blog.example/new"
        try store.savePollState(poll, for: "blog")
        #expect(try record().fetchURL == "https://blog.example/new")
    }

    @Test func aNewURLInTheConfigurationStartsAfresh() throws {
        var poll = PollState()
        poll.goneSince = now
        poll.movedURL = "https://blog.example/moved"
        poll.waitUntil = now.addingTimeInterval(86_400)
        try store.savePollState(poll, for: "blog")
        try store.recordFailure(key: "blog", status: 410, error: "gone", now: now)
        // The same URL again keeps the state.
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/feed")], now: now)
        #expect(try record().poll.goneSince == now)
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/other-feed")], now: now)
        let fresh = try record()
        #expect(fresh.poll.goneSince == nil)
        #expect(fresh.poll.movedURL == nil)
        #expect(fresh.poll.waitUntil == nil)
        #expect(fresh.consecutiveFailures == 0)
    }

    @Test func logsEveryFetchAndPrunesOldLines() throws {
        for (offset, status) in [(0.0, 200), (60, 304), (120, 503)] {
            try store.logFetch(
                FetchLogEntry(
                    sourceKey: "blog", at: now.addingTimeInterval(offset), url: "https://blog.example/feed",
                    status: status, bytes: status == 200 ? 1234 : 0, durationSeconds: 0.25,
                    notModified: status == 304, error: status == 503 ? "HTTP 503" : nil))
        }
        let log = try store.fetchLog(for: "blog")
        #expect(log.map(\.status) == [503, 304, 200])
        #expect(log.last?.bytes == 1234)
        #expect(log.last?.durationSeconds == 0.25)
        #expect(log[1].notModified)
        #expect(try store.pruneFetchLog(olderThan: now.addingTimeInterval(30)) == 1)
        #expect(try store.fetchLog(for: "blog").count == 2)
    }

    @Test func anUnchangedBodyKeepsItsNewValidators() throws {
        try store.recordNotModified(key: "blog", status: 200, validators: Validators(etag: "\"v2\""), now: now)
        #expect(try record().etag == "\"v2\"")
        try store.recordNotModified(key: "blog", status: 304, now: now)
        #expect(try record().etag == "\"v2\"")
    }
}
