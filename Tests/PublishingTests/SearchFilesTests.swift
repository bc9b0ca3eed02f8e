import Foundation
import Parsing
import Publishing
import Storage
import TestSupport
import Testing

/// The files the pages' search box reads: published from a real store, read back as JSON.
@Suite struct SearchFilesTests {
    let directory: TemporaryDirectory
    let store: Store

    static let march12 = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12T12:00:00Z
    static let february = Date(timeIntervalSince1970: 1_771_286_400)  // 2026-02-17

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("db.sqlite").path)
        try store.register([
            SourceDefinition(key: "alpha", url: "https://alpha.example/feed.xml", title: "Alpha \"Blog\""),
            SourceDefinition(key: "beta", url: "https://beta.example/atom.xml"),
        ])
        try Self.store(
            store, "alpha",
            [
                ParsedEntry(
                    id: "a1", title: "Café </script><script>alert(1)</script> \u{2028} \"quoted\"",
                    link: "https://alpha.example/1", published: Self.march12, author: "Ann",
                    categories: ["bread", "baking"], wordCount: 2),
                ParsedEntry(
                    id: "a2", title: "東京の天気", link: "javascript:alert(2)", published: Self.march12, wordCount: 1),
                ParsedEntry(
                    id: "a3", title: "Sponsored", link: "https://alpha.example/3", published: Self.march12,
                    wordCount: 1),
            ])
        try Self.store(
            store, "beta",
            [
                ParsedEntry(
                    id: "b1", title: "February", link: "https://beta.example/x", published: Self.february, wordCount: 1)
            ])
        try store.reviewVisibility(withBodies: false) { $0.title == "Sponsored" ? "feeds.yaml:3: exclude" : nil }
    }

    /// Stores `entries` as a successful fetch of the source `key`.
    static func store(_ store: Store, _ key: String, _ entries: [ParsedEntry]) throws {
        try store.recordSuccess(
            key: key,
            feed: ParsedFeed(
                metadata: FeedMetadata(title: key, link: "https://\(key).example/", format: .rss20), entries: entries),
            validators: Validators(), status: 200)
    }

    func publisher(search: Bool = true) -> Publisher {
        var pages = PageSettings()
        pages.search = search
        return Publisher(
            site: Site(title: "Test", baseURL: "https://reader.example/", maxEntries: 10, pages: pages),
            folder: directory.file("out"))
    }

    func json(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.file("out/" + path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.file("out/" + path).path)
    }

    @Test func eachMonthListsItsShownPostsWithSourceDayLinkAuthorAndTags() throws {
        try publisher().publish(from: store)
        let march = try json("search/2026-03.json")
        #expect(march["month"] as? String == "2026-03")
        let sources = try #require(march["sources"] as? [[String]])
        #expect(sources == [["alpha", "Alpha \"Blog\""]])
        let posts = try #require(march["posts"] as? [[Any]])
        let titles = posts.compactMap { $0.first as? String }
        #expect(
            Set(titles) == ["Café </script><script>alert(1)</script> \u{2028} \"quoted\"", "東京の天気"],
            "every title read back exactly; the hidden post is not listed")
        let cafe = try #require(posts.first { ($0[0] as? String)?.hasPrefix("Café") == true })
        #expect(cafe[1] as? Int == 0)
        #expect(cafe[2] as? String == "2026-03-12")
        #expect(cafe[3] as? String == "https://alpha.example/1")
        #expect(cafe[4] as? String == "Ann")
        #expect(cafe[5] as? String == "bread, baking")
        let tokyo = try #require(posts.first { $0[0] as? String == "東京の天気" })
        #expect(tokyo.count == 3, "a javascript: link is not listed, and empty trailing fields are left out")
        let text = try String(contentsOf: directory.file("out/search/2026-03.json"), encoding: .utf8)
        #expect(!text.contains("\u{2028}"), "line separators are escaped for script readers")
    }

    @Test func theIndexListsTheMonthsNewestFirstAndTheScriptIsWritten() throws {
        try publisher().publish(from: store)
        let index = try json("search/index.json")
        let months = try #require(index["months"] as? [[Any]])
        #expect(months.map { $0[0] as? String } == ["2026-03", "2026-02"])
        #expect(months.map { $0[1] as? Int } == [2, 1], "counts of shown posts")
        let script = try String(contentsOf: directory.file("out/search.js"), encoding: .utf8)
        #expect(script.contains("search/index.json"))
        #expect(!script.contains("innerHTML"), "feed text is only ever set as text")
        let page = try String(contentsOf: directory.file("out/2026/03/index.html"), encoding: .utf8)
        #expect(page.contains("<form class=\"search\" role=\"search\" data-root=\"../../\" hidden>"))
        #expect(page.contains("<script src=\"../../search.js\" defer></script>"))
    }

    @Test func onlyTheChangedMonthsListIsRewrittenAndAnEmptiedMonthsIsRemoved() throws {
        try publisher().publishChanges(from: store, healthAfter: .seconds(3600))
        try Self.store(
            store, "alpha",
            [ParsedEntry(id: "a4", title: "Later", link: "https://alpha.example/4", published: Self.march12, wordCount: 1)])
        let report = try publisher().publishChanges(from: store, healthAfter: .seconds(3600))
        #expect(report.written.contains("search/2026-03.json"))
        #expect(!report.written.contains("search/2026-02.json"), "February did not change")
        #expect(report.written.contains("search/index.json"), "March's count changed")

        try store.reviewVisibility(withBodies: false) { $0.sourceKey == "beta" ? "feeds.yaml:9: exclude" : $0.hiddenBy }
        let hiding = try publisher().publishChanges(from: store, healthAfter: .seconds(3600))
        #expect(hiding.removed.contains("search/2026-02.json"))
        #expect(!exists("search/2026-02.json"))
        let months = try #require(try json("search/index.json")["months"] as? [[Any]])
        #expect(months.map { $0[0] as? String } == ["2026-03"])
    }

    @Test func searchOffWritesNoFilesNoBoxAndRemovesTheOldOnes() throws {
        try publisher().publish(from: store)
        #expect(exists("search/2026-03.json") && exists("search.js"))
        let report = try publisher(search: false).publishChanges(from: store, healthAfter: .seconds(3600))
        #expect(Set(report.removed).isSuperset(of: ["search/2026-03.json", "search/index.json", "search.js"]))
        #expect(!exists("search/2026-03.json") && !exists("search/index.json") && !exists("search.js"))
        let page = try String(contentsOf: directory.file("out/index.html"), encoding: .utf8)
        #expect(!page.contains("search.js") && !page.contains("role=\"search\""))
    }
}
