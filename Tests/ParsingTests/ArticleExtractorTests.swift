import Foundation
import Parsing
import TestSupport
import Testing
import Time

@Suite struct ArticleExtractorTests {
    let fixtures = Fixtures()

    @Test func findsTheMainTextAmongNavigationSidebarAndComments() throws {
        let article = try #require(
            ArticleExtractor().extract(
                fixtures.bytes("pages/article.html"), url: "https://quarry.example/2026/03/10/limestone/",
                contentType: "text/html"))
        #expect(article.origin == "the main text block (<div class=\"post-body\">)")
        #expect(article.content.text.hasPrefix("Limestone, Slowly A hillside does not turn into a wall in a day."))
        #expect(article.content.text.hasSuffix("once, a borrowed geologist."))
        #expect(!article.content.text.contains("Comments"))
        #expect(!article.content.text.contains("Popular"))
        #expect(!article.content.html.contains("trackReader"))
        #expect(article.published.map(Timestamp.rfc3339) == "2026-03-10T07:30:00Z")
    }

    @Test func aContentSelectorWins() throws {
        let article = try #require(
            ArticleExtractor().extract(
                fixtures.bytes("pages/article.html"), url: "https://quarry.example/x", contentType: nil,
                selectors: [try PageSelector(".comments", scope: .page)]))
        #expect(article.origin == "rule 'content' (.comments)")
        #expect(article.content.text.hasPrefix("Comments Lovely piece"))
    }

    @Test func aSelectorThatMatchesNothingYieldsNothing() throws {
        #expect(
            ArticleExtractor().extract(
                try fixtures.bytes("pages/article.html"), url: nil, contentType: nil,
                selectors: [try PageSelector("article.missing", scope: .page)]) == nil)
    }
}

extension ArticleExtractorTests {
    @Test func takesTheDateFromJSONLDWhenNoMetaTagGivesOne() throws {
        let page = """
            <html><head><script type="application/ld+json">
            {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"},
             {"@type": "BlogPosting", "headline": "Frost", "datePublished": "2025-12-30T09:00:00Z"}]}
            </script></head><body><article><p>Where the ground stops freezing, and why it matters to walls.</p>
            </article></body></html>
            """
        let article = try #require(ArticleExtractor().extract(Array(page.utf8), url: nil, contentType: nil))
        #expect(article.published.map(Timestamp.rfc3339) == "2025-12-30T09:00:00Z")
    }

    @Test func fallsBackToTheDateInTheURL() throws {
        let page =
            "<html><body><article><p>Undated text that is long enough to be the article body.</p></article></body></html>"
        let article = try #require(
            ArticleExtractor().extract(Array(page.utf8), url: "https://q.example/2024/02/29/leap/", contentType: nil))
        #expect(article.published.map(Timestamp.rfc3339) == "2024-02-29T00:00:00Z")
    }
}
