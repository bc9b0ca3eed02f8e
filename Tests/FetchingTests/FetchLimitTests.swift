import Fetching
import Foundation
import TestSupport
import Testing

/// Servers that misbehave: too slow, too big, cut off, damaged.
@Suite struct FetchLimitTests {
    let fetcher = Fetcher()

    @Test func aRequestsOwnSizeLimitWins() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: String(repeating: "x", count: 5000)) }
        let small = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/big"), maxBodyBytes: 2048))
        #expect(small.error == .tooLarge(url: server.url("/big"), limit: 2048))
        #expect(small.error?.description.contains("2 KiB (2048 bytes)") == true)
        let large = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/big"), maxBodyBytes: 8192))
        #expect(large.bytes == 5000)
    }

    @Test func abortsABodyTrickledBelowTheSpeedLimit() async throws {
        var settings = FetchSettings()
        settings.lowSpeedBytesPerSecond = 1000
        settings.lowSpeedSeconds = 1
        let server = try LoopbackHTTPServer { _ in
            var response = LoopbackHTTPServer.Response(body: String(repeating: "x", count: 4000))
            response.trickle = (bytes: 10, pause: .milliseconds(100))
            return response
        }
        let result = await Fetcher(settings: settings).fetch(FetchRequest(key: "k", url: server.url("/slow")))
        #expect(
            result.error == .transport(url: server.url("/slow"), reason: "too slow: less than 1000 bytes/s for 1 s"))
    }

    @Test func reportsAConnectionResetMidBody() async throws {
        let server = try LoopbackHTTPServer { _ in
            var response = LoopbackHTTPServer.Response(body: String(repeating: "x", count: 10_000))
            response.resetAfter = 100
            return response
        }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/reset")))
        guard case .failed(.transport(let url, let reason)) = result.outcome else {
            Issue.record("\(result.outcome)")
            return
        }
        #expect(url == server.url("/reset"))
        #expect(reason.contains("connection"))
    }

    @Test func reportsATruncatedGzipBody() async throws {
        let compressed = try Gzip.compress(Array(String(repeating: "<item>hello</item>", count: 500).utf8))
        let truncated = Array(compressed.prefix(compressed.count / 2))
        let server = try LoopbackHTTPServer { _ in .init(headers: [("Content-Encoding", "gzip")], body: truncated) }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/gz")))
        #expect(result.error == .transport(url: server.url("/gz"), reason: "the gzip body is damaged or cut short"))
    }

    @Test func decodesAGzipBody() async throws {
        let text = String(repeating: "<item>hello</item>", count: 500)
        let compressed = try Gzip.compress(Array(text.utf8))
        let server = try LoopbackHTTPServer { _ in .init(headers: [("Content-Encoding", "gzip")], body: compressed) }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/gz")))
        guard case .fetched(let body) = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(body == Array(text.utf8))
        #expect(server.requests.first?.headers["accept-encoding"]?.contains("deflate") == true)
    }

    @Test(arguments: [
        // zlib-wrapped, as RFC 9110 defines "deflate"
        "eJyzKSoutrNJzkjMy0vNsbMpySzJSbVLSU3LSSxJTbHRh/Bt9OEK9EHqAQ/CE0k=",
        // raw deflate, as some servers send it anyway
        "sykqLrazSc5IzMtLzbGzKcksyUm1S0lNy0ksSU2x0YfwbfThCvRB6gE=",
    ])
    func decodesBothKindsOfDeflate(_ base64: String) async throws {
        let body = Array(try #require(Data(base64Encoded: base64)))
        let server = try LoopbackHTTPServer { _ in .init(headers: [("Content-Encoding", "deflate")], body: body) }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/deflate")))
        guard case .fetched(let decoded) = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(String(decoding: decoded, as: UTF8.self) == "<rss><channel><title>deflated</title></channel></rss>")
    }
}
