import Foundation
import Storage
import TestSupport
import Testing
import XML

@testable import Tidings

/// The operator's filters end to end: a loopback server, a real store, the outputs read back.
@Suite struct FilterTests {
    /// Two sources of five posts each, in January and February 2026.
    static func feed(_ name: String) -> String {
        let items = [
            ("SPONSORED: a tool", "python", "2026-01-05"), ("Django tips", "web", "2026-01-12"),
            ("Python packaging", "python", "2026-02-02"), ("Guest post", "python", "2026-02-10"),
            ("On gardening", "life", "2026-02-20"),
        ].enumerated().map { index, item in
            """
            <item><title>\(item.0)</title><link>https://\(name).example/\(index)</link><guid>\(name)-\(index)</guid>
            <category>\(item.1)</category><author>\(index == 3 ? "Guest" : "Ann")</author>
            <pubDate>\(item.2)T10:00:00Z</pubDate></item>
            """
        }
        return "<rss version=\"2.0\"><channel><title>\(name)</title><link>https://\(name).example/</link>"
            + items.joined() + "</channel></rss>"
    }

    static func yaml(_ server: LoopbackHTTPServer, filters: String = "", memberFilters: String = "") -> String {
        """
        base_url: https://planet.example/
        \(filters)
        sources:
          - key: member
            url: \(server.url("/member"))
        \(memberFilters)
          - key: other
            url: \(server.url("/other"))
        """
    }

    static let rules = """
        filters:
          - exclude: { title: "(?i)sponsored|giveaway" }
        """
    static let memberRules = """
            filters:
              - include: { category: "^python$" }
              - exclude: { author: "Guest" }
        """

    static func titles(in file: URL) throws -> Set<String> {
        let document = try Document.xml(Array(try Data(contentsOf: file)))
        return Set(try document.evaluate("//*[local-name()='entry']/*[local-name()='title']").nodes.map(\.text))
    }

    @Test func rulesHideWhatTheyMatchGlobalAndPerSourceAndTheStoreKeepsWhy() async throws {
        let server = try LoopbackHTTPServer { request in .init(body: Self.feed(String(request.path.dropFirst()))) }
        let site = try TestSite(Self.yaml(server, filters: Self.rules, memberFilters: Self.memberRules))
        _ = try await site.run()
        let shown = try Self.titles(in: site.directory.file("output/feed.atom"))
        // member: includes python only, excludes Guest; both: no sponsored posts.
        #expect(
            shown == ["Python packaging", "Django tips", "Guest post", "On gardening"],
            "other's four unsponsored posts and member's one python post by Ann share titles: \(shown)")
        let memberFeed = try Self.titles(in: site.directory.file("output/sources/member.atom"))
        #expect(memberFeed == ["Python packaging"])
        let february = try String(contentsOf: site.directory.file("output/2026/02/index.html"), encoding: .utf8)
        #expect(!february.contains("https://member.example/3"), "the guest post is on no page")
        #expect(february.contains("https://other.example/3"))

        let hidden = try site.store.hiddenEntries()
        #expect(hidden["member/SPONSORED: a tool"] == "feeds.yaml:3: exclude { title: \"(?i)sponsored|giveaway\" }")
        #expect(hidden["member/Guest post"] == "feeds.yaml:9: exclude { author: \"Guest\" }")
        #expect(
            hidden["member/Django tips"]
                == "no include admits it: feeds.yaml:8: include { category: \"^python$\" }", "\(hidden)")
        #expect(hidden["other/SPONSORED: a tool"] != nil)
        #expect(hidden.count == 5, "the others are shown: \(hidden)")
    }

    /// Editing the rules and publishing again (what a reload or the next refresh does) reviews the stored
    /// entries without fetching anything, and rewrites only the pages whose posts changed.
    @Test func aRuleChangeIsAppliedToStoredEntriesWithoutAFetchRewritingOnlyWhatChanged() async throws {
        let server = try LoopbackHTTPServer { request in .init(body: Self.feed(String(request.path.dropFirst()))) }
        let site = try TestSite(Self.yaml(server, filters: Self.rules))
        _ = try await site.run()
        let fetched = server.requests.count
        let january = site.directory.file("output/2026/01/index.html")
        let february = site.directory.file("output/2026/02/index.html")
        let inode = { (file: URL) in
            (try? FileManager.default.attributesOfItem(atPath: file.path))?[.systemFileNumber] as? Int
        }
        let (januaryBefore, februaryBefore) = (inode(january), inode(february))
        #expect(try Self.titles(in: site.directory.file("output/feed.atom")).contains("On gardening"))

        // Now gardening is hidden too: only February changes.
        let edited = Self.yaml(
            server, filters: Self.rules + "\n  - exclude: { category: \"^life$\" }")
        let file = try site.directory.write(edited, to: "feeds.yaml")
        let refresh = Refresh(config: try Config.load(from: file))
        let report = try refresh.publish(from: site.store)
        #expect(server.requests.count == fetched, "nothing fetched")
        #expect(!(try Self.titles(in: site.directory.file("output/feed.atom"))).contains("On gardening"))
        #expect(inode(january) == januaryBefore, "January's posts did not change: its page is not rewritten")
        #expect(inode(february) != februaryBefore)
        #expect(report.renderedMonths == ["2026/02"])

        // And back: the rule removed, the posts show again (nothing was deleted).
        let restored = Refresh(config: try Config.load(from: try site.directory.write(Self.yaml(server, filters: Self.rules), to: "feeds.yaml")))
        try restored.publish(from: site.store)
        #expect(try Self.titles(in: site.directory.file("output/feed.atom")).contains("On gardening"))
        #expect(server.requests.count == fetched)
    }
}

extension Store {
    /// Why each hidden stored entry is hidden, by "source/title".
    func hiddenEntries() throws -> [String: String] {
        var hidden: [String: String] = [:]
        try StoreReader(path: path).forEachVisibilityRow(withBodies: false) { row in
            if let why = row.hiddenBy { hidden["\(row.sourceKey)/\(row.title ?? "")"] = why }
        }
        return hidden
    }
}

extension FilterTests {
    /// Every file under `folder` with its bytes: what "writes nothing" is checked against.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            files[url.path] = try Data(contentsOf: url)
        }
        return files
    }

    /// `tidings filters test` prints what the edited rules would hide and show, with the rule's line, and
    /// writes nothing; `tidings check` warns about a rule that matches nothing and a source it hides whole.
    @Test func theDryRunPrintsTheChangesAndWritesNothing() throws {
        let server = try LoopbackHTTPServer { request in .init(body: Self.feed(String(request.path.dropFirst()))) }
        let site = try TemporaryDirectory()
        try site.write(Self.yaml(server, filters: Self.rules), to: "feeds.yaml")
        let refresh = try TidingsBinary.run(["refresh"], in: site.url)
        #expect(refresh.status == 0, "\(refresh.errors)")

        let edited = Self.yaml(
            server, filters: "filters:\n  - exclude: { category: \"^life$\" }\n  - exclude: { title: \"nothing-matches\" }",
            memberFilters: "    filters:\n      - exclude: { link: \"member\" }")
        try site.write(edited, to: "feeds.yaml")
        let before = try Self.snapshot(site.url)
        let run = try TidingsBinary.run(["filters", "test"], in: site.url)
        #expect(run.status == 0, "\(run.errors)")
        #expect(try Self.snapshot(site.url) == before, "nothing written: the store and the outputs are as they were")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("member: 4 newly hidden, 0 newly shown"), "its sponsored post stays hidden: \(run.output)")
        #expect(lines.contains("other: 1 newly hidden, 1 newly shown"), "\(run.output)")
        #expect(lines.contains("  - hidden  2026-02-20  On gardening  https://other.example/4"), "\(run.output)")
        #expect(lines.contains("      by feeds.yaml:3: exclude { category: \"^life$\" }"), "\(run.output)")
        #expect(lines.contains("  + shown   2026-01-05  SPONSORED: a tool  https://other.example/0"), "\(run.output)")
        #expect(run.output.contains("10 entries checked: 5 newly hidden, 1 newly shown; 2 hidden now, 6 after."))
        #expect(run.output.contains("feeds.yaml:4: exclude { title: \"nothing-matches\" }: matches none of the 10"))
        #expect(run.output.contains("sources 'member': the filters hide every one of its 5 stored entries"))

        let only = try TidingsBinary.run(["filters", "test", "other"], in: site.url)
        #expect(!only.output.contains("member"), "\(only.output)")
        // explain --json, for scripts: the hidden post's facts, the rule among them.
        let explained = try TidingsBinary.run(["explain", "--json", "https://other.example/0"], in: site.url)
        #expect(explained.status == 0, "\(explained.errors)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(explained.output.utf8)) as? [String: Any], "\(explained.output)")
        let facts = try #require((json["posts"] as? [[[String: String]]])?.first)
        #expect(facts.contains { $0["label"] == "hidden" && $0["text"]?.hasPrefix("feeds.yaml:3: exclude") == true })
        let check = try TidingsBinary.run(["check"], in: site.url)
        #expect(check.status == 0)
        #expect(check.errors.contains("sources 'member': the filters hide every one of its 5 stored entries"))
        #expect(try Self.snapshot(site.url) == before)
    }
}
