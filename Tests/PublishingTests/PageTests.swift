import Foundation
import Parsing
import Publishing
import Storage
import TestSupport
import Testing
import XML

/// The HTML pages as a visitor gets them: settings honoured, user text escaped and marked for direction,
/// lengths told honestly; read back with libxml2's HTML parser.
@Suite struct PageTests {
    let directory: TemporaryDirectory
    let store: Store
    static let march12 = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12T12:00:00Z

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("db.sqlite").path)
        try store.register([SourceDefinition(key: "blog", url: "https://blog.example/feed", title: "Blog \"Q\" <b>")])
        let entries = [
            ParsedEntry(
                id: "full", title: "Full \"quoted\" <script>alert(1)</script>",
                link: "https://blog.example/a?x=1&y=\"2\"",
                published: Self.march12, summary: "<p>Teaser</p>", content: "<p>Body</p>", wordCount: 2829,
                excerpt: "Teaser"),
            ParsedEntry(
                id: "teaser", title: "Teaser only", link: "https://blog.example/t",
                published: Self.march12.addingTimeInterval(60),
                summary: "<p>Thirteen words of summary</p>", wordCount: 13, excerpt: "Thirteen words of summary"),
            ParsedEntry(
                id: "late", title: nil, link: "https://blog.example/late",
                published: Self.march12.addingTimeInterval(11.5 * 3600),  // 23:30 UTC
                summary: "<p>Posted late in the evening, after the harbour lights came on</p>",
                enclosures: [Enclosure(url: "https://blog.example/late.jpg", type: "image/jpeg")], wordCount: 11,
                excerpt: "Posted late in the evening, after the harbour lights came on"),
        ]
        try store.recordSuccess(
            key: "blog",
            feed: ParsedFeed(
                metadata: FeedMetadata(title: "Blog", link: "https://blog.example/", format: .rss20), entries: entries),
            validators: Validators(), status: 200)
    }

    func publish(_ configure: (inout PageSettings) -> Void = { _ in }) throws -> (month: String, index: String) {
        var pages = PageSettings()
        configure(&pages)
        let site = Site(title: "Planet", baseURL: "https://planet.example/", maxEntries: 10, pages: pages)
        try Publisher(site: site, folder: directory.file("out")).publish(from: store)
        return (
            try String(contentsOf: directory.file("out/2026/03/index.html"), encoding: .utf8),
            try String(contentsOf: directory.file("out/index.html"), encoding: .utf8)
        )
    }

    func html(_ text: String) throws -> Document { try Document.html(Array(text.utf8)) }

    @Test func userTextIsEscapedAndMarkedForDirection() throws {
        let (month, _) = try publish()
        #expect(!month.contains("<script>") && !month.contains("<b>"))
        let page = try html(month)
        let titles = try page.evaluate("//article/h3").nodes
        #expect(titles.map(\.text).contains("Full \"quoted\" <script>alert(1)</script>"))
        #expect(try page.evaluate("count(//article/h3[@dir='auto'])").string == "3.0")
        #expect(try page.evaluate("string(//article/h3/a/@href)").string == "https://blog.example/a?x=1&y=\"2\"")
        #expect(try page.evaluate("string((//p[@class='source'])[1])").string == "Blog \"Q\" <b>")
        #expect(try page.evaluate("string((//p[@class='count'])[1])").string == "3 posts from 1 source")
        #expect(try page.evaluate("string((//p[@class='count'])[2])").string == "Blog \"Q\" <b> 3", "posts per source")
    }

    @Test func theLengthIsTheArticlesOrSaysOnlyASummaryIsKnown() throws {
        let page = try html(try publish().month)
        let lines = try page.evaluate("//p[@class='words']").nodes.map(\.text)
        #expect(lines == ["[... 2,829 words]", "[summary only]", "[summary only]"])
    }

    @Test func aPostWithoutTitleIsNamedByItsFirstWords() throws {
        let page = try html(try publish().month)
        #expect(
            try page.evaluate("string(//article[.//a/@href='https://blog.example/late']/h3)").string?.hasPrefix(
                "Posted late in the evening") == true)
        #expect(!(try publish().month.contains("(untitled)")))
    }

    @Test func daysAreGroupedAndShownInTheConfiguredZone() throws {
        let utc = try html(try publish().month)
        #expect(try utc.evaluate("//section[@class='day']/h2").nodes.map(\.text) == ["March 12, 2026"])
        let berlin = try html(try publish { $0.timeZone = TimeZone(identifier: "Europe/Berlin")! }.month)
        #expect(
            try berlin.evaluate("//section[@class='day']/h2").nodes.map(\.text) == [
                "March 12, 2026", "March 13, 2026",
            ],
            "23:30 UTC is past midnight in Berlin")
    }

    @Test func theLanguageSettingAndTheLookReachThePage() throws {
        let (month, index) = try publish { $0.language = "de" }
        #expect(try html(month).evaluate("string(/html/@lang)").string == "de")
        #expect(try html(index).evaluate("string(/html/@lang)").string == "de")
        #expect(month.contains("prefers-color-scheme: dark"), "a dark look for dark systems")
        let page = try html(month)
        let feeds = try page.evaluate("//link[@rel='alternate']/@href").nodes.map(\.text)
        #expect(feeds == ["../../feed.atom", "../../feed.rss", "../../feed.json", "../../digest.atom"])
    }

    @Test func anImageEnclosureIsALazyThumbnailSentNoReferrer() throws {
        let page = try html(try publish().month)
        let image = try #require(try page.evaluate("//img[@class='thumb']").nodes.first)
        #expect(try page.evaluate("string(@src)", context: image).string == "https://blog.example/late.jpg")
        #expect(try page.evaluate("string(@loading)", context: image).string == "lazy")
        #expect(try page.evaluate("string(@referrerpolicy)", context: image).string == "no-referrer")
    }

    @Test func theIndexHasTheBlogrollAndTheArchiveEveryMonth() throws {
        let index = try html(try publish().index)
        let blogroll = try index.evaluate("//ul[@class='blogroll']/li").nodes
        #expect(blogroll.count == 1)
        #expect(try index.evaluate("string(//ul[@class='blogroll']/li//a[1]/@href)").string == "https://blog.example/")
        #expect(
            try index.evaluate("string(//ul[@class='blogroll']/li/a[.='feed']/@href)").string
                == "https://blog.example/feed")
        #expect(try index.evaluate("string(//ul[@class='blogroll']/li/time)").string == "March 12, 2026")
        let archive = try html(try String(contentsOf: directory.file("out/archive.html"), encoding: .utf8))
        #expect(try archive.evaluate("//ul[@class='archive']/li/a/@href").nodes.map(\.text) == ["2026/03/index.html"])
    }

    @Test func theFirstImageOfTheContentIsTheThumbnailWhenNoEnclosureIsAnImage() throws {
        let post = ParsedEntry(
            id: "pic", title: "Pictures", link: "https://blog.example/pic",
            published: Self.march12.addingTimeInterval(120),
            content: "<p>Look:</p><p><img src=\"https://blog.example/a.png?x=1&amp;y=2\" alt=\"\"></p>",
            enclosures: [Enclosure(url: "https://blog.example/talk.mp3", type: "audio/mpeg")], wordCount: 1)
        try store.recordSuccess(
            key: "blog", feed: ParsedFeed(metadata: FeedMetadata(title: "Blog", format: .rss20), entries: [post]),
            validators: Validators(), status: 200)
        let page = try html(try publish().month)
        #expect(
            try page.evaluate("string(//article[.//a/@href='https://blog.example/pic']/img/@src)").string
                == "https://blog.example/a.png?x=1&y=2")
    }

    @Test func aPostWithoutLinkLinksToItsDayAndABlogWithoutSiteToItsFeed() throws {
        try store.register([SourceDefinition(key: "bare", url: "https://bare.example/feed", title: "Bare")])
        let post = ParsedEntry(id: "nolink", title: "No link", published: Self.march12, wordCount: 1)
        try store.recordSuccess(
            key: "bare", feed: ParsedFeed(metadata: FeedMetadata(title: "Bare", format: .rss20), entries: [post]),
            validators: Validators(), status: 200)
        let page = try html(try publish().month)
        let article = try #require(try page.evaluate("//article[h3='No link']").nodes.first)
        #expect(try page.evaluate("string(h3/a/@href)", context: article).string == "#d2026-03-12")
        #expect(
            try page.evaluate("string(p[@class='source']/a/@href)", context: article).string
                == "../../sources/bare.atom")
        #expect(try page.evaluate("count(//section[@id='d2026-03-12'])").string == "1.0", "the anchor exists")
    }
}
