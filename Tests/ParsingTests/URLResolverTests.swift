import Testing

@testable import Parsing

@Suite struct URLResolverTests {
    @Test(arguments: [
        // Absolute links come back as they are.
        ("https://a.example/x?y=1#z", "https://b.example/", "https://a.example/x?y=1#z"),
        // Root-relative and protocol-relative links (resolved without Foundation).
        ("/images/1.jpg", "https://blog.example/posts/7?page=2", "https://blog.example/images/1.jpg"),
        ("/a", "http://user@blog.example:8080", "http://user@blog.example:8080/a"),
        ("//cdn.example/x.png", "https://blog.example/p/", "https://cdn.example/x.png"),
        // Everything else goes through RFC 3986 resolution.
        ("/a/../b", "https://blog.example/p/", "https://blog.example/b"),
        ("c/d", "https://blog.example/p/q", "https://blog.example/p/c/d"),
        ("../up", "https://blog.example/p/q/r", "https://blog.example/p/up"),
        ("?page=2", "https://blog.example/p/q", "https://blog.example/p/q?page=2"),
        ("  /spaced  ", "https://blog.example/", "https://blog.example/spaced"),
        ("/with space", "https://blog.example/", "https://blog.example/with%20space"),
        ("/caf\u{E9}", "https://blog.example/", "https://blog.example/caf%C3%A9"),
    ])
    func resolves(_ reference: String, _ base: String, _ expected: String) {
        #expect(URLResolver.resolve(reference, against: base) == expected)
    }

    @Test func emptyReferencesResolveToNothing() {
        #expect(URLResolver.resolve("  ", against: "https://blog.example/") == nil)
        #expect(URLResolver.resolve(nil, against: "https://blog.example/") == nil)
    }
}
