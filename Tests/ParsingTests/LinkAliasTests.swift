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
