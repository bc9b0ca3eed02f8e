import Foundation
import Storage
import Synchronization
import TestSupport
import Testing
import Tidings
import XML

/// A source failing for longer than `health_after` appears in `health.atom` and first in `tidings status`;
/// it is updated when its error changes and leaves when the source heals.
@Suite struct HealthFeedTests {
    static let feed = """
        <rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
        <item><title>One</title><link>https://t.example/1</link><guid>1</guid></item>
        </channel></rss>
        """
    static let ns = ["a": "http://www.w3.org/2005/Atom"]

    let clock = TestClock()
    /// What `/broken` answers: a status, or the feed when nil.
    let brokenStatus = BrokenStatus()

    final class BrokenStatus: Sendable {
        private let value = Mutex<Int?>(404)
        func withLock<T>(_ body: (inout Int?) -> T) -> T { value.withLock { body(&$0) } }
    }

    func site(_ server: LoopbackHTTPServer) throws -> TestSite {
        try TestSite(
            """
            base_url: https://planet.example/
            health_after: 2h
            sources:
              - key: fine
                url: \(server.url("/fine"))
              - key: broken
                title: The Broken Blog
                url: \(server.url("/broken"))
            """)
    }

    func server() throws -> LoopbackHTTPServer {
        let brokenStatus = self.brokenStatus
        return try LoopbackHTTPServer { request in
            if request.path == "/broken", let status = brokenStatus.withLock({ $0 }) { return .init(status: status) }
            return .init(body: Self.feed)
        }
    }

    /// Every source fetched, whatever backoff says: the test moves the clock by hours.
    func refresh(_ site: TestSite) async throws -> RefreshReport {
        let clock = self.clock
        return try await site.refresh.run(store: site.store, mode: .force, now: { clock.now })
    }

    func health(_ site: TestSite) throws -> Document {
        let document = try Document.xml(Array(try Data(contentsOf: site.directory.file("output/health.atom"))))
        #expect(document.warnings.isEmpty, "\(document.warnings)")
        return document
    }

    func entries(_ document: Document) throws -> [Node] {
        try document.evaluate("/a:feed/a:entry", namespaces: Self.ns).nodes
    }

    func string(_ document: Document, _ expression: String) throws -> String {
        try document.evaluate("string(\(expression))", namespaces: Self.ns).string ?? ""
    }

    @Test func aSourceFailingTooLongAppearsChangesAndLeavesWhenItHeals() async throws {
        let server = try server()
        let site = try site(server)
        let start = clock.now
        _ = try await refresh(site)
        #expect(try entries(try health(site)).isEmpty, "failing for less than health_after")
        #expect(try site.refresh.status(now: clock.now).map(\.key) == ["fine", "broken"])

        clock.advance(by: 3 * 3600)
        let failing = try await refresh(site)
        #expect(failing.written.contains("health.atom"))
        var document = try health(site)
        #expect(try entries(document).count == 1)
        let id = try string(document, "/a:feed/a:entry/a:id")
        #expect(id == "https://planet.example/health.atom#broken-\(Int(start.timeIntervalSince1970))")
        #expect(try string(document, "/a:feed/a:entry/a:title").contains("The Broken Blog (broken)"))
        #expect(try string(document, "/a:feed/a:entry/a:content").contains("404"))
        #expect(try string(document, "/a:feed/a:entry/a:link/@href") == server.url("/broken"))
        let firstUpdated = try string(document, "/a:feed/a:entry/a:updated")
        let status = try site.refresh.status(now: clock.now)
        #expect(status.map(\.key) == ["broken", "fine"], "the problem first")
        #expect(status.first?.isProblem == true)
        #expect(status.first?.failingSince == start)

        // The same failure an hour later: nothing to rewrite.
        clock.advance(by: 3600)
        #expect(try await refresh(site).written.contains("health.atom") == false)

        // Another error: the same problem, updated.
        brokenStatus.withLock { $0 = 500 }
        clock.advance(by: 3600)
        #expect(try await refresh(site).written.contains("health.atom"))
        document = try health(site)
        #expect(try string(document, "/a:feed/a:entry/a:id") == id)
        #expect(try string(document, "/a:feed/a:entry/a:updated") != firstUpdated)
        #expect(try string(document, "/a:feed/a:entry/a:content").contains("500"))

        // Healed: gone from the feed and from the top of the status.
        brokenStatus.withLock { $0 = nil }
        clock.advance(by: 3600)
        #expect(try await refresh(site).written.contains("health.atom"))
        #expect(try entries(try health(site)).isEmpty)
        #expect(try site.refresh.status(now: clock.now).map(\.key) == ["fine", "broken"])
        let record = try #require(try site.store.sources().first { $0.key == "broken" })
        #expect(record.failingSince == nil)

        // Failing again after the success is a new problem, with a new id.
        brokenStatus.withLock { $0 = 404 }
        _ = try await refresh(site)
        clock.advance(by: 3 * 3600)
        _ = try await refresh(site)
        let again = try string(try health(site), "/a:feed/a:entry/a:id")
        #expect(again.hasPrefix("https://planet.example/health.atom#broken-") && again != id)
    }
}
