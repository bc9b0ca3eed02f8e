import Foundation
import Parsing
import Storage
import TestSupport
import Testing

@testable import Tidings

/// A refresh renders only the month pages whose entries changed, with the index and the feeds; a new or
/// vanished month adds the pages that link to it; `tidings render` renders them all; nothing changed
/// renders nothing.
@Suite struct IncrementalPublishTests {
    static func entry(_ id: String, month: Int) -> ParsedEntry {
        var components = DateComponents(year: 2026, month: month, day: 10, hour: 10)
        components.timeZone = TimeZone(identifier: "UTC")
        return ParsedEntry(
            id: id, title: "Post \(id)", link: "https://blog.example/\(id)",
            published: Calendar(identifier: .gregorian).date(from: components))
    }

    func store(_ site: TestSite, _ entries: [ParsedEntry]) throws {
        let feed = ParsedFeed(metadata: FeedMetadata(title: "Blog", format: .rss20), entries: entries)
        try site.store.recordSuccess(key: "blog", feed: feed, validators: Validators(), status: 200)
    }

    @Test func onlyChangedMonthsAreRenderedAgain() async throws {
        let site = try TestSite("sources:\n  - key: blog\n    url: https://blog.example/feed\n")
        _ = try site.refresh.registeredSources(in: site.store, now: Date())
        var entries = [Self.entry("jan", month: 1), Self.entry("feb", month: 2), Self.entry("mar", month: 3)]
        try store(site, entries)
        let first = try site.refresh.publish(from: site.store)
        #expect(first.renderedMonths == ["2026/03", "2026/02", "2026/01"])

        entries.append(Self.entry("feb2", month: 2))
        try store(site, entries)
        let one = try site.refresh.publish(from: site.store)
        #expect(one.renderedMonths == ["2026/02"])
        let feeds = ["feed", "sources/blog", "digest"].flatMap { path in
            ["atom", "rss", "json"].map { "\(path).\($0)" }
        }
        #expect(
            Set(one.written)
                == Set(
                    ["2026/02/index.html", "search/2026-02.json", "search/index.json", "index.html", "archive.html", "sources.html"]
                        + feeds))
        let february = try String(contentsOf: site.directory.file("output/2026/02/index.html"), encoding: .utf8)
        #expect(february.contains("Post feb2"))

        #expect(try site.refresh.publish(from: site.store).renderedMonths.isEmpty, "nothing changed")

        // A new month changes its neighbour's link: the two are rendered.
        entries.append(Self.entry("apr", month: 4))
        try store(site, entries)
        #expect(try site.refresh.publish(from: site.store).renderedMonths == ["2026/04", "2026/03"])
        let march = try String(contentsOf: site.directory.file("output/2026/03/index.html"), encoding: .utf8)
        #expect(march.contains("href=\"../../2026/04/index.html\""))

        let full = try site.refresh.render(store: site.store)
        #expect(full.renderedMonths.count == 4)
        #expect(full.written.isEmpty, "the same bytes are not written again")
    }

    @Test func aMonthLeftWithoutEntriesLosesItsPageAndItsNeighboursTheirLinks() async throws {
        let site = try TestSite("sources:\n  - key: blog\n    url: https://blog.example/feed\n")
        _ = try site.refresh.registeredSources(in: site.store, now: Date())
        try store(site, [Self.entry("jan", month: 1), Self.entry("feb", month: 2), Self.entry("mar", month: 3)])
        _ = try site.refresh.publish(from: site.store)
        // The February post moves to January (the publisher corrected its date): February has no posts left.
        try store(site, [Self.entry("jan", month: 1), Self.entry("feb", month: 1), Self.entry("mar", month: 3)])
        let report = try site.refresh.publish(from: site.store)
        #expect(report.removed == ["2026/02/index.html", "search/2026-02.json"])
        #expect(Set(report.renderedMonths) == ["2026/03", "2026/01"])
        let output = site.directory.file("output")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("2026/02").path))
        let march = try String(contentsOf: output.appendingPathComponent("2026/03/index.html"), encoding: .utf8)
        #expect(march.contains("href=\"../../2026/01/index.html\"") && !march.contains("2026/02"))
        let index = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!index.contains("2026/02"))
        // A page the user put in the folder under another name is not Tidings' to remove.
        try Data("mine".utf8).write(to: output.appendingPathComponent("2026/notes.html"))
        try store(site, [Self.entry("jan", month: 1), Self.entry("mar", month: 3)])
        _ = try site.refresh.publish(from: site.store)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("2026/notes.html").path))
    }

    @Test func onlyTheFeedsOfSourcesWhoseEntriesChangedAreRenderedAgain() async throws {
        let site = try TestSite(
            """
            sources:
              - key: one
                url: https://one.example/feed
              - key: two
                url: https://two.example/feed
            """)
        _ = try site.refresh.registeredSources(in: site.store, now: Date())
        func store(_ key: String, _ entries: [ParsedEntry]) throws {
            let feed = ParsedFeed(metadata: FeedMetadata(title: key, format: .rss20), entries: entries)
            try site.store.recordSuccess(key: key, feed: feed, validators: Validators(), status: 200)
        }
        try store("one", [Self.entry("a", month: 3)])
        try store("two", [Self.entry("b", month: 3)])
        _ = try site.refresh.publish(from: site.store)
        let twoFeed = site.directory.file("output/sources/two.atom")
        try Data("stale".utf8).write(to: twoFeed)  // would be rewritten if it were rendered again

        try store("one", [Self.entry("a", month: 3), Self.entry("c", month: 3)])
        let report = try site.refresh.publish(from: site.store)
        #expect(report.written.contains("sources/one.atom") && report.written.contains("sources/one.json"))
        #expect(!report.written.contains { $0.hasPrefix("sources/two") })
        #expect(try String(contentsOf: twoFeed, encoding: .utf8) == "stale")
        // A full render writes every source's feeds again.
        _ = try site.refresh.render(store: site.store)
        #expect(try String(contentsOf: twoFeed, encoding: .utf8).contains("<feed"))
    }
}
