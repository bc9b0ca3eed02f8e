import Foundation
import TestSupport
import Testing

/// `tidings search` as a reader runs it: ranked results with their source, date, link and a marked snippet,
/// JSON for scripts, and a sentence (never an SQL error) for a query it cannot run.
@Suite struct SearchCommandTests {
    @Test func findsRankedPostsAndSaysWhyItCannotRunAQuery() throws {
        let server = try LoopbackHTTPServer { request in .init(body: FilterTests.feed(String(request.path.dropFirst()))) }
        let site = try TemporaryDirectory()
        try site.write(FilterTests.yaml(server, filters: FilterTests.rules), to: "feeds.yaml")
        let refresh = try TidingsBinary.run(["refresh"], in: site.url)
        #expect(refresh.status == 0, "\(refresh.errors)")

        let search = try TidingsBinary.run(["search", "python", "-gardening"], in: site.url)
        #expect(search.status == 0, "\(search.errors)")
        let lines = search.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("1. Python packaging") == true, "a title match first: \(search.output)")
        #expect(lines.contains { $0.contains("(member), 2026-02-02") }, "\(search.output)")
        #expect(!search.output.contains("SPONSORED"), "hidden by a filter: \(search.output)")

        let json = try TidingsBinary.run(["search", "--json", "--limit", "1", "\"python packaging\" source:other"], in: site.url)
        #expect(json.status == 0, "\(json.errors)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(found.count == 1)
        #expect(found.first?["source"] as? String == "other")
        #expect(found.first?["link"] as? String == "https://other.example/2")
        #expect(found.first?["snippet"] as? String == "«Python packaging»", "the title, its phrase marked")

        let refused = try TidingsBinary.run(["search", "-python"], in: site.url)
        #expect(refused.status != 0)
        #expect(refused.errors.contains("has no word to look for"), "\(refused.errors)")
        #expect(!refused.errors.lowercased().contains("sqlite"))
    }
}
