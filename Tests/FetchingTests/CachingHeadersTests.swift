import Fetching
import Foundation
import TestSupport
import Testing

@Suite struct CachingHeadersTests {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func readsRetryAfterInSecondsAndAsADate() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/seconds"
                ? .init(status: 429, headers: [("Retry-After", "120")])
                : .init(status: 503, headers: [("Retry-After", "Wed, 25 Nov 2026 08:00:00 GMT")])
        }
        let fetcher = Fetcher()
        let seconds = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/seconds")))
        #expect(seconds.error == .http(url: server.url("/seconds"), status: 429))
        #expect(seconds.retryAfter(now: now) == now.addingTimeInterval(120))
        let date = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/date")))
        #expect(date.status == 503)
        #expect(date.retryAfter(now: now) == Date(timeIntervalSince1970: 1_795_593_600))
    }

    @Test func readsHowLongAResponseStaysFresh() {
        #expect(result(["cache-control": "public, max-age=600"]).freshUntil(now: now) == now.addingTimeInterval(600))
        #expect(result(["cache-control": "no-cache, max-age=600"]).freshUntil(now: now) == nil)
        #expect(result(["cache-control": "max-age=0"]).freshUntil(now: now) == nil)
        #expect(
            result(["expires": "Wed, 25 Nov 2026 08:00:00 GMT"]).freshUntil(now: now)
                == Date(timeIntervalSince1970: 1_795_593_600))
        #expect(result(["expires": "0"]).freshUntil(now: now) == nil)
        #expect(result(["retry-after": "soon"]).retryAfter(now: now) == nil)
    }

    @Test func numbersTooLargeForAnIntAreCappedNotTrapped() {
        let latest = Date(timeIntervalSince1970: 253_402_300_799)  // 9999-12-31T23:59:59Z
        #expect(result(["retry-after": "99999999999999999999999"]).retryAfter(now: now) == latest)
        #expect(result(["retry-after": "9223372036854775807"]).retryAfter(now: now) == latest)
        #expect(result(["cache-control": "max-age=9223372036854775807"]).freshUntil(now: now) == latest)
        #expect(result(["cache-control": "max-age=-1"]).freshUntil(now: now) == nil)
        #expect(result(["retry-after": "١٢٠"]).retryAfter(now: now) == nil, "digits that are not ASCII are no delay")
    }

    private func result(_ headers: [String: String]) -> FetchResult {
        FetchResult(key: "k", requestedURL: "u", finalURL: "u", status: 200, headers: headers, outcome: .notModified)
    }
}
