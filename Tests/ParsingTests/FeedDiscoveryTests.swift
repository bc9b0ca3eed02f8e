import Parsing
import TestSupport
import Testing

@Suite struct FeedDiscoveryTests {
    let fixtures = Fixtures()

    @Test func ranksTheSiteWideFeedsBeforeTagAndCommentFeeds() throws {
        let candidates = FeedDiscovery.advertised(
            in: try fixtures.bytes("pages/several-feeds.html"), url: "https://tinker.example/blog/index.html")
        #expect(
            candidates.map(\.url) == [
                "https://tinker.example/blog/atom.xml", "https://tinker.example/blog/feed.json",
                "https://tinker.example/tag/rust/feed/", "https://tinker.example/blog/comments/feed/",
            ])
        #expect(
            candidates[0].reason == "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Tinker's Bench\">")
    }

    @Test func theUsualPlacesAreNextToThePageAndAtTheRoot() {
        let places = FeedDiscovery.usualPlaces(for: "https://tinker.example/blog/post.html?x=1").map(\.url)
        #expect(places.first == "https://tinker.example/blog/feed")
        #expect(places.contains("https://tinker.example/blog/feed.json"))
        #expect(places.contains("https://tinker.example/rss.xml"))
        #expect(places.count == 12)
        #expect(FeedDiscovery.usualPlaces(for: "https://tinker.example").first?.url == "https://tinker.example/feed")
    }
}

extension FeedDiscoveryTests {
    @Test func recognisesLoginAndBotWalls() throws {
        #expect(FeedDiscovery.wall(in: try fixtures.bytes("pages/login-wall.html")) == .login)
        let challenge =
            "<html><head><title>Just a moment...</title></head><body><div id=\"cf-challenge\"></div></body></html>"
        #expect(FeedDiscovery.wall(in: Array(challenge.utf8)) == .botChallenge)
        #expect(FeedDiscovery.wall(in: try fixtures.bytes("pages/several-feeds.html")) == nil)
    }
}
