import Parsing
import Testing

@Suite struct LinkAliasTests {
    @Test(arguments: [
        ("https://example.com/post", "example.com/post"),
        ("http://www.Example.COM/post/", "example.com/post"),
        ("https://example.com/post?utm_source=rss&utm_medium=feed", "example.com/post"),
        ("https://example.com/post?id=3&fbclid=abc#comments", "example.com/post?id=3"),
        ("https://example.com/post?b=2&a=1", "example.com/post?a=1&b=2"),
        ("https://example.com:8443/post", "example.com:8443/post"),
    ])
    func normalises(_ link: String, _ expected: String) {
        #expect(LinkAlias.key(for: link) == expected)
    }

    @Test func needsAHost() {
        #expect(LinkAlias.key(for: "/relative/only") == nil)
        #expect(LinkAlias.key(for: nil) == nil)
    }
}

@Suite struct TrackingParametersTests {
    @Test(arguments: [
        ("https://x.example/p?utm_source=rss&utm_medium=feed", "https://x.example/p"),
        ("https://x.example/p?id=1&utm_campaign=c&b=&fbclid=z#top", "https://x.example/p?id=1&b=#top"),
        ("https://x.example/p?gclid=1&mc_cid=2&mc_eid=3&msclkid=4", "https://x.example/p"),
        ("https://x.example/p?utm%5Fsource=x&q=utm_source", "https://x.example/p?q=utm_source"),
        ("https://x.example/p?a=1&&b=2", "https://x.example/p?a=1&&b=2"),
        ("https://x.example/p#utm_source=x", "https://x.example/p#utm_source=x"),
        ("https://x.example/search?q=a%20b&sort=new", "https://x.example/search?q=a%20b&sort=new"),
    ])
    func removesOnlyTrackingParameters(_ link: String, _ expected: String) {
        #expect(TrackingParameters.removed(from: link) == expected)
    }
}
