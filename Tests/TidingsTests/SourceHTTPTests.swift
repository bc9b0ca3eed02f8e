import Foundation
import TestSupport
import Testing
import Tidings

/// Sources behind walls, configured in `feeds.yaml` as an operator would: each reached with its own user
/// agent, header, cookie or proxy, the secret ones read from the environment, a file or systemd's
/// credentials folder, and no secret anywhere Tidings writes or says.
@Suite struct SourceHTTPTests {
    static let secrets = [
        "header": "hdr-5ecret-A", "cookie": "c00kie-5ecret-B", "file": "f1le-5ecret-C", "proxy": "pr0xy-5ecret-D",
    ]

    @Test func everySourceBehindAWallIsReachedAndNoSecretIsWrittenOrSaid() throws {
        let secrets = Self.secrets
        let server = try LoopbackHTTPServer { request in
            let allowed =
                switch request.path {
                case "/wall":
                    request.headers["user-agent"] == "Mozilla/5.0 (Planet)" && request.headers["x-planet"] == secrets["header"]
                case "/members": request.headers["cookie"] == "session=\(secrets["cookie"]!)"
                case "/token": request.headers["authorization"] == "Bearer \(secrets["file"]!)"
                default: false
                }
            return allowed ? .init(body: FilterTests.feed(String(request.path.dropFirst()))) : .init(status: 403)
        }
        let proxyAuthorization = "Basic " + Data("planet:\(secrets["proxy"]!)".utf8).base64EncodedString()
        let proxy = try LoopbackHTTPServer { request in
            guard request.headers["proxy-authorization"] == proxyAuthorization else { return .init(status: 407) }
            return request.path == "http://private.invalid/feed" ? .init(body: FilterTests.feed("private")) : .init(status: 404)
        }
        let site = try TemporaryDirectory()
        let vault = try TemporaryDirectory()  // outside the site: the secrets' own files are not what is searched
        try vault.write("session=\(secrets["cookie"]!)\n", to: "credentials/member-cookie")
        try vault.write("Bearer \(secrets["file"]!)\n", to: "token")
        try site.write(
            """
            base_url: https://planet.example/
            fetch:
              user_agent: Mozilla/5.0 (Planet)
            sources:
              - key: wall
                url: \(server.url("/wall"))
                headers:
                  X-Planet: { env: PLANET_HEADER }
              - key: members
                url: \(server.url("/members"))
                cookie: { credential: member-cookie }
              - key: token
                url: \(server.url("/token"))
                headers:
                  Authorization: { file: \(vault.file("token").path) }
              - key: private
                url: http://private.invalid/feed
                proxy: { env: PLANET_PROXY }
              - key: refused
                url: \(server.url("/refused"))
                headers:
                  X-Planet: { env: PLANET_HEADER }
                cookie: { credential: member-cookie }
            """, to: "feeds.yaml")
        let environment = [
            "PLANET_HEADER": secrets["header"]!, "CREDENTIALS_DIRECTORY": vault.file("credentials").path,
            "PLANET_PROXY": "http://planet:\(secrets["proxy"]!)@127.0.0.1:\(proxy.port)",
        ]
        var said: [String] = []
        func run(_ arguments: [String]) throws -> TidingsBinary.Run {
            let run = try TidingsBinary.run(arguments, in: site.url, environment: environment)
            said += [run.output, run.errors]
            return run
        }
        let check = try run(["check"])
        #expect(check.status == 0, "\(check.errors)")
        #expect(!check.errors.contains("warning"), "no secret is written in the file: \(check.errors)")
        let refresh = try run(["refresh"])
        #expect(refresh.status == 0, "\(refresh.errors)")
        for key in ["wall", "members", "token", "private"] {
            #expect(refresh.output.contains("\(key): 5 new"), "\(key): \(refresh.output)")
        }
        #expect(refresh.output.contains("refused: failed: \(server.url("/refused")): HTTP 403 Forbidden"), "\(refresh.output)")
        _ = try run(["status"])
        _ = try run(["explain", "https://wall.example/0"])
        _ = try run(["explain", "--json", "https://private.example/1"])
        _ = try run(["explain", server.url("/refused/never-seen")])
        // In a shell without the service's environment and credentials: what fetches nothing works, `check`
        // warns about what it cannot read here, and a refresh of its own refuses to start, naming the lines.
        let bare = ["PLANET_HEADER": "", "CREDENTIALS_DIRECTORY": "", "PLANET_PROXY": ""]
        let status = try TidingsBinary.run(["status"], in: site.url, environment: bare)
        #expect(status.status == 0 && status.output.contains("wall"), "\(status.errors)")
        let shellCheck = try TidingsBinary.run(["check"], in: site.url, environment: bare)
        #expect(shellCheck.status == 0, "\(shellCheck.errors)")
        #expect(shellCheck.errors.contains("feeds.yaml:8: sources 'wall'.headers.X-Planet.env: the environment variable PLANET_HEADER is empty (the service must be able to read it)"), "\(shellCheck.errors)")
        #expect(shellCheck.errors.contains("feeds.yaml:11: sources 'members'.cookie.credential: $CREDENTIALS_DIRECTORY is not set"), "\(shellCheck.errors)")
        let shellRefresh = try TidingsBinary.run(["refresh"], in: site.url, environment: bare)
        #expect(shellRefresh.status == 78, "\(shellRefresh.errors)")
        #expect(shellRefresh.errors.contains("feeds.yaml:18: sources 'private'.proxy.env: the environment variable PLANET_PROXY is empty"), "\(shellRefresh.errors)")
        // Everything under the site (the store and its log, every output) and everything said.
        let written = try FilterTests.snapshot(site.url)
        #expect(written.keys.contains { $0.hasSuffix("tidings.sqlite") } && written.keys.contains { $0.hasSuffix("feed.atom") })
        for (name, secret) in secrets {
            for (path, bytes) in written {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "the \(name) secret is in \(path)")
            }
            for text in said { #expect(!text.contains(secret), "the \(name) secret was said: \(text)") }
        }
    }

    /// A secret written in the file works, and `tidings check` says where it is and what to write instead.
    @Test func aSecretWrittenInTheFileIsWarnedAboutWithItsLine() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            """
            sources:
              - key: a
                url: https://a.example/feed
                cookie: session=abc
                headers:
                  Authorization: Bearer abc
                proxy: http://user:pass@proxy.example:3128
            """, to: "feeds.yaml")
        let config = try Config.load(from: file)
        let warnings = config.warnings.filter { $0.contains("written in the configuration file") }
        #expect(warnings.map { $0.split(separator: ":").prefix(3).joined(separator: ":") } == [
            "\(file.path):4: sources 'a'.cookie", "\(file.path):6: sources 'a'.headers.Authorization",
            "\(file.path):7: sources 'a'.proxy",
        ])
        #expect(config.sources[0].http.cookie == "session=abc")
    }

    /// What an edited `feeds.yaml` sends is sent at the next fetch (a reload reads the file the same way).
    @Test func anEditedHeaderIsSentAtTheNextFetch() async throws {
        let server = try LoopbackHTTPServer { _ in .init(body: FilterTests.feed("a")) }
        func yaml(_ value: String) -> String {
            "sources:\n  - key: a\n    url: \(server.url("/a"))\n    headers:\n      X-Planet: \(value)\n"
        }
        let site = try TestSite(yaml("first"))
        _ = try await site.run()
        let edited = Refresh(config: try Config.load(from: try site.directory.write(yaml("second"), to: "feeds.yaml")))
        _ = try await edited.run(store: site.store, mode: .force)
        #expect(server.requests.map { $0.headers["x-planet"] } == ["first", "second"])
    }
}
