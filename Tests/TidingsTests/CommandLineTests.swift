import Foundation
import Storage
import TestSupport
import Testing

/// Runs the built `tidings` binary as a user would.
@Suite struct CommandLineTests {
    static var binary: URL { TidingsBinary.url }

    static func tidings(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws
        -> TidingsBinary.Run
    {
        try TidingsBinary.run(arguments, in: folder, environment: environment)
    }

    static func exampleSite() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        let root = Fixtures.packageRoot()
        try FileManager.default.copyItem(at: root.appendingPathComponent("examples"), to: directory.file("examples"))
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("feeds.yaml"), to: directory.file("feeds.yaml"))
        return directory
    }

    @Test func refreshesTheBundledExamplesOffline() throws {
        let site = try Self.exampleSite()
        let run = try Self.tidings(["refresh"], in: site.url)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("field-notes: 3 new"))
        #expect(run.output.contains("harbour-letters: 3 new"))
        #expect(run.output.contains("slow-reading: 6 new"))
        #expect(run.output.contains("workbench: 5 new"))
        for file in ["feed.atom", "feed.rss", "index.html", "2026/03/index.html"] {
            #expect(FileManager.default.fileExists(atPath: site.file("output/\(file)").path), "\(file)")
        }
        let again = try Self.tidings(["refresh", "--config", "feeds.yaml"], in: site.url)
        #expect(again.status == 0)
        #expect(again.output.contains("field-notes: unchanged (the same document as last time)"))
        #expect(again.output.contains("0 files written"))
    }

    @Test func completionScriptsKnowEveryCommand() throws {
        let folder = try TemporaryDirectory()
        for shell in ["bash", "zsh", "fish"] {
            let run = try Self.tidings(["--generate-completion-script", shell], in: folder.url)
            #expect(run.status == 0, "\(shell): \(run.errors)")
            for command in ["refresh", "run", "status", "check", "reload", "import-opml", "templates"] {
                #expect(run.output.contains(command), "\(shell) completes \(command)")
            }
        }
    }

    @Test func importOPMLShowsFirstThenWritesOnlyWithWriteAndOnlyOnce() throws {
        let site = try Self.exampleSite()
        let before = try String(contentsOf: site.file("feeds.yaml"), encoding: .utf8)
        let opml = Fixtures.packageRoot().appendingPathComponent("Tests/ParsingTests/Fixtures/opml/reader-export.opml")
        let dry = try Self.tidings(["import-opml", opml.path], in: site.url)
        #expect(dry.status == 0, "\(dry.errors)")
        #expect(dry.output.contains("- key: ada-s-notes-on-compilers"))
        #expect(dry.output.contains("4 sources to add; run again with --write"))
        #expect(try String(contentsOf: site.file("feeds.yaml"), encoding: .utf8) == before, "a dry run writes nothing")

        let written = try Self.tidings(["import-opml", "--write", opml.path], in: site.url)
        #expect(written.status == 0, "\(written.errors)")
        #expect(written.output.contains("added 4 sources"))
        let after = try String(contentsOf: site.file("feeds.yaml"), encoding: .utf8)
        #expect(after.hasPrefix(before.components(separatedBy: "\n").prefix(3).joined(separator: "\n")))
        let check = try Self.tidings(["check"], in: site.url)
        #expect(check.status == 0 && check.output.contains("8 sources, no errors"), "\(check.output) \(check.errors)")

        let again = try Self.tidings(["import-opml", "--write", opml.path], in: site.url)
        #expect(again.output.contains("nothing to add"), "\(again.output)")
        #expect(try String(contentsOf: site.file("feeds.yaml"), encoding: .utf8) == after)

        let notOPML = try Self.tidings(["import-opml", site.file("feeds.yaml").path], in: site.url)
        #expect(notOPML.status != 0)
        #expect(notOPML.errors.contains("feeds.yaml: not an OPML file"), "\(notOPML.errors)")
    }

    @Test func refreshNamingSourcesFetchesOnlyThoseAndRefusesAnUnknownKey() throws {
        let site = try Self.exampleSite()
        let run = try Self.tidings(["refresh", "workbench", "field-notes"], in: site.url)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("workbench: 5 new") && run.output.contains("field-notes: 3 new"))
        #expect(!run.output.contains("slow-reading") && !run.output.contains("harbour-letters"))
        #expect(run.output.contains("2 sources;"))
        let status = try Self.tidings(["status"], in: site.url)
        #expect(status.output.split(separator: "\n").filter { $0.contains("never fetched") }.count == 2)

        let feeds = try String(contentsOf: site.file("feeds.yaml"), encoding: .utf8)
        try feeds.split(separator: "\n").filter { !$0.hasPrefix("base_url:") }.joined(separator: "\n")
            .write(to: site.file("feeds.yaml"), atomically: true, encoding: .utf8)
        let warned = try Self.tidings(["refresh", "workbench"], in: site.url)
        #expect(warned.status == 0 && warned.errors.contains("warning:") && warned.errors.contains("base_url"))

        let unknown = try Self.tidings(["refresh", "workbench", "no-such-blog"], in: site.url)
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("'no-such-blog'") && unknown.errors.contains("feeds.yaml"))
        #expect(!unknown.output.contains("workbench"), "nothing is fetched when a key is wrong")
    }

    @Test func statusShowsEverySourceAsATableAndAsJSON() throws {
        let site = try Self.exampleSite()
        let before = try Self.tidings(["status"], in: site.url)
        #expect(before.status == 0, "\(before.errors)")
        #expect(before.output.contains("never fetched"))
        _ = try Self.tidings(["refresh"], in: site.url)
        let table = try Self.tidings(["status"], in: site.url)
        var lines = table.output.split(separator: "\n")
        #expect(lines.first == "daemon: not running")
        lines.removeFirst()
        #expect(lines.first?.hasPrefix("SOURCE") == true)
        #expect(lines.count == 5, "a header and one row per source")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: " ", omittingEmptySubsequences: true)[1] == "ok" })
        let json = try Self.tidings(["status", "--json"], in: site.url)
        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["key"] as? String } == ["workbench", "slow-reading", "field-notes", "harbour-letters"])
        #expect(rows.allSatisfy { $0["state"] as? String == "ok" && $0["next_poll"] is String })
        #expect(rows.first?["entries"] as? Int == 5)
    }

    @Test func aBrokenConfigurationStopsBeforeAnythingIsWritten() throws {
        let site = try TemporaryDirectory()
        try site.write("sources:\n  - key: a\n    url: https://a.example/feed\n    titel: typo\n", to: "feeds.yaml")
        let run = try Self.tidings(["refresh"], in: site.url)
        #expect(run.status == 78)
        #expect(run.errors.contains("feeds.yaml:4: sources[1].titel: unknown field"))
        #expect(!FileManager.default.fileExists(atPath: site.file("output").path))
        #expect(!FileManager.default.fileExists(atPath: site.file("tidings.sqlite").path))
    }

    @Test func anUnusableDatabaseIsAFailure() throws {
        let site = try Self.exampleSite()
        try "this is not a database".write(to: site.file("tidings.sqlite"), atomically: true, encoding: .utf8)
        let run = try Self.tidings(["refresh"], in: site.url)
        #expect(run.status == 1)
        #expect(run.errors.contains("tidings.sqlite"))
    }

    /// Starts `tidings run` in `site` and waits (at most `seconds`) for `file` to appear.
    static func startDaemon(in site: TemporaryDirectory, waitingFor file: String, seconds: Double) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["run"]
        process.currentDirectoryURL = site.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        waitUntil(seconds: seconds) { FileManager.default.fileExists(atPath: file) || !process.isRunning }
        return process
    }

    static func stop(_ process: Process) { TidingsBinary.stop(process) }

    @Test func theDaemonRefreshesThenStopsOnSIGTERM() throws {
        let site = try Self.exampleSite()
        let atom = site.file("output/feed.atom").path
        let process = try Self.startDaemon(in: site, waitingFor: atom, seconds: 30)
        #expect(FileManager.default.fileExists(atPath: atom), "the daemon refreshes at start")
        #expect(process.isRunning, "and then waits for the next interval")
        Self.stop(process)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}

extension CommandLineTests {
    /// After a kill between storing and publishing, the daemon brings the outputs up to date at start,
    /// before any source is due.
    @Test func theDaemonPublishesWhatTheStoreHoldsAtStart() throws {
        let site = try Self.exampleSite()
        #expect(try Self.tidings(["refresh"], in: site.url).status == 0)
        // Outputs behind the store: one is missing and the store has changed since they were written.
        try Store(path: site.file("tidings.sqlite").path).forgetPublishedChanges()
        let atom = site.file("output/feed.atom").path
        try FileManager.default.removeItem(atPath: atom)
        let process = try Self.startDaemon(in: site, waitingFor: atom, seconds: 20)
        #expect(FileManager.default.fileExists(atPath: atom), "written at start, no source being due")
        Self.stop(process)
    }

    /// The bundled examples are local files: their paths must never reach what subscribers and visitors see.
    @Test func noLocalPathReachesTheOutputs() throws {
        let site = try Self.exampleSite()
        #expect(try Self.tidings(["refresh"], in: site.url).status == 0)
        for file in ["feed.atom", "feed.rss", "index.html", "2026/03/index.html"] {
            let text = try String(contentsOf: site.file("output/\(file)"), encoding: .utf8)
            #expect(!text.contains("file:"), "\(file)")
            #expect(!text.contains(site.url.path), "\(file)")
        }
    }

    @Test func previewExplainsWhereEachFieldCameFrom() throws {
        let site = try Self.exampleSite()
        let run = try Self.tidings(["preview", "slow-reading"], in: site.url)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("date: 2026-03-24T00:00:00Z  (from rule 'date' (preceding: h2.day))"))
        #expect(run.output.contains("title from rule 'title' (h3 a)"))
        #expect(!FileManager.default.fileExists(atPath: site.file("tidings.sqlite").path), "preview stores nothing")

        let withRules = try Self.tidings(
            ["preview", "--url", "examples/workbench/index.html", "--item", "li.post", "--date", "time.published"],
            in: site.url)
        #expect(withRules.status == 0, "\(withRules.errors)")
        #expect(withRules.output.contains("warning: the html rule 'date' ('time.published') matched nothing in any of"))

        let unknown = try Self.tidings(["preview", "nope"], in: site.url)
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("no source 'nope' in feeds.yaml; its sources are: workbench, slow-reading"))
    }
}

extension CommandLineTests {
    @Test func discoverSaysWhatThePageAdvertisesAndWhatEachAttemptFound() throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/": return .init(body: DiscoveryTests.page(feedPath: "/feeds/all.xml"))
            case "/feeds/all.xml": return .init(body: DiscoveryTests.atom)
            case "/plain/": return .init(body: "<!DOCTYPE html><html><head><title>P</title></head><body></body></html>")
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let site = try TemporaryDirectory()
        let found = try Self.tidings(["discover", server.url("/")], in: site.url)
        #expect(found.status == 0, "\(found.errors)")
        #expect(
            found.output.contains("The page advertises:\n  \(server.url("/feeds/all.xml"))  <link rel=\"alternate\""))
        #expect(found.output.contains("  \(server.url("/feeds/all.xml")): a feed (atom10, 1 entry)"))
        #expect(found.output.hasSuffix("Feed: \(server.url("/feeds/all.xml"))\n"))

        let none = try Self.tidings(["discover", server.url("/plain/")], in: site.url)
        #expect(none.status == 1)
        #expect(none.output.contains("The page advertises no feed."))
        #expect(none.errors.contains("no feed found for \(server.url("/plain/"))"))
    }
}
