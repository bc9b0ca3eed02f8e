import Foundation
import Parsing
import TestSupport
import Testing

/// Reading a feed reader's OPML export: every feed at any depth, once, and nothing but http(s).
@Suite struct OPMLReaderTests {
    static let fixtures = Fixtures()

    @Test func readsEveryFeedAtAnyDepthOnceWithItsFolders() throws {
        let bytes = Array(try Data(contentsOf: Self.fixtures.url("opml/reader-export.opml")))
        let subscriptions = try OPMLReader.subscriptions(in: bytes)
        #expect(
            subscriptions == [
                Subscription(
                    title: "Ada's Notes: on compilers", feedURL: "https://ada.example/feed.xml",
                    siteURL: "https://ada.example/", folders: ["Tech"]),
                // Trimmed; a javascript: site link is dropped.
                Subscription(title: "Borg", feedURL: "http://borg.example/atom", siteURL: nil, folders: ["Tech"]),
                Subscription(title: "Café Crème", feedURL: "https://cafe.example/rss", folders: ["Tech", "Deeper"]),
                // The repeat of Ada's feed, the javascript: and file: feeds and the empty folder are left out.
                Subscription(title: nil, feedURL: "https://www.untitled.example/feed"),
            ])
    }

    @Test(arguments: [
        ("<html><body>no</body></html>", OPMLError.notOPML(rootElement: "html")),
        ("<opml version=\"2.0\"><body><outline text=\"folder\"/></body></opml>", .noSubscriptions),
    ])
    func refusesWhatListsNoFeed(text: String, expected: OPMLError) {
        #expect(throws: expected) { try OPMLReader.subscriptions(in: Array(text.utf8)) }
    }

    @Test func refusesWhatIsNotXML() {
        #expect(throws: OPMLError.self) { try OPMLReader.subscriptions(in: Array("not xml at all".utf8)) }
    }

    @Test func survivesDeepNesting() throws {
        let depth = 5000
        let text =
            "<opml><body>" + String(repeating: "<outline text=\"f\">", count: depth)
            + "<outline xmlUrl=\"https://deep.example/feed\"/>" + String(repeating: "</outline>", count: depth)
            + "</body></opml>"
        // libxml2 refuses nesting this deep: a clear error, not a crash.
        #expect(throws: OPMLError.self) { try OPMLReader.subscriptions(in: Array(text.utf8)) }
    }
}
