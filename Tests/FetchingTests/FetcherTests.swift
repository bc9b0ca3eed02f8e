import Fetching
import Foundation
import TestSupport
import Testing

@Suite struct FetcherTests {
    let fetcher = Fetcher()

    @Test func fetchesADocumentWithItsValidators() async throws {
        let server = try LoopbackHTTPServer { _ in
            .init(
                headers: [
                    ("ETag", "\"abc\""), ("Last-Modified", "Thu, 12 Mar 2026 10:00:00 GMT"),
                    ("Content-Type", "application/rss+xml"),
                ], body: "<rss/>")
        }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed")))
        guard case .fetched(let body) = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(body == Array("<rss/>".utf8))
        #expect(result.status == 200)
        #expect(result.etag == "\"abc\"")
        #expect(result.lastModified == "Thu, 12 Mar 2026 10:00:00 GMT")
        #expect(result.contentType == "application/rss+xml")
        let request = try #require(server.requests.first)
        #expect(request.headers["user-agent"]?.hasPrefix("Tidings/") == true)
        #expect(request.headers["accept-encoding"]?.contains("gzip") == true)
    }

    @Test func sendsValidatorsAndReadsNotModified() async throws {
        let server = try LoopbackHTTPServer { request in
            request.headers["if-none-match"] == "\"abc\""
                ? .init(status: 304) : .init(headers: [("ETag", "\"abc\"")], body: "<rss/>")
        }
        let request = FetchRequest(
            key: "k", url: server.url("/feed"), etag: "\"abc\"", lastModified: "Thu, 12 Mar 2026 10:00:00 GMT")
        let result = await fetcher.fetch(request)
        guard case .notModified = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(server.requests.first?.headers["if-modified-since"] == "Thu, 12 Mar 2026 10:00:00 GMT")
    }

    @Test func reportsHTTPErrorsWithTheURL() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 404, body: "nope") }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/missing")))
        guard case .failed(let error) = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(error == .http(url: server.url("/missing"), status: 404))
        #expect(error.description == "\(server.url("/missing")): HTTP 404 Not Found")
    }

    @Test func abortsABodyPastTheSizeLimit() async throws {
        var settings = FetchSettings()
        settings.maxBodyBytes = 1000
        let server = try LoopbackHTTPServer { _ in .init(body: String(repeating: "x", count: 5000)) }
        let result = await Fetcher(settings: settings).fetch(FetchRequest(key: "k", url: server.url("/big")))
        guard case .failed(let error) = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(error == .tooLarge(url: server.url("/big"), limit: 1000))
        #expect(error.description.contains("limit of 1000 bytes"))
    }

    @Test func reportsADeadServer() async throws {
        let dead = try RefusingPort()
        let url = dead.url("/feed")
        let result = await fetcher.fetch(FetchRequest(key: "k", url: url))
        guard case .failed(let error) = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(error.description.hasPrefix(url))
    }

    @Test func readsLocalFilesOnlyWhenAllowed() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("<rss/>", to: "feed.xml")
        let allowed = await fetcher.fetch(FetchRequest(key: "k", url: file.absoluteString, allowsFileScheme: true))
        guard case .fetched(let body) = allowed.outcome else { Issue.record("\(allowed.outcome)"); return }
        #expect(body == Array("<rss/>".utf8))
        #expect(allowed.status == 200)
        let refused = await fetcher.fetch(FetchRequest(key: "k", url: file.absoluteString))
        guard case .failed = refused.outcome else { Issue.record("\(refused.outcome)"); return }
        let missing = await fetcher.fetch(
            FetchRequest(key: "k", url: directory.file("none.xml").absoluteString, allowsFileScheme: true))
        guard case .failed(let error) = missing.outcome else { Issue.record("\(missing.outcome)"); return }
        #expect(error.description.contains("no such file"))
    }

    @Test func fetchesManySourcesConcurrentlyAndReturnsEveryResult() async throws {
        let server = try LoopbackHTTPServer { request in .init(body: "<rss>\(request.path)</rss>") }
        let requests = (0..<30).map { FetchRequest(key: "s\($0)", url: server.url("/feed/\($0)")) }
        var keys: Set<String> = []
        for await result in fetcher.fetch(requests) {
            guard case .fetched(let body) = result.outcome else { Issue.record("\(result.outcome)"); continue }
            #expect(String(decoding: body, as: UTF8.self) == "<rss>/feed/\(result.key.dropFirst())</rss>")
            keys.insert(result.key)
        }
        #expect(keys.count == 30)
        #expect(server.requests.count == 30)
    }
}
