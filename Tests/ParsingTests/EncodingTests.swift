import Foundation
import Parsing
import Testing

/// How the charset is decided when the document, the server and the user disagree. The per-encoding
/// cases are golden files under Fixtures/encodings/.
@Suite struct EncodingTests {
    static func feed(declaration: String?, title: String) -> String {
        (declaration.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>" } ?? "")
            + "<rss version=\"2.0\"><channel><title>\(title)</title></channel></rss>"
    }

    @Test func usesTheHTTPCharsetWhenTheDocumentDeclaresNone() throws {
        let bytes = Array(Self.feed(declaration: nil, title: "Café").data(using: .isoLatin1)!)
        let feed = try FeedParser().parse(bytes, url: nil, contentType: "application/rss+xml; charset=ISO-8859-1")
        #expect(feed.metadata.title == "Café")
        #expect(feed.warnings.isEmpty)
    }

    @Test func theDocumentsDeclarationWinsOverTheServersDefault() throws {
        let bytes = Array(Self.feed(declaration: "utf-8", title: "Грамота").utf8)
        let feed = try FeedParser().parse(bytes, url: nil, contentType: "text/xml; charset=iso-8859-1")
        #expect(feed.metadata.title == "Грамота")
    }

    @Test func aPerSourceEncodingOverridesEverything() throws {
        let bytes = Array(
            Self.feed(declaration: "windows-1252", title: "Привет").data(using: .init(rawValue: 0x8000_0A02))!)
        let misread = try FeedParser().parse(bytes, url: nil)
        #expect(misread.metadata.title != "Привет")
        let feed = try FeedParser(options: ParserOptions(encoding: "KOI8-R")).parse(bytes, url: nil)
        #expect(feed.metadata.title == "Привет")
    }

    @Test func anUnknownDeclaredEncodingFallsBackToUTF8WithAWarning() throws {
        let bytes = Array(Self.feed(declaration: "x-no-such-charset", title: "Plain ASCII").utf8)
        let feed = try FeedParser().parse(bytes, url: nil)
        #expect(feed.metadata.title == "Plain ASCII")
        #expect(feed.warnings == ["the XML declaration names the unknown encoding 'x-no-such-charset'; read as UTF-8"])
    }

    @Test func htmlPagesTakeTheirCharsetFromMeta() throws {
        let page =
            "<html><head><meta charset=\"windows-1252\"><title>t</title></head><body><div class=\"p\"><a href=\"/a\">It’s “here”</a></div></body></html>"
        let bytes = Array(page.data(using: .windowsCP1252)!)
        let feed = try FeedParser().parse(
            bytes, url: "https://x.example/", rules: ExtractionRules(item: try PageSelector("div.p", scope: .page)))
        #expect(feed.entries.first?.title == "It’s “here”")
    }
}
