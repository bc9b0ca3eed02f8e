import Foundation
import Parsing
import Testing
import Time

@Suite struct EntryPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12T12:00:00Z
    static let rss = """
        <rss version="2.0"><channel><title>t</title>
        <item><title>From the future</title><guid>g-future</guid><link>https://x.example/future</link>
          <pubDate>Sat, 12 Dec 2026 10:00:00 GMT</pubDate></item>
        <item><title>Shared guid A</title><guid>same</guid><link>https://x.example/a</link>
          <pubDate>Tue, 10 Mar 2026 10:00:00 GMT</pubDate></item>
        <item><title>Shared guid B</title><guid>same</guid><link>https://x.example/b</link></item>
        <item><title>Shared guid A</title><guid>same</guid><link>https://x.example/a</link></item>
        </channel></rss>
        """

    func parse(_ options: ParserOptions = ParserOptions()) throws -> [ParsedEntry] {
        try FeedParser(options: options).parse(Array(Self.rss.utf8), url: nil, now: Self.now).entries
    }

    @Test func clampsFutureDatesToTheFetchTimeByDefault() throws {
        #expect(try parse()[0].published == Self.now)
    }

    @Test func keepsFutureDatesWhenAskedTo() throws {
        let published = try parse(ParserOptions(futureDates: .keep))[0].published
        #expect(published.map(Timestamp.rfc3339) == "2026-12-12T10:00:00Z")
    }

    @Test func canIgnoreAFeedsDatesAltogether() throws {
        #expect(
            try parse(ParserOptions(futureDates: .ignoreDate)).allSatisfy { $0.published == nil && $0.updated == nil })
    }

    @Test func tellsApartDistinctPostsSharingAGuidAndDropsRepeats() throws {
        let entries = try parse()
        #expect(entries.map(\.title) == ["From the future", "Shared guid A", "Shared guid B"])
        #expect(Set(entries.map(\.id)).count == 3)
        // Each by its own normalised link, not by which came first.
        #expect(entries[1].id == "same x.example/a")
        #expect(entries[2].id == "same x.example/b")
    }

    @Test func canTakeIdsFromLinksOrTitlesAndLinks() throws {
        #expect(
            try parse(ParserOptions(idSource: .link)).map(\.id) == [
                "https://x.example/future", "https://x.example/a", "https://x.example/b",
            ])
        let hashed = try parse(ParserOptions(idSource: .titleAndLink)).map(\.id)
        #expect(hashed.allSatisfy { $0.hasPrefix("tidings:") })
        #expect(Set(hashed).count == 3)
        #expect(try parse(ParserOptions(idSource: .titleAndLink)).map(\.id) == hashed, "stable across runs")
    }

    @Test func readsNaiveTimestampsInTheSourcesTimeZone() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
            <entry><title>e</title><id>urn:e</id><published>2026-03-01T09:00:00</published></entry></feed>
            """
        let options = ParserOptions(naiveTimeZone: TimeZone(identifier: "America/New_York"))
        let entry = try #require(
            try FeedParser(options: options).parse(Array(atom.utf8), url: nil, now: Self.now).entries.first)
        #expect(entry.published.map(Timestamp.rfc3339) == "2026-03-01T14:00:00Z")
    }
}

extension EntryPolicyTests {
    @Test func dropsAnUpdateDateFromTheFuture() throws {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
            <entry><title>e</title><id>urn:e</id><published>2026-03-01T00:00:00Z</published><updated>2027-01-01T00:00:00Z</updated></entry></feed>
            """
        let entry = try #require(try FeedParser().parse(Array(atom.utf8), url: nil, now: Self.now).entries.first)
        #expect(entry.updated == nil)
        #expect(entry.published.map(Timestamp.rfc3339) == "2026-03-01T00:00:00Z")
    }
}
