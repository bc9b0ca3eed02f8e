import ArgumentParser
import Fetching
import Foundation
import Parsing
import Tidings

struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find the feed of a blog from its page.",
        discussion: """
            Fetches the page, lists the feeds it advertises (<link rel="alternate">), best first, then tries \
            them and the usual places (/feed, /rss.xml, /atom.xml, /index.xml, /feed.json) one at a time \
            until one reads as a feed, and says what each attempt found. A source in feeds.yaml whose url is \
            such a page (and that has no html: rules) is followed through the feed found this way. Exits 1 \
            when no feed is found.
            """)

    @Argument(help: ArgumentHelp("The blog's address.", valueName: "url"))
    var url: String

    func run() async throws {
        let fetcher = Fetcher()
        let page = await fetcher.fetch(FetchRequest(key: "discover", url: url))
        guard case .fetched(let body) = page.outcome else {
            if case .failed(let error) = page.outcome { throw fail(error) }
            throw fail("\(url): the server answered 304 Not Modified to an unconditional request")
        }
        if let feed = try? FeedParser().parse(body, url: page.finalURL, contentType: page.contentType) {
            print("\(page.finalURL) is itself a feed (\(feed.metadata.format.rawValue), \(feed.entries.count) entries)")
            return
        }
        let discovery = await FeedFinder(fetcher: fetcher).find(
            inPage: body, url: page.finalURL, contentType: page.contentType, options: ParserOptions(), now: Date())
        print(discovery.advertised.isEmpty ? "The page advertises no feed." : "The page advertises:")
        for candidate in discovery.advertised { print("  \(candidate.url)  \(candidate.reason)") }
        print("Tried:")
        for attempt in discovery.attempts {
            print("  \(attempt.candidate.url): \(attempt.outcome)  (\(attempt.candidate.reason))")
        }
        guard let feed = discovery.feed else {
            throw fail("no feed found for \(url); follow the page with html: extraction rules instead")
        }
        print("Feed: \(feed.url)")
    }
}
