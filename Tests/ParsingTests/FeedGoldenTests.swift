import Foundation
import Parsing
import TestSupport
import Testing

/// Each feed fixture is parsed and compared with the JSON beside it (`name.xml` → `name.expected.json`).
/// `TIDINGS_RECORD=1 swift test --filter FeedGoldenTests` rewrites the expected files; read the diff.
@Suite struct FeedGoldenTests {
    static let fixtures = Fixtures()

    static var documents: [String] {
        ["feeds", "encodings"].flatMap { folder in
            fixtures.names(withExtension: "xml", in: folder) + fixtures.names(withExtension: "json", in: folder)
        }.filter { !$0.hasSuffix(".expected.json") }.sorted()
    }

    @Test(arguments: documents)
    func parsesAsRecorded(_ name: String) throws {
        let bytes = try Self.fixtures.bytes(name)
        let feed = try FeedParser().parse(bytes, url: "https://fixtures.example.net/" + name)
        let stem = name.split(separator: ".").dropLast().joined(separator: ".")
        let expectedURL = Self.fixtures.url(stem + ".expected.json")
        if Fixtures.isRecording {
            try feed.jsonText.write(to: expectedURL, atomically: true, encoding: .utf8)
            Issue.record("recorded \(expectedURL.lastPathComponent); run again without TIDINGS_RECORD")
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(feed.jsonText == expected)
    }

    @Test func everyFormatHasAFixture() throws {
        let formats = try Self.documents.map { name in
            try FeedParser().parse(Self.fixtures.bytes(name), url: nil).metadata.format
        }
        for format in FeedFormat.allCases where format != .html {
            #expect(formats.contains(format), "no fixture in \(format.rawValue)")
        }
    }
}
