import Foundation
import Parsing
import TestSupport
import Testing

/// Documents written to hurt a parser are refused or defused, each within a second.
/// (The timing is checked by the time limit, not asserted: speed is measured in bench/.)
@Suite(.timeLimit(.minutes(1))) struct HostileDocumentTests {
    let fixtures = Fixtures()

    @Test func refusesBillionLaughs() throws {
        let error = #expect(throws: ParseError.self) {
            try FeedParser().parse(fixtures.bytes("hostile/billion-laughs.xml"), url: nil)
        }
        #expect(error?.description.hasPrefix("refused: the document's entities refer to each other") == true)
    }

    @Test func refusesQuadraticBlowUp() throws {
        let entity = String(repeating: "x", count: 100_000)
        let references = String(repeating: "&a;", count: 50_000)
        let document = """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "\(entity)">]>
            <rss version="2.0"><channel><title>t</title><item><title>q</title><link>https://x.example/</link>
            <description>\(references)</description></item></channel></rss>
            """
        let error = #expect(throws: ParseError.self) { try FeedParser().parse(Array(document.utf8), url: nil) }
        #expect(error?.description.contains("expand past 1000000 bytes") == true)
    }

    @Test func allowsAFewHarmlessInternalEntities() throws {
        let document = """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY site "Example Site">]>
            <rss version="2.0"><channel><title>&site;</title><item><title>On &site;</title><link>https://x.example/</link></item></channel></rss>
            """
        let feed = try FeedParser().parse(Array(document.utf8), url: nil)
        #expect(feed.metadata.title == "Example Site")
        #expect(feed.entries.first?.title == "On Example Site")
    }

    @Test func neverReadsExternalEntities() throws {
        let feed = try FeedParser().parse(fixtures.bytes("hostile/external-entity.xml"), url: nil)
        #expect(!feed.jsonText.contains("root:"), "no /etc/passwd content")
        #expect(feed.entries.first?.title == nil)
    }

    @Test func neverLoadsAnExternalDTD() throws {
        // Port 9 on loopback answers nothing; had libxml2 tried to load the DTD the entity would resolve.
        let feed = try FeedParser().parse(fixtures.bytes("hostile/external-dtd.xml"), url: nil)
        #expect(feed.entries.map(\.title) == ["Still read"])
    }

    @Test func refusesAbsurdNesting() throws {
        let document =
            "<rss version=\"2.0\"><channel><title>t</title><item><description>"
            + String(repeating: "<div>", count: 100_000) + "</description></item></channel></rss>"
        let error = #expect(throws: ParseError.self) { try FeedParser().parse(Array(document.utf8), url: nil) }
        #expect(error?.description == "refused: the document nests elements deeper than 256 levels")
    }

    @Test func defusesDeeplyNestedHTMLInsideAFeed() throws {
        let html = String(repeating: "<div>", count: 100_000) + "deep" + String(repeating: "</div>", count: 100_000)
        let document =
            "<rss version=\"2.0\"><channel><title>t</title><item><title>x</title><link>https://x.example/</link><description><![CDATA["
            + html + "]]></description></item></channel></rss>"
        let feed = try FeedParser().parse(Array(document.utf8), url: nil)
        #expect(feed.entries.count == 1)
    }

    @Test func repairsInvalidBytesIntoValidUTF8() throws {
        var bytes = Array("<rss version=\"2.0\"><channel><title>caf".utf8)
        bytes += [0xE9, 0xFF]  // Latin-1 é and a byte that is never UTF-8, in a document that claims UTF-8
        bytes += Array("</title><item><title>ok</title><link>https://x.example/</link></item></channel></rss>".utf8)
        let feed = try FeedParser().parse(bytes, url: nil)
        #expect(feed.entries.count == 1)
        // Each stray byte is read as windows-1252, so the text becomes valid UTF-8 without losing it.
        #expect(feed.metadata.title == "caf\u{E9}\u{FF}")
        #expect(feed.warnings == ["the document is not valid UTF-8; its invalid bytes were read as windows-1252"])
    }
}

extension HostileDocumentTests {
    /// A 3 MB podcast feed with accented text and one bare `&` once took the repair pass quadratic time
    /// (13.5 s at 2.7 MB, minutes at 6 MB). Its speed is measured by bench/run-parse-benchmark; this checks
    /// that such a document is repaired and read whole.
    @Test func repairsALargeIllFormedNonASCIIDocument() throws {
        let items = (0..<3_000).map { n in
            "<item><title>Épisode \(n): ça va</title><link>https://podcast.example/\(n)</link>"
                + "<description>&lt;p&gt;Notes <b>\(String(repeating: "café naïve résumé ", count: 40))</b>"
                + " &amp;nbsp;&lt;/p&gt;</description></item>\n"
        }
        let document =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>"
            + "<title>Tom & Jerry’s Podcast</title><link>https://podcast.example/</link>\n"
            + items.joined() + "</channel></rss>"
        #expect(document.utf8.count > 2_500_000)
        let feed = try FeedParser().parse(Array(document.utf8), url: nil)
        #expect(feed.metadata.title == "Tom & Jerry’s Podcast")
        #expect(feed.entries.count == 3_000)
        #expect(feed.entries.last?.title == "Épisode 2999: ça va")
        #expect(feed.warnings.contains { $0.hasPrefix("repaired before reading") })
    }

    @Test func repairReadsADocumentFullOfOpeningsThatNeverClose() throws {
        // 20,000 `<description>` openings (in comments, so the first reading accepts them) with no closing
        // tag anywhere after them, and a bare `&` that sends the document to the repair pass, which must
        // not search to the end for each of them.
        let document =
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>A & B</title>"
            + (0..<20_000).map { "<item><title>é \($0)</title><!-- <description> --></item>" }.joined()
            + "</channel></rss>"
        let feed = try FeedParser().parse(Array(document.utf8), url: nil)
        #expect(feed.metadata.title == "A & B")
        #expect(feed.entries.count == 20_000)
        #expect(feed.warnings.contains { $0.hasPrefix("repaired before reading") })
    }
}
