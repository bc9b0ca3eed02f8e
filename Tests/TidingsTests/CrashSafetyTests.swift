import Foundation
import Parsing
import Storage
import Synchronization
import TestSupport
import Testing

@testable import Tidings

/// A crash at any moment, a full disk, a damaged document or a hostile page leaves the store and the
/// outputs right, and the next run makes good whatever was left undone.
@Suite struct CrashSafetyTests {
    static func rss(_ items: [(id: String, title: String, content: String)]) -> String {
        let body = items.map { item in
            "<item><title>\(item.title)</title><link>https://blog.example/\(item.id)</link><guid>\(item.id)</guid>"
                + "<pubDate>Thu, 12 Mar 2026 10:00:00 GMT</pubDate>"
                + "<description>\(item.content)</description></item>"
        }
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title>"
            + "<link>https://blog.example/</link>\(body.joined())</channel></rss>"
    }

    /// The document a test's server answers, changed by the test between runs.
    final class Served: Sendable {
        private let text: Mutex<String>
        init(_ text: String) { self.text = Mutex(text) }
        var current: String { text.withLock { $0 } }
        func set(_ new: String) { text.withLock { $0 = new } }
    }

    /// A loopback server whose one feed the test changes between runs.
    static func server(_ document: Served) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { _ in .init(headers: [("Content-Type", "application/rss+xml")], body: document.current)
        }
    }

    /// A site following that one feed, refreshed once.
    static func refreshedSite(serving document: Served, settings: String = "") async throws
        -> (LoopbackHTTPServer, TestSite)
    {
        let server = try server(document)
        let site = try TestSite(settings + "sources:\n  - key: blog\n    url: \(server.url("/feed"))\n")
        _ = try await site.run()
        return (server, site)
    }

    @Test func aRunKilledBetweenStoringAndPublishingIsMadeGoodByTheNext() async throws {
        let document = Served(Self.rss([("a", "First post", "one")]))
        let (server, site) = try await Self.refreshedSite(serving: document)
        defer { server.stop() }
        // What a run killed after its store transaction and before publishing leaves: a new entry stored,
        // outputs as before, and a document that now hashes as already parsed.
        let newer = ParsedFeed(
            metadata: FeedMetadata(title: "Blog", link: "https://blog.example/", format: .rss20),
            entries: [
                ParsedEntry(
                    id: "b", title: "Second post", link: "https://blog.example/b",
                    published: Date(timeIntervalSince1970: 1_773_313_200))
            ])
        try site.store.recordSuccess(key: "blog", feed: newer, validators: Validators(), status: 200)
        let output = site.directory.file("output")
        #expect(
            !(try String(contentsOf: output.appendingPathComponent("feed.atom"), encoding: .utf8)).contains(
                "Second post"))
        let next = try await site.run()
        #expect(next.written.contains("feed.atom"))
        for file in ["feed.atom", "feed.rss", "index.html", "2026/03/index.html"] {
            let text = try String(contentsOf: output.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains("Second post"), "\(file)")
        }
        #expect(try await site.run().written.isEmpty, "and once published, nothing is rewritten")
    }

    @Test func leftoverTemporaryFilesAreRemovedByTheNextRun() async throws {
        let document = Served(Self.rss([("a", "First post", "one")]))
        let (server, site) = try await Self.refreshedSite(serving: document)
        defer { server.stop() }
        // PIDs far above any pid_max stand for processes killed long ago.
        let leftovers = ["output/.index.html.99999999.tmp", "output/2026/03/.index.html.99999998.tmp"]
        for path in leftovers { _ = try site.directory.write("half a page", to: path) }
        // PID 1 always runs: its file belongs to a publish in progress.
        let mine = try site.directory.write("another writer's page", to: "output/.feed.atom.1.tmp")
        #expect(try await site.run().written.isEmpty)
        for path in leftovers {
            #expect(!FileManager.default.fileExists(atPath: site.directory.file(path).path), "\(path)")
        }
        #expect(FileManager.default.fileExists(atPath: mine.path), "a running process's file is its own")
    }

    @Test func anUnwritablePlaceLeavesTheOldOutputsWholeAndNamesThePath() async throws {
        let document = Served(Self.rss([("a", "March post", "one")]))
        let (server, site) = try await Self.refreshedSite(serving: document)
        defer { server.stop() }
        let output = site.directory.file("output")
        let before = try Self.contents(of: output)
        // An April post needs output/2026/04/, and a file stands in its place.
        _ = try site.directory.write("in the way", to: "output/2026/04")
        document.set(
            Self.rss([("b", "April post", "two"), ("a", "March post", "one")])
                .replacingOccurrences(
                    of: "<guid>b</guid><pubDate>Thu, 12 Mar", with: "<guid>b</guid><pubDate>Sun, 12 Apr"))
        let error = await #expect(throws: (any Error).self) { try await site.run() }
        #expect("\(error.map { "\($0)" } ?? "")".contains(output.appendingPathComponent("2026/04").path))
        var after = try Self.contents(of: output)
        after["2026/04"] = nil
        #expect(after == before, "the old outputs are untouched, and no new file is left behind")
        try FileManager.default.removeItem(at: output.appendingPathComponent("2026/04"))
        let recovered = try await site.run()
        #expect(recovered.written.contains("2026/04/index.html"))
        #expect(
            try String(contentsOf: output.appendingPathComponent("feed.atom"), encoding: .utf8).contains("April post"))
    }

    @Test(.enabled(if: SmallFilesystem.isAvailable))
    func aFullDiskLeavesTheOldOutputsWholeAndNamesThePath() async throws {
        // Room for one short post's outputs, not for a long one's.
        let disk = try SmallFilesystem(kilobytes: 160)
        defer { disk.unmount() }
        let document = Served(Self.rss([("a", "Short post", "one")]))
        let (server, site) = try await Self.refreshedSite(serving: document, settings: "output: \(disk.path)\n")
        defer { server.stop() }
        let before = try Self.contents(of: URL(fileURLWithPath: disk.path))
        let long = String(repeating: "A long paragraph that fills the disk. ", count: 3_000)
        document.set(Self.rss([("b", "Long post", long), ("a", "Short post", "one")]))
        let error = await #expect(throws: (any Error).self) { try await site.run() }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(disk.path) && message.contains("No space left on device"), "\(message)")
        #expect(try Self.contents(of: URL(fileURLWithPath: disk.path)) == before)
        #expect(try site.store.changeCounter() > 0, "the store kept the new entry for the next run")
    }

    @Test func aFeedThatOnceWorkedCannotBeHijackedByAnHTMLPage() async throws {
        let serveHTML = Mutex(false)
        let server = try LoopbackHTTPServer { request in
            switch (request.path, serveHTML.withLock { $0 }) {
            case ("/feed.xml", false): return .init(body: Self.rss([("a", "Real post", "one")]))
            case ("/feed.xml", true):
                return .init(
                    headers: [("Content-Type", "text/html")],
                    body: "<!DOCTYPE html><html><head><title>Down for maintenance</title>"
                        + "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/other.xml\"></head></html>")
            case ("/other.xml", _): return .init(body: Self.rss([("x", "Someone else's post", "spam")]))
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let site = try TestSite("sources:\n  - key: blog\n    url: \(server.url("/feed.xml"))\n")
        _ = try await site.run()
        serveHTML.withLock { $0 = true }
        let hijack = try await site.run(.force)
        #expect(
            hijack.outcomes.first?.status.failureReason?.contains(
                "answered an HTML page (\"Down for maintenance\") instead of the feed it has served before") == true)
        #expect(try site.store.sources().first?.discoveredURL == nil)
        #expect(!server.requests.contains { $0.path == "/other.xml" })
        serveHTML.withLock { $0 = false }
        #expect(try await site.run(.force).failures == 0)
        #expect(server.requests.last?.path == "/feed.xml")
    }

    @Test func aTruncatedDocumentAddsNewEntriesButShortensNoStoredOne() async throws {
        let full = String(repeating: "Every word of the whole article. ", count: 50)
        let document = Served(Self.rss([("a", "Long read", full)]))
        let (server, site) = try await Self.refreshedSite(serving: document)
        defer { server.stop() }
        let cut = Self.rss([("b", "Newer post", "fresh"), ("a", "Long read", full)])
        document.set(String(cut.prefix(cut.count - 700)))
        let report = try await site.run()
        #expect(report.outcomes.first?.summary.hasPrefix("blog: 1 new, 0 updated, 1 unchanged") == true)
        let stored = try site.store.latestEntries(limit: 10)
        #expect(Set(stored.compactMap(\.title)) == ["Newer post", "Long read"])
        let long = try #require(
            try site.store.entries(year: 2026, month: 3, withBodies: true).first { $0.title == "Long read" })
        #expect(long.summary?.contains(String(full.suffix(60)).trimmingCharacters(in: .whitespaces)) == true)
    }

    /// Every file under `folder`, by relative path, with its bytes.
    static func contents(of folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            result[String(url.path.dropFirst(folder.path.count + 1))] = try Data(contentsOf: url)
        }
        return result
    }
}

/// A tmpfs of a few kilobytes, to fill: only root may mount one, so tests that need it say so.
struct SmallFilesystem {
    let path: String

    static let isAvailable: Bool = {
        guard getuid() == 0, let probe = try? SmallFilesystem(kilobytes: 16) else { return false }
        probe.unmount()
        return true
    }()

    init(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("tidings-full-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    func unmount() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [path]
        try? process.run()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
}
