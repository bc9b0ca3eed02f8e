import Fetching
import Foundation
import TestSupport
import Testing

@Suite struct RedirectTests {
    let fetcher = Fetcher()

    @Test func followsAPermanentRedirectChainAndReportsEveryHop() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/old": .init(status: 301, headers: [("Location", "/older-new")])
            case "/older-new": .init(status: 308, headers: [("Location", "/new")])
            default: .init(body: "<feed/>")
            }
        }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/old")))
        guard case .fetched = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(result.finalURL == server.url("/new"))
        #expect(result.redirects.map(\.status) == [301, 308])
        #expect(result.redirects.permanentTarget == server.url("/new"))
        #expect(server.requests.map(\.path) == ["/old", "/older-new", "/new"])
    }

    @Test func aTemporaryRedirectIsNoMove() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.path {
            case "/feed": .init(status: 302, headers: [("Location", "/today")])
            case "/today": .init(status: 301, headers: [("Location", "/final")])
            default: .init(body: "<feed/>")
            }
        }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed")))
        guard case .fetched = result.outcome else { Issue.record("\(result.outcome)"); return }
        #expect(result.finalURL == server.url("/final"))
        #expect(result.redirects.permanentTarget == nil)
    }

    @Test func refusesARedirectToALocalFile() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 301, headers: [("Location", "file:///etc/passwd")]) }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/feed"), allowsFileScheme: true))
        #expect(result.error == .refusedRedirect(from: server.url("/feed"), to: "file:///etc/passwd"))
        #expect(result.error?.description.contains("only http and https") == true)
        #expect(server.requests.count == 1)
    }

    @Test func endsARedirectLoopWithAClearError() async throws {
        let server = try LoopbackHTTPServer { request in
            .init(status: 302, headers: [("Location", request.path == "/a" ? "/b" : "/a")])
        }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/a")))
        #expect(result.error == .redirectLoop(chain: [server.url("/a"), server.url("/b"), server.url("/a")]))
        #expect(result.error?.description.hasPrefix("redirect loop: ") == true)
        #expect(server.requests.count == 2)
    }

    @Test func endsAnEndlessRedirectChainAtTheLimit() async throws {
        let server = try LoopbackHTTPServer { request in
            let hop = Int(request.path.dropFirst()) ?? 0
            return .init(status: 307, headers: [("Location", "/\(hop + 1)")])
        }
        let result = await fetcher.fetch(FetchRequest(key: "k", url: server.url("/0")))
        #expect(result.error == .tooManyRedirects(url: server.url("/0"), limit: FetchSettings().maxRedirects))
        #expect(server.requests.count == FetchSettings().maxRedirects + 1)
    }
}
