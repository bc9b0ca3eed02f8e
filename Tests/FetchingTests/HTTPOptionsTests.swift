import Fetching
import Foundation
import TestSupport
import Testing

/// A source's own user agent, headers, cookie, protocol version, proxy and certificate authority, each against
/// a server that refuses requests without it.
@Suite struct HTTPOptionsTests {
    let fetcher = Fetcher()
    static let feed = "<rss version=\"2.0\"><channel><title>Members</title></channel></rss>"

    /// Like a CDN's bot wall: 403 unless the browser-like agent and the site's header come along.
    @Test func theUserAgentAndHeadersGetPastAServerThatRefusesOthers() async throws {
        let server = try LoopbackHTTPServer { request in
            guard request.headers["user-agent"] == "Mozilla/5.0 (Planet)", request.headers["x-planet"] == "members",
                request.headers["accept"] == "application/rss+xml"
            else { return .init(status: 403) }
            return .init(body: Self.feed)
        }
        let refused = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed")))
        #expect(refused.error == .http(url: server.url("/feed"), status: 403))
        let options = HTTPOptions(
            userAgent: "Mozilla/5.0 (Planet)",
            headers: [.init(name: "X-Planet", value: "members"), .init(name: "Accept", value: "application/rss+xml")])
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed"), http: options))
        #expect(result.body == Array(Self.feed.utf8), "\(result.outcome)")
        #expect(server.requests.last?.headers["accept"] == "application/rss+xml", "the source's Accept replaces Tidings'")
    }

    @Test func theCookieIsSent() async throws {
        let server = try LoopbackHTTPServer { request in
            request.headers["cookie"] == "session=s3cret; theme=dark" ? .init(body: Self.feed) : .init(status: 401)
        }
        let result = await fetcher.fetch(
            FetchRequest(key: "k", url: server.url("/feed"), http: HTTPOptions(cookie: "session=s3cret; theme=dark")))
        #expect(result.body == Array(Self.feed.utf8), "\(result.outcome)")
    }

    /// A redirect to another host (or port) must not carry the session or the token along; one on the same
    /// server keeps them.
    @Test func headersAndTheCookieStayOnTheSourcesOwnServer() async throws {
        let elsewhere = try LoopbackHTTPServer { _ in .init(body: Self.feed) }
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/feed": .init(status: 302, headers: [("Location", "/moved")])
            case "/moved": .init(status: 302, headers: [("Location", elsewhere.url("/feed"))])
            default: .init(status: 404)
            }
        }
        let options = HTTPOptions(headers: [.init(name: "Authorization", value: "Bearer t0ken")], cookie: "session=s3cret")
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed"), http: options))
        #expect(result.body == Array(Self.feed.utf8), "\(result.outcome)")
        #expect(server.requests.map { $0.headers["authorization"] } == ["Bearer t0ken", "Bearer t0ken"])
        #expect(server.requests.map { $0.headers["cookie"] } == ["session=s3cret", "session=s3cret"])
        let there = try #require(elsewhere.requests.first)
        #expect(there.headers["authorization"] == nil && there.headers["cookie"] == nil, "\(there.headers)")
    }

    /// Over plain http, `2` asks to upgrade (a server may answer in HTTP/1.1, as this one does); `1.1` never.
    @Test func theHTTPVersionIsWhatTheSourceSays() async throws {
        let server = try LoopbackHTTPServer { request in
            request.headers["upgrade"] == "h2c" ? .init(body: Self.feed) : .init(status: 426, headers: [("Upgrade", "h2c")])
        }
        let two = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed"), http: HTTPOptions(version: .http2)))
        #expect(two.body == Array(Self.feed.utf8), "\(two.outcome)")
        let one = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed"), http: HTTPOptions(version: .http1_1)))
        #expect(one.error == .http(url: server.url("/feed"), status: 426))
    }

    /// A proxy that answers only requests carrying its credentials; the feed's host exists only behind it.
    @Test func fetchesThroughAProxyWithItsCredentials() async throws {
        let expected = "Basic " + Data("planet:pr0xy".utf8).base64EncodedString()
        let proxy = try LoopbackHTTPServer { request in
            guard request.headers["proxy-authorization"] == expected else {
                return .init(status: 407, headers: [("Proxy-Authenticate", "Basic realm=\"proxy\"")])
            }
            return request.path == "http://feeds.invalid/members.xml" ? .init(body: Self.feed) : .init(status: 404)
        }
        let url = "http://feeds.invalid/members.xml"
        let options = HTTPOptions(proxy: .url("http://planet:pr0xy@127.0.0.1:\(proxy.port)"))
        let result = await fetcher.fetch(FetchRequest(key: "k", url: url, http: options))
        #expect(result.body == Array(Self.feed.utf8), "\(result.outcome)")
        let wrong = HTTPOptions(proxy: .url("http://planet:wrong@127.0.0.1:\(proxy.port)"))
        let refused = await fetcher.fetch(FetchRequest(key: "k", url: url, http: wrong))
        #expect(refused.error?.description == "\(url): HTTP 407 Proxy Authentication Required")
        let down = try RefusingPort()
        let unreachable = await fetcher.fetch(
            FetchRequest(key: "k", url: url, http: HTTPOptions(proxy: .url("http://planet:pr0xy@127.0.0.1:\(down.port)"))))
        #expect(unreachable.error == .unreachable(url: url, reason: "could not connect to the proxy (is it up?)"))
        #expect(!"\(unreachable.error!)".contains("pr0xy"))
    }

    /// A private server's certificate is refused until the source names the authority that signed it.
    @Test func aPrivateAuthorityIsTrustedOnlyWhereNamed() async throws {
        let folder = try TemporaryDirectory()
        let server = try TLSServer(in: folder.url)
        try Data(Self.feed.utf8).write(to: server.documents.appendingPathComponent("feed.xml"))
        let refused = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed.xml")))
        #expect(refused.error?.description.contains("the TLS certificate could not be verified") == true, "\(refused.outcome)")
        let trusted = await fetcher.fetch(
            FetchRequest(key: "k", url: server.url("/feed.xml"), http: HTTPOptions(caFile: server.authority.path)))
        #expect(trusted.body == Array(Self.feed.utf8), "\(trusted.outcome)")
    }

    /// A server that speaks only HTTP/2 refuses `1.1` during the TLS handshake, and the error says so.
    @Test func aServerRefusingTheVersionOfferedIsSaidInWords() async throws {
        let folder = try TemporaryDirectory()
        let server = try TLSServer(in: folder.url, alpn: ["h2"])
        let options = HTTPOptions(version: .http1_1, caFile: server.authority.path)
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed.xml"), http: options))
        #expect(
            result.error?.description
                == "\(server.url("/feed.xml")): the server accepts none of the HTTP versions offered: HTTP/1.1 (http_version: 1.1)")
    }

    @Test func theDescriptionNamesFieldsNeverValues() {
        let options = HTTPOptions(
            userAgent: "UA", headers: [.init(name: "Authorization", value: "Bearer t0ken")], cookie: "session=s3cret",
            version: .http2, proxy: .url("http://u:pr0xy@p.example:3128"), caFile: "/etc/ca.pem")
        #expect(options.description == "user agent; headers Authorization; cookie; HTTP 2; proxy; CA file")
    }

    @Test func aSourcesOptionsGoOverTheDefaults() {
        var defaults = HTTPOptions(userAgent: "Default", headers: [.init(name: "X-A", value: "1"), .init(name: "X-B", value: "1")])
        defaults.proxy = .url("http://proxy.example:3128")
        let own = HTTPOptions(headers: [.init(name: "x-b", value: "2")], proxy: .direct)
        let merged = own.over(defaults)
        #expect(merged.userAgent == "Default")
        #expect(merged.headers == [.init(name: "X-A", value: "1"), .init(name: "x-b", value: "2")])
        #expect(merged.proxy == .direct)
    }
}

extension FetchResult {
    /// The body fetched, nil when the fetch failed or found nothing new.
    var body: [UInt8]? {
        if case .fetched(let body) = outcome { body } else { nil }
    }
}
