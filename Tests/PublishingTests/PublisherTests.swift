import Foundation
import Parsing
import Publishing
import Storage
import TestSupport
import Testing
import XML

/// Publishes from a real store into a temporary folder and reads every output back with libxml2.
@Suite struct PublisherTests {
    let directory: TemporaryDirectory
    let store: Store
    let site = Site(title: "Test Site & Co", baseURL: "https://reader.example/tidings", maxEntries: 10)
    let publisher: Publisher

    static let march12 = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12T12:00:00Z
    static let march13 = march12.addingTimeInterval(86_400)
    static let february = Date(timeIntervalSince1970: 1_771_286_400)  // 2026-02-17

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("db.sqlite").path)
        publisher = Publisher(site: site, folder: directory.file("out"))
        try store.register([
            SourceDefinition(key: "alpha", url: "https://alpha.example/feed.xml", title: "Alpha <Blog>"),
            SourceDefinition(key: "beta", url: "https://beta.example/atom.xml"),
        ])
        let alpha = ParsedFeed(
            metadata: FeedMetadata(title: "Alpha", link: "https://alpha.example/", format: .rss20),
            entries: [
                ParsedEntry(
                    id: "a1", title: "First & <Best>", link: "https://alpha.example/1", published: Self.march12,
                    author: "Ann", summary: "<p>Summary <b>one</b></p>", content: "<p>Body</p>", categories: ["x"],
                    wordCount: 2829, excerpt: "Summary one"),
                ParsedEntry(
                    id: "a2", title: "Second", link: "https://alpha.example/2", published: Self.march13, wordCount: 12,
                    excerpt: "Two"),
            ])
        let beta = ParsedFeed(
            metadata: FeedMetadata(title: "Beta Feed", link: "https://beta.example/", format: .atom10),
            entries: [
                ParsedEntry(
                    id: "a1", title: "Same id, other source", link: "https://beta.example/x", published: Self.february,
                    wordCount: 1)
            ])
        try store.recordSuccess(key: "alpha", feed: alpha, validators: Validators(), status: 200)
        try store.recordSuccess(key: "beta", feed: beta, validators: Validators(), status: 200)
    }

    func document(_ path: String) throws -> Document {
        try Document.xml(Array(try Data(contentsOf: directory.file("out/" + path))))
    }

    @Test func writesEveryOutput() throws {
        let report = try publisher.publish(from: store)
        let feeds = ["feed", "sources/alpha", "sources/beta", "digest"].flatMap { path in
            ["atom", "rss", "json"].map { "\(path).\($0)" }
        }
        #expect(
            Set(report.written)
                == Set(
                    feeds + [
                        "index.html", "archive.html", "2026/03/index.html", "2026/02/index.html", "sources.opml",
                        "feed.xsl", "sources.html", "search.js", "search/index.json", "search/2026-03.json",
                        "search/2026-02.json",
                    ]))
    }

    @Test func atomFeedIsWellFormedAndCreditsEachSource() throws {
        try publisher.publish(from: store)
        let atom = try document("feed.atom")
        #expect(atom.warnings.isEmpty)
        let ns = ["a": "http://www.w3.org/2005/Atom"]
        #expect(try atom.evaluate("string(/a:feed/a:title)", namespaces: ns).string == "Test Site & Co")
        #expect(
            try atom.evaluate("string(/a:feed/a:id)", namespaces: ns).string
                == "https://reader.example/tidings/feed.atom")
        let entries = try atom.evaluate("/a:feed/a:entry", namespaces: ns).nodes
        #expect(entries.count == 3)
        let titles = try entries.map { try atom.evaluate("string(a:title)", context: $0, namespaces: ns).string }
        #expect(titles == ["Second", "First & <Best>", "Same id, other source"])
        let first = entries[1]
        #expect(
            try atom.evaluate("string(a:link/@href)", context: first, namespaces: ns).string
                == "https://alpha.example/1")
        #expect(
            try atom.evaluate("string(a:published)", context: first, namespaces: ns).string == "2026-03-12T12:00:00Z")
        // Readers show the author, not <source>: the blog is credited there.
        #expect(
            try atom.evaluate("string(a:author/a:name)", context: first, namespaces: ns).string == "Ann (Alpha <Blog>)")
        #expect(
            try atom.evaluate("string(a:author/a:name)", context: entries[2], namespaces: ns).string == "Beta Feed",
            "a post with no author is credited to its blog alone")
        #expect(
            try atom.evaluate("string(a:source/a:updated)", context: first, namespaces: ns).string
                == "2026-03-12T12:00:00Z")
        #expect(try atom.evaluate("string(a:source/a:title)", context: first, namespaces: ns).string == "Alpha <Blog>")
        #expect(
            try atom.evaluate("string(a:summary)", context: first, namespaces: ns).string == "<p>Summary <b>one</b></p>"
        )
        #expect(try atom.evaluate("string(a:content)", context: first, namespaces: ns).string == "<p>Body</p>")
        let ids = try entries.map { try atom.evaluate("string(a:id)", context: $0, namespaces: ns).string ?? "" }
        #expect(Set(ids).count == 3, "the same entry id in two sources gives two feed ids")
    }

    @Test func rssFeedIsWellFormedWithRFC822Dates() throws {
        try publisher.publish(from: store)
        let rss = try document("feed.rss")
        #expect(rss.warnings.isEmpty)
        let items = try rss.evaluate("/rss/channel/item").nodes
        #expect(
            try rss.evaluate(
                "string(dc:creator)", context: items[1], namespaces: ["dc": "http://purl.org/dc/elements/1.1/"]
            ).string == "Ann (Alpha <Blog>)")
        #expect(items.count == 3)
        let item = items[1]
        #expect(try rss.evaluate("string(title)", context: item).string == "First & <Best>")
        #expect(try rss.evaluate("string(pubDate)", context: item).string == "Thu, 12 Mar 2026 12:00:00 +0000")
        #expect(try rss.evaluate("string(source)", context: item).string == "Alpha <Blog>")
        #expect(try rss.evaluate("string(source/@url)", context: item).string == "https://alpha.example/feed.xml")
        #expect(try rss.evaluate("string(guid/@isPermaLink)", context: item).string == "false")
    }

    @Test func monthPageHasTheSeedShape() throws {
        try publisher.publish(from: store)
        let html = try String(contentsOf: directory.file("out/2026/03/index.html"), encoding: .utf8)
        let page = try Document.html(Array(html.utf8))
        #expect(try page.evaluate("string(//h1)").string == "March 2026")
        #expect(try page.evaluate("string(//p[@class='count'])").string == "2 posts from 1 source")
        let days = try page.evaluate("//section[@class='day']/h2").nodes.map(\.text)
        #expect(days == ["March 12, 2026", "March 13, 2026"], "day headings in calendar order")
        let post = try #require(try page.evaluate("//article[h3/a[@href='https://alpha.example/1']]").nodes.first)
        #expect(try page.evaluate("string(h3/a)", context: post).string == "First & <Best>")
        #expect(try page.evaluate("string(p[@class='source'])", context: post).string == "Alpha <Blog> · Ann")
        #expect(try page.evaluate("string(p[@class='summary'])", context: post).string == "Summary one")
        #expect(try page.evaluate("string(p[@class='words']/a)", context: post).string == "[... 2,829 words]")
        #expect(
            try page.evaluate("string(p[@class='words']/a/@href)", context: post).string == "https://alpha.example/1")
        #expect(try page.evaluate("string(//a[@rel='prev']/@href)").string == "../../2026/02/index.html")
        #expect(try page.evaluate("count(//a[@rel='next'])").string == "0.0")
        #expect(!html.contains("<Best>"), "titles are escaped in pages")
    }

    /// The page is rendered while its entries are read, a day at a time: every post lands under its own day,
    /// in order, whichever way the days' runs fall.
    @Test func aMonthPageGroupsEveryPostUnderItsDay() throws {
        let hours: [Double] = [20, 9, 1, 26, 50, 51, 75]  // after 2026-03-12T00:00Z: four days
        let base = Date(timeIntervalSince1970: 1_773_273_600)
        let entries = hours.enumerated().map { index, hour in
            ParsedEntry(
                id: "g\(index)", title: "G\(index)", link: "https://alpha.example/g\(index)",
                published: base.addingTimeInterval(hour * 3600))
        }
        try store.recordSuccess(
            key: "alpha", feed: ParsedFeed(metadata: FeedMetadata(title: "Alpha", format: .rss20), entries: entries),
            validators: Validators(), status: 200)
        try publisher.publish(from: store)
        let page = try Document.html(Array(try Data(contentsOf: directory.file("out/2026/03/index.html"))))
        let days = try page.evaluate("//section[@class='day']").nodes
        let titles = try days.map { day in try page.evaluate("article/h3", context: day).nodes.map(\.text) }
        // With the two March posts the suite starts with (12 and 13 March, noon).
        // Calendar order, as the seed pages read: the first day first, each day's posts oldest first.
        #expect(titles == [["G2", "G1", "First & <Best>", "G0"], ["G3", "Second"], ["G4", "G5"], ["G6"]])
        #expect(try page.evaluate("string(//p[@class='count'])").string == "9 posts from 1 source")
        let jump = try page.evaluate("//p[@class='days']/a/@href").nodes.map(\.text)
        #expect(jump == ["#d2026-03-12", "#d2026-03-13", "#d2026-03-14", "#d2026-03-15"])
        #expect(
            try page.evaluate("//section[@class='day']/@id").nodes.map(\.text) == jump.map { String($0.dropFirst()) })

        var newestFirst = site
        newestFirst.pages.dayOrder = .newestFirst
        try Publisher(site: newestFirst, folder: directory.file("out")).publish(from: store)
        let reversed = try Document.html(Array(try Data(contentsOf: directory.file("out/2026/03/index.html"))))
        let reversedTitles = try reversed.evaluate("//section[@class='day']").nodes.map { day in
            try reversed.evaluate("article/h3", context: day).nodes.map(\.text)
        }
        #expect(reversedTitles == titles.reversed().map { $0.reversed() })
    }

    @Test func indexPageListsLatestPostsAndMonths() throws {
        try publisher.publish(from: store)
        let page = try Document.html(Array(try Data(contentsOf: directory.file("out/index.html"))))
        let titles = try page.evaluate("//article/h3").nodes.map(\.text)
        #expect(titles == ["Second", "First & <Best>", "Same id, other source"])
        let dates = try page.evaluate("//article/p[@class='meta']/time").nodes.map(\.text)
        #expect(dates == ["March 13, 2026", "March 12, 2026", "February 17, 2026"], "each post is dated")
        #expect(try page.evaluate("string(//article/p[@class='meta']/time/@datetime)").string == "2026-03-13T12:00:00Z")
        let months = try page.evaluate("//ul[@class='archive']/li/a/@href").nodes.map(\.text)
        #expect(months == ["2026/03/index.html", "2026/02/index.html"])
    }

    @Test func aPublishWithNothingNewWritesNoFile() throws {
        try publisher.publish(from: store)
        let atom = directory.file("out/feed.atom")
        // A rewrite renames a new file over the old one: the file would be another inode.
        let before = try FileManager.default.attributesOfItem(atPath: atom.path)
        let second = try publisher.publish(from: store)
        #expect(second.written.isEmpty)
        #expect(second.unchanged == 23)
        let after = try FileManager.default.attributesOfItem(atPath: atom.path)
        #expect(before[.systemFileNumber] as? Int == after[.systemFileNumber] as? Int)
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.file("out").path).filter {
            $0.hasSuffix(".tmp")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func anUnwritableOutputFolderIsAnErrorNamingIt() throws {
        try "a file, not a folder".write(to: directory.file("blocked"), atomically: true, encoding: .utf8)
        let blocked = Publisher(site: site, folder: directory.file("blocked"))
        let error = #expect(throws: PublishError.self) { try blocked.publish(from: store) }
        #expect(error?.description.contains(directory.file("blocked").path) == true)
    }
}
