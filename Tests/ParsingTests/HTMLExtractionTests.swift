import Foundation
import Parsing
import TestSupport
import Testing
import Time

@Suite struct HTMLExtractionTests {
    let fixtures = Fixtures()

    /// Rules as `feeds.yaml` would give them: CSS unless written `xpath: …`.
    static func rules(_ item: String, _ fields: KeyValuePairs<String, [String]> = [:]) throws -> ExtractionRules {
        var rules = ExtractionRules(item: try PageSelector(item, scope: .page))
        for (field, texts) in fields {
            let selectors = try texts.map { try PageSelector($0) }
            switch field {
            case "title": rules.title = selectors
            case "link": rules.link = selectors
            case "summary": rules.summary = selectors
            case "content": rules.content = selectors
            case "date": rules.date = selectors
            case "author": rules.author = selectors
            case "image": rules.image = selectors
            case "categories": rules.categories = selectors
            case "id": rules.id = .selector(selectors)
            default: Issue.record("unknown field \(field)")
            }
        }
        return rules
    }

    /// A page shaped like the seed index page: titles and one-line descriptions, no dates.
    @Test func readsAnIndexPageWithoutDates() throws {
        let rules = try Self.rules("div.post", ["title": ["a.title"], "link": ["a@href"], "summary": ["p.desc"]])
        let feed = try FeedParser().parse(
            fixtures.bytes("pages/index-without-feed.html"), url: "https://notebook.example.com/blog/", rules: rules)
        #expect(feed.metadata.format == .html)
        #expect(feed.metadata.title == "Notebook — Blog")
        #expect(
            feed.entries.map(\.title) == [
                "Agents and Card Games: What a Simulator Taught Us", "A Self-Maintaining Personal Wiki",
                "A Guest Post Elsewhere",
            ])
        #expect(
            feed.entries.map(\.link) == [
                "https://notebook.example.com/blog/agents-and-cards", "https://notebook.example.com/blog/personal-wiki",
                "https://elsewhere.example.org/guest-post",
            ])
        #expect(feed.entries.map(\.id) == feed.entries.map { $0.link! })
        #expect(feed.entries.allSatisfy { $0.published == nil })
        #expect(
            feed.entries[1].summary
                == "A wiki that files, links and summarises what you read, so you never touch it yourself.")
        #expect(feed.entries[1].wordCount == 16)
    }

    /// A page shaped like the seed archive page: each post's date is the day heading above it.
    @Test func takesEachDateFromTheDayHeadingAbove() throws {
        let rules = try Self.rules(
            "div.entry",
            [
                "title": ["h4 a"], "link": ["h4 a@href"], "summary": ["p:not(.more)"],
                "date": ["preceding: h3.day"],
            ])
        let feed = try FeedParser().parse(
            fixtures.bytes("pages/monthly-archive.html"), url: "https://archive.example.com/2026/03/", rules: rules)
        let days = feed.entries.map { $0.published.map(Timestamp.rfc3339) }
        #expect(feed.warnings.isEmpty)
        #expect(feed.entries[0].origins["date"] == "rule 'date' (preceding: h3.day)")
        #expect(
            days == ["2026-03-12T00:00:00Z", "2026-03-12T00:00:00Z", "2026-03-13T00:00:00Z", "2026-03-15T00:00:00Z"])
        #expect(feed.entries[0].link == "https://archive.example.com/2026/03/12/runtime")
        #expect(feed.entries[3].title == "The Agent Loop Iceberg")
    }

    @Test func recoversEntriesFromBrokenMarkup() throws {
        let rules = try Self.rules("div.post", ["title": ["a"], "link": ["a@href"]])
        let feed = try FeedParser().parse(
            fixtures.bytes("pages/broken-markup.html"), url: "https://b.example/", rules: rules)
        #expect(feed.entries.map(\.title) == ["One", "Two & a half", "Three bold"])
    }

    @Test func warnsWhenTheItemRuleMatchesNothing() throws {
        let rules = try Self.rules("article")
        let feed = try FeedParser().parse(fixtures.bytes("pages/broken-markup.html"), url: nil, rules: rules)
        #expect(feed.entries.isEmpty)
        #expect(feed.warnings == ["the html rule 'item' (article) matched nothing on the page"])
    }

    @Test func refusesAnInvalidXPathNamingTheRule() throws {
        let rules = try Self.rules("xpath: //div[", ["title": ["a"]])
        #expect(throws: ParseError.invalidRule(field: "item", expression: "xpath: //div[")) {
            try FeedParser().parse(fixtures.bytes("pages/broken-markup.html"), url: nil, rules: rules)
        }
    }

    @Test func refusesAnInvalidCSSSelectorNamingIt() {
        #expect(throws: RuleError(selector: "div >", reason: "has nothing where a selector belongs")) {
            try PageSelector("div >")
        }
        #expect(throws: RuleError.self) { try PageSelector("preceding: h2", scope: .page) }
    }

    @Test func reportsAnHTMLPageWhereAFeedWasExpected() throws {
        let error = #expect(throws: ParseError.self) {
            try FeedParser().parse(fixtures.bytes("pages/login-wall.html"), url: "https://wall.example.com/feed")
        }
        #expect(
            error
                == .htmlInsteadOfFeed(
                    title: "Sign in to continue",
                    advertisedFeeds: ["https://wall.example.com/feed.xml", "https://wall.example.com/atom.xml"]))
        #expect(error?.description.contains("https://wall.example.com/feed.xml") == true)
    }

    @Test(arguments: ["", "   \n", "\u{FEFF}"])
    func refusesAnEmptyDocument(_ text: String) {
        #expect(throws: ParseError.empty) { try FeedParser().parse(Array(text.utf8), url: nil) }
    }

    @Test func refusesAnUnknownRootElement() {
        #expect(throws: ParseError.unknownFormat(rootElement: "catalog")) {
            try FeedParser().parse(Array("<catalog><book/></catalog>".utf8), url: nil)
        }
    }

    @Test func recoversIllFormedFeedsWithAWarning() throws {
        let rss =
            "<rss version=\"2.0\"><channel><title>T &amp; &nbsp; U</title><item><title>A & B</title><link>https://x.example/a</link></item></channel></rss>"
        let feed = try FeedParser().parse(Array(rss.utf8), url: nil)
        #expect(feed.entries.map(\.title) == ["A & B"])
        #expect(feed.metadata.title == "T & U")
        #expect(feed.warnings.first?.hasPrefix("recovered from ill-formed XML") == true)
        #expect(feed.warnings.last?.hasPrefix("repaired before reading") == true)
    }
}

extension HTMLExtractionTests {
    static let fetchTime = Date(timeIntervalSince1970: 1_773_835_200)  // 2026-03-18T12:00:00Z

    /// A blog front page: fallbacks for the title, dates in three shapes, images and categories.
    @Test func readsAFrontPageWithFallbacksDatesImagesAndCategories() throws {
        var rules = try Self.rules(
            "article.card",
            [
                "title": ["h2.card-title a", "h3.card-title a"], "link": ["h2 a@href", ".legacy a@href"],
                "summary": [".teaser"], "date": ["time", "span.posted"], "image": ["img.thumb"],
                "categories": ["span.tag"],
            ])
        rules.id = .link
        let feed = try FeedParser().parse(
            fixtures.bytes("pages/front-page.html"), url: "https://quarry.example/", rules: rules, now: Self.fetchTime)
        #expect(feed.warnings.isEmpty)
        #expect(feed.entries.map(\.title) == ["Limestone, Slowly", "Ironwork", "Frost Lines"])
        #expect(feed.entries[1].origins["title"] == "rule 'title' (h3.card-title a)")
        #expect(feed.entries[1].link == "https://quarry.example/notes/ironwork")
        #expect(
            feed.entries.map { $0.published.map(Timestamp.rfc3339) } == [
                "2026-03-10T07:30:00Z",  // <time datetime>, not its text
                "2026-03-15T12:00:00Z",  // three days before the fetch
                "2025-12-30T00:00:00Z",  // no year: the latest Dec 30 before the fetch
            ])
        #expect(
            feed.entries[0].enclosures == [
                Enclosure(url: "https://quarry.example/img/limestone.jpg", type: "image/jpeg")
            ])
        #expect(feed.entries[1].enclosures.first?.url == "https://quarry.example/img/iron.png")
        #expect(feed.entries[0].categories == ["geology", "walks"])
        #expect(feed.entries[0].summary == "<p>How a hillside turns into <em>a wall</em>.</p>")
        #expect(feed.entries.map(\.id) == feed.entries.map(\.link))
    }

    @Test func findsDatesWithoutARule() throws {
        let rules = try Self.rules("article.card", ["title": ["h2 a, h3 a"]])
        let feed = try FeedParser().parse(
            fixtures.bytes("pages/front-page.html"), url: "https://quarry.example/", rules: rules, now: Self.fetchTime)
        #expect(feed.entries[0].origins["date"] == "<time datetime> in the item")
        #expect(feed.entries[1].published == nil)
        #expect(feed.entries[2].origins["date"] == "the date in the link")
        #expect(feed.entries[2].published.map(Timestamp.rfc3339) == "2025-12-30T00:00:00Z")
    }

    @Test func warnsOfEachRuleThatMatchesNothing() throws {
        let rules = try Self.rules(
            "article.card", ["author": [".byline", "xpath: .//address"], "title": ["h2 a, h3 a"]])
        let feed = try FeedParser().parse(
            fixtures.bytes("pages/front-page.html"), url: "https://quarry.example/", rules: rules)
        #expect(
            feed.warnings == [
                "the html rule 'author' ('.byline', 'xpath: .//address') matched nothing in any of the 3 items"
            ])
    }

    @Test func readsAWindows1252PageWithAnExplicitDateFormat() throws {
        var rules = try Self.rules("div.eintrag", ["date": ["p.datum"]])
        rules.dateFormat = "dd.MM.yyyy"
        let feed = try FeedParser().parse(
            fixtures.bytes("pages/windows-1252.html"), url: "https://chronik.example/", rules: rules)
        #expect(feed.metadata.title == "Café Chronik")
        #expect(feed.entries.map(\.title) == ["„Café“ – erste Notiz", "Grüße … und €"])
        #expect(
            feed.entries.map { $0.published.map(Timestamp.rfc3339) } == [
                "2026-03-12T00:00:00Z", "2026-03-13T00:00:00Z",
            ])
    }
}
