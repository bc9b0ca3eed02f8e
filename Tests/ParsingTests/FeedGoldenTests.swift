import Foundation
import Parsing
import TestSupport
import Testing

/// Each feed fixture is parsed and compared with the JSON beside it (`name.xml` → `name.json`).
/// `TIDINGS_RECORD=1 swift test --filter FeedGoldenTests` rewrites the expected files; read the diff.
@Suite struct FeedGoldenTests {
    static let fixtures = Fixtures()

    @Test(arguments: fixtures.names(withExtension: "xml", in: "feeds"))
    func parsesAsRecorded(_ name: String) throws {
        let bytes = try Self.fixtures.bytes(name)
        let feed = try FeedParser().parse(bytes, url: "https://fixtures.example.net/" + name)
        let expectedURL = Self.fixtures.url(String(name.dropLast(4)) + ".json")
        if Fixtures.isRecording {
            try feed.jsonText.write(to: expectedURL, atomically: true, encoding: .utf8)
            Issue.record("recorded \(expectedURL.lastPathComponent); run again without TIDINGS_RECORD")
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(feed.jsonText == expected)
    }

    @Test func everyFormatHasAFixture() throws {
        let formats = try Self.fixtures.names(withExtension: "xml", in: "feeds").map { name in
            try FeedParser().parse(Self.fixtures.bytes(name), url: nil).metadata.format
        }
        for format in [FeedFormat.rss091, .rss10, .rss20, .atom03, .atom10] {
            #expect(formats.contains(format), "no fixture in \(format.rawValue)")
        }
    }
}
