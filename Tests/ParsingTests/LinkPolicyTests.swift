import Foundation
import Parsing
import Testing

/// Links are only ever http or https, however the scheme is disguised (found by probes from outside).
@Suite struct LinkPolicyTests {
    static let rssLinks = [
        "javascript:alert(1)", "JAVASCRIPT:alert(1)", "\t  javascript:alert(1)", "&#106;avascript:alert(1)",
        "javascript&#x3A;alert(1)", "vbscript:msgbox(1)", "data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;",
        "jAvAsCrIpT&#58;alert(1)", "&#x6A;&#x61;&#x76;&#x61;script:alert(1)", "file:///etc/passwd",
        "java&#9;script:alert(1)", "  &#14;javascript:alert(1)",
    ]

    @Test(arguments: rssLinks)
    func anRSSLinkIsHTTPOrNothing(_ link: String) throws {
        let document = """
            <rss version="2.0"><channel><title>t</title><link>\(link)</link>
            <item><title>Post</title><link>\(link)</link><guid>g1</guid>
            <enclosure url="\(link)" type="audio/mpeg" length="1"/></item></channel></rss>
            """
        let feed = try FeedParser().parse(Array(document.utf8), url: "https://blog.example/feed")
        let entry = try #require(feed.entries.first)
        #expect(entry.link.map(Self.isWeb) ?? true, "\(entry.link ?? "")")
        #expect(entry.enclosures.allSatisfy { Self.isWeb($0.url) })
        #expect(feed.metadata.link.map(Self.isWeb) ?? true)
        if entry.link == nil { #expect(feed.warnings.contains { $0.contains("only http and https links are kept") }) }
    }

    @Test func anAtomXMLBaseCannotLendItsSchemeToARelativeLink() throws {
        let document = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="javascript:alert(1)//"><title>t</title><id>f</id>
            <link href="x"/>
            <entry xml:base="vbscript:x//"><title>Post</title><id>e1</id><link href="relative/path"/>
            <link rel="enclosure" href="a.mp3" type="audio/mpeg"/></entry></feed>
            """
        let feed = try FeedParser().parse(Array(document.utf8), url: "https://blog.example/feed")
        let entry = try #require(feed.entries.first)
        #expect(entry.link == nil)
        #expect(entry.enclosures.isEmpty)
        #expect(feed.metadata.link == nil)
        #expect(feed.warnings.filter { $0.contains("only http and https links are kept") }.count == 3)
    }

    @Test func aJSONFeedURLIsHTTPOrNothing() throws {
        let document = """
            {"version": "https://jsonfeed.org/version/1.1", "title": "t", "home_page_url": "javascript:alert(1)",
             "items": [{"id": "1", "url": " JavaScript:alert(1)", "title": "Post",
                        "attachments": [{"url": "data:text/html,x", "mime_type": "text/html"}]},
                       {"id": "2", "url": "https://blog.example/2", "title": "Fine"}]}
            """
        let feed = try FeedParser().parse(Array(document.utf8), url: "https://blog.example/feed.json")
        #expect(feed.entries.map(\.link) == [nil, "https://blog.example/2"])
        #expect(feed.entries[0].enclosures.isEmpty)
        #expect(feed.metadata.link == nil)
    }

    @Test func aLocalSourcesFilePathsAreDroppedQuietly() throws {
        let document = """
            <rss version="2.0"><channel><title>t</title><link>index.html</link>
            <item><title>Post</title><link>posts/1.html</link></item></channel></rss>
            """
        let feed = try FeedParser().parse(Array(document.utf8), url: "file:///srv/blog/feed.xml")
        #expect(feed.entries.first?.link == nil)
        #expect(feed.metadata.link == nil)
        #expect(feed.warnings.isEmpty)
    }

    static func isWeb(_ url: String) -> Bool { url.hasPrefix("https://") || url.hasPrefix("http://") }
}

extension LinkPolicyTests {
    /// A post's link and the links in its content lose their tracking parameters; its id does not change.
    @Test func aPostsLinksLoseTheirTrackingParameters() throws {
        let document = """
            <rss version="2.0"><channel><title>t</title><link>https://blog.example/</link>
            <item><title>Post</title><link>https://blog.example/p?id=3&amp;utm_source=rss&amp;utm_medium=feed</link>
            <description>&lt;a href="https://other.example/?ref=x&amp;amp;gclid=1"&gt;see&lt;/a&gt;</description>
            </item></channel></rss>
            """
        let feed = try FeedParser().parse(Array(document.utf8), url: "https://blog.example/feed")
        let entry = try #require(feed.entries.first)
        #expect(entry.link == "https://blog.example/p?id=3")
        #expect(entry.id == "https://blog.example/p?id=3&utm_source=rss&utm_medium=feed", "ids are as they were")
        #expect(entry.summary == "<a href=\"https://other.example/?ref=x\" rel=\"noopener noreferrer\">see</a>")
    }
}
