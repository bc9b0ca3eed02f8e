@testable import Fetching
import Foundation
import TestSupport
import Testing

/// The fetcher holds a bounded number of body bytes, whatever the documents' sizes: transfers past the budget
/// pause and resume, and a caller whose results wait never stops another's fetch.
@Suite struct BodyBudgetTests {
    static func body(_ number: Int, size: Int) -> String {
        let line = "<p>document \(number) line of text to fill the body</p>\n"
        return "<rss><channel>" + String(repeating: line, count: size / line.utf8.count) + "</channel></rss>"
    }

    @Test func pastTheBudgetOnlyTheLeadingTransferOfACallerThatKeepsUpReceives() {
        let gate = BodyGate(budget: BodyBudget(limit: 100))
        let objects = [NSObject(), NSObject(), NSObject()]  // kept alive: their identities stay distinct
        let (a, b, c) = (ObjectIdentifier(objects[0]), ObjectIdentifier(objects[1]), ObjectIdentifier(objects[2]))
        let handle = UnsafeMutableRawPointer(bitPattern: 1)!
        for transfer in [a, b, c] { gate.started(transfer) }
        #expect(gate.mayReceive(a, handle: handle, held: 0, incoming: 60, callerKeepsUp: true))
        #expect(gate.mayReceive(b, handle: handle, held: 0, incoming: 30, callerKeepsUp: true), "within the budget")
        #expect(!gate.mayReceive(b, handle: handle, held: 30, incoming: 30, callerKeepsUp: true), "past it, not the leader")
        #expect(gate.mayReceive(a, handle: handle, held: 60, incoming: 30, callerKeepsUp: true), "the leader goes on")
        #expect(!gate.mayReceive(c, handle: handle, held: 200, incoming: 1, callerKeepsUp: false), "its caller lags")
        #expect(gate.takePaused().count == 2)
        gate.finished(a)
        #expect(gate.mayReceive(b, handle: handle, held: 30, incoming: 30, callerKeepsUp: true), "the next leader")
        withExtendedLifetime(objects) {}
    }

    /// Bodies twenty times the budget, plain and gzipped, all arrive whole while the caller takes them slowly.
    @Test func everyBodyArrivesWholeThroughPausesAndResumes() async throws {
        let bodies = (0..<8).map { Self.body($0, size: 200_000) }
        let compressed = try bodies.map { try Gzip.compress(Array($0.utf8)) }
        let server = try LoopbackHTTPServer { request in
            let number = Int(request.path.dropFirst(2)) ?? 0
            return request.path.hasPrefix("/z")
                ? .init(status: 200, headers: [("Content-Encoding", "gzip")], body: compressed[number])
                : .init(body: bodies[number])
        }
        var settings = FetchSettings()
        settings.maxBufferedBytes = 10_000
        let fetcher = Fetcher(settings: settings)
        let requests = (0..<8).map { FetchRequest(key: "\($0)", url: server.url(($0 % 2 == 0 ? "/p" : "/z") + "\($0)")) }
        var received: [String: [UInt8]] = [:]
        for await result in fetcher.fetch(requests) {
            received[result.key] = result.body
            await Task.yield()
        }
        #expect(received.count == 8)
        for number in 0..<8 { #expect(received["\(number)"] == Array(bodies[number].utf8), "document \(number)") }
    }

    /// A caller that leaves its results waiting (a refresh whose parse slots are busy) cannot stop a fetch that
    /// one of those parses waits on (feed discovery): past the budget, the leading transfer is chosen among the
    /// callers that keep up, so the second caller's goes on while the first caller's slow one waits — were the
    /// slow one to lead, the second would wait for all of its trickle.
    @Test func aCallerWhoseResultsWaitDoesNotStopAnothersFetch() async throws {
        let slow = Self.body(9, size: 300_000)
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/slow":
                var response = LoopbackHTTPServer.Response(body: slow)
                response.trickle = (bytes: 10_000, pause: .milliseconds(100))
                return response
            case "/small": return .init(body: Self.body(0, size: 50_000))
            default: return .init(body: Self.body(1, size: 300_000))
            }
        }
        var settings = FetchSettings()
        settings.maxBufferedBytes = 100_000
        settings.maxTransfersPerSite = 16
        let fetcher = Fetcher(settings: settings)
        let started = ContinuousClock.now
        let paths = ["/big0", "/big1", "/big2", "/big3", "/slow"]
        var waiting = fetcher.fetch(paths.map { FetchRequest(key: $0, url: server.url($0)) }).makeAsyncIterator()
        // A result waits untaken, past the budget: the first caller no longer keeps up, and its other transfers
        // (the slow one among them) pause until it takes its results.
        #expect(waitUntil(seconds: 30) { fetcher.core.budget.waitingBytes >= 300_000 })
        let other = await fetcher.fetch(FetchRequest(key: "discovery", url: server.url("/small")))
        let otherDone = ContinuousClock.now - started
        #expect(other.body?.count ?? 0 > 40_000, "\(other.outcome)")
        var results: [String: FetchResult] = [:]
        while results.count < paths.count, let result = await waiting.next() { results[result.key] = result }
        #expect(results.keys.sorted() == paths.sorted())
        let slowIsWhole = results["/slow"]?.body == Array(slow.utf8)
        #expect(slowIsWhole, "\(results["/slow"]?.error.map(String.init(describing:)) ?? "")")
        // The slow transfer began with the others, so it ended no earlier than its duration after they began.
        let slowDuration = Duration.seconds(results["/slow"]?.durationSeconds ?? 0)
        #expect(slowDuration > otherDone, "the other caller's fetch ended first (\(otherDone) vs \(slowDuration))")
    }
}
