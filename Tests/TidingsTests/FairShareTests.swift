import Foundation
import Parsing
import Storage
import TestSupport
import Testing
import XML

@testable import Tidings

/// `max_per_source`: one prolific source cannot push the others off the front page; the months keep all.
@Suite struct FairShareTests {
    static func entries(_ source: String, count: Int) -> [ParsedEntry] {
        (0..<count).map { index in
            ParsedEntry(
                id: "\(source)-\(index)", title: "\(source) \(index)", link: "https://\(source).example/\(index)",
                published: Date(timeIntervalSince1970: 1_773_316_800 + Double(index) * 600))
        }
    }

    @Test func theFrontShowsAtMostNOfEachSourceAndTheMonthShowsEveryPost() throws {
        let site = try TestSite(
            """
            base_url: https://planet.example/
            max_entries: 20
            max_per_source: 5
            sources:
              - key: prolific
                url: https://prolific.example/feed
              - key: quiet
                url: https://quiet.example/feed
            """)
        _ = try site.refresh.registeredSources(in: site.store, now: Date())
        for (key, count) in [("prolific", 30), ("quiet", 3)] {
            try site.store.recordSuccess(
                key: key,
                feed: ParsedFeed(metadata: FeedMetadata(title: key, format: .rss20), entries: Self.entries(key, count: count)),
                validators: Validators(), status: 200)
        }
        try site.refresh.publish(from: site.store)
        let feed = try Document.xml(Array(try Data(contentsOf: site.directory.file("output/feed.atom"))))
        let titles = try feed.evaluate("//*[local-name()='entry']/*[local-name()='title']").nodes.map(\.text)
        #expect(titles.filter { $0.hasPrefix("prolific") } == (25..<30).reversed().map { "prolific \($0)" })
        #expect(titles.filter { $0.hasPrefix("quiet") }.count == 3)
        #expect(titles.count == 8)
        let month = try String(contentsOf: site.directory.file("output/2026/03/index.html"), encoding: .utf8)
        #expect(month.contains("https://prolific.example/0\""), "the month page shows every post")
        #expect((0..<30).allSatisfy { month.contains("https://prolific.example/\($0)\"") })
    }
}
