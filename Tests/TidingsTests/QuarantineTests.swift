import Foundation
import TestSupport
import Testing

/// A document that crashes Tidings (here through the test-only crash hook) cannot put it in a crash loop:
/// the process that dies leaves a note naming what it was parsing, the source is then parsed alone, and a
/// second death quarantines that document until it changes. Run with the built binary, as a crash must be.
@Suite struct QuarantineTests {
    static let marker = "POISON-\(UUID().uuidString)"

    static func feed(_ name: String, poisoned: Bool = false) -> String {
        """
        <?xml version="1.0"?><rss version="2.0"><channel><title>\(name)</title><link>https://\(name).example/</link>
        <item><title>\(name) post</title><link>https://\(name).example/1</link><guid>\(name)-1</guid>
        <pubDate>Thu, 12 Mar 2026 10:00:00 GMT</pubDate><description>\(poisoned ? marker : "fine")</description></item>
        </channel></rss>
        """
    }

    /// No crash report: the runtime's backtracer is slow, and a crash is what the tests ask for.
    static let crash = ["TIDINGS_TEST_CRASH_MARKER": marker, "SWIFT_BACKTRACE": "enable=no"]

    /// Four local feeds, `charlie` poisoned, refreshed until Tidings no longer dies: the first two runs
    /// crash (the second parsing `charlie` alone); the third, returned, quarantines it.
    static func quarantinedSite() throws -> (TemporaryDirectory, TidingsBinary.Run) {
        let site = try TemporaryDirectory()
        for name in ["alpha", "bravo", "delta"] { _ = try site.write(Self.feed(name), to: "\(name).xml") }
        _ = try site.write(Self.feed("charlie", poisoned: true), to: "charlie.xml")
        let sources = ["alpha", "bravo", "charlie", "delta"].map { "  - key: \($0)\n    url: \($0).xml\n" }
        _ = try site.write("sources:\n" + sources.joined(), to: "feeds.yaml")
        let first = try CommandLineTests.tidings(["refresh"], in: site.url, environment: crash)
        #expect(first.status != 0, "the hook crashes the process")
        let second = try CommandLineTests.tidings(["refresh"], in: site.url, environment: crash)
        #expect(second.status != 0, "parsed alone, it crashes again: now it is known")
        return (site, try CommandLineTests.tidings(["refresh"], in: site.url, environment: crash))
    }

    @Test func aPoisonedSourceIsQuarantinedAndTheHealthyOnesArePublished() throws {
        let (site, third) = try Self.quarantinedSite()
        let crash = Self.crash
        #expect(third.status == 0, "\(third.errors)")
        #expect(
            third.output.contains("charlie: quarantined: Tidings stopped while parsing this source's document alone"))
        let feed = try String(contentsOf: site.file("output/feed.atom"), encoding: .utf8)
        for name in ["alpha", "bravo", "delta"] { #expect(feed.contains("\(name) post"), "\(name)") }
        #expect(!feed.contains("charlie post"))

        let status = try CommandLineTests.tidings(["status"], in: site.url)
        let row = try #require(status.output.split(separator: "\n").first { $0.hasPrefix("charlie") })
        #expect(row.contains("quarantined") && row.contains("skipped until the document changes"), "\(row)")
        #expect(try CommandLineTests.tidings(["refresh"], in: site.url, environment: crash).status == 0, "no loop")

        // A new document is parsed again, and the quarantine is over.
        _ = try site.write(Self.feed("charlie"), to: "charlie.xml")
        let healed = try CommandLineTests.tidings(["refresh"], in: site.url, environment: crash)
        #expect(healed.output.contains("charlie: 1 new"), "\(healed.output)")
        let after = try CommandLineTests.tidings(["status"], in: site.url)
        #expect(after.output.split(separator: "\n").first { $0.hasPrefix("charlie") }?.contains(" ok ") == true)
    }

    @Test func forceParsesAQuarantinedDocumentAgain() throws {
        let (site, quarantined) = try Self.quarantinedSite()
        #expect(quarantined.output.contains("charlie: quarantined"))
        // Forced, the same document is parsed again: with the hook off it lives, and the quarantine is over.
        let forced = try CommandLineTests.tidings(
            ["refresh", "--force"], in: site.url, environment: ["SWIFT_BACKTRACE": "enable=no"])
        #expect(forced.output.contains("charlie: 1 new"), "\(forced.output)")
        let status = try CommandLineTests.tidings(["status"], in: site.url)
        #expect(status.output.split(separator: "\n").first { $0.hasPrefix("charlie") }?.contains(" ok ") == true)
    }
}
