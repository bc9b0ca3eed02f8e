import Foundation
import TestSupport
import Testing
import Tidings

/// What the Debian package is made of (`packaging/debian/`, `scripts/package-deb`), checked without building
/// it: the configuration it installs, the user and folders it makes, that they agree with the units, that
/// its maintainer scripts are sound, and that the packaging refuses a binary linking Swift libraries. The
/// package itself is built and installed into a clean Debian root by `scripts/prove-deb-install`.
@Suite struct PackagingTests {
    static let root = Fixtures.packageRoot()
    static let packaging = root.appendingPathComponent("packaging/debian")

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> TidingsBinary.Run {
        try TidingsBinary.run(program: URL(fileURLWithPath: executable), arguments, in: root)
    }

    @Test func theShippedConfigurationFollowsNoSourceAndPointsAtThePackagesFolders() throws {
        let shipped = Self.packaging.appendingPathComponent("feeds.yaml")
        let error = #expect(throws: ConfigError.self) { try Config.load(from: shipped) }
        #expect("\(error.map { "\($0)" } ?? "")".contains(":\(try Self.sourcesLine()): sources: no source yet"))

        let directory = try TemporaryDirectory()
        let edited = try directory.write(
            try Self.text("packaging/debian/feeds.yaml") + "  - key: a\n    url: https://a.example/feed\n",
            to: "feeds.yaml")
        let config = try Config.load(from: edited)
        #expect(config.outputFolder.path == "/var/www/tidings")
        #expect(config.databaseFile.path == "/var/lib/tidings/tidings.sqlite")
    }

    static func sourcesLine() throws -> Int {
        let lines = try text("packaging/debian/feeds.yaml").split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.hasPrefix("sources:") }) + 1
    }

    @Test func theUserAndFoldersAgreeWithTheUnits() throws {
        let sysusers = try Self.text("packaging/debian/tidings.sysusers").split(separator: "\n").filter {
            !$0.hasPrefix("#")
        }
        #expect(sysusers == [#"u tidings - "Tidings feed aggregator" /var/lib/tidings /usr/sbin/nologin"#])
        let folders = try Self.text("packaging/debian/tidings.tmpfiles").split(separator: "\n").filter {
            !$0.hasPrefix("#")
        }
        #expect(
            folders == [
                "d /etc/tidings 0755 root root -", "d /etc/tidings/secrets 0700 root root -",
                "d /var/lib/tidings 0750 tidings tidings -", "d /var/www/tidings 0755 tidings tidings -",
            ])
        for unit in ["tidings.service", "tidings-refresh.service"] {
            let text = try Self.text("systemd/\(unit)")
            #expect(text.contains("User=tidings") && text.contains("StateDirectory=tidings"), "\(unit)")
            #expect(text.contains("ReadWritePaths=/var/www/tidings"), "\(unit)")
            // package-deb rewrites this path to /usr/bin/tidings: every command must use it.
            let commands = text.split(separator: "\n").filter { $0.hasPrefix("Exec") && $0.contains("tidings ") }
            #expect(!commands.isEmpty && commands.allSatisfy { $0.contains("=/usr/local/bin/tidings ") }, "\(unit)")
        }
        #expect(try Self.text("packaging/debian/conffiles") == "/etc/tidings/feeds.yaml\n")
    }

    @Test(arguments: ["postinst", "prerm", "postrm"])
    func maintainerScriptsAreSoundAndUnsurprising(_ name: String) throws {
        let path = Self.packaging.appendingPathComponent(name).path
        #expect(FileManager.default.isExecutableFile(atPath: path))
        let syntax = try Self.run("/bin/sh", ["-n", path])
        #expect(syntax.status == 0, "\(syntax.errors)")
        let text = try Self.text("packaging/debian/\(name)")
        #expect(text.hasPrefix("#!/bin/sh\n") && text.contains("\nset -e\n"))
        for word in ["useradd", "adduser", "groupadd", "rm -rf /var/www"] {
            #expect(!text.contains(word), "\(name) uses \(word)")
        }
        if name == "postrm" {
            // Only a purge deletes the store, and never the site.
            let removal = try #require(text.range(of: "rm -rf /var/lib/tidings"))
            let purge = try #require(text.range(of: #"if [ "$1" = purge ]; then"#))
            #expect(purge.upperBound < removal.lowerBound)
        }
    }

    @Test func thePackagingRefusesABinaryThatLinksSwiftLibraries() throws {
        // The debug build links libswiftCore and Foundation dynamically: the package would need a toolchain.
        let out = try TemporaryDirectory()
        let result = try Self.run(
            Self.root.appendingPathComponent("scripts/package-deb").path,
            ["--binary", TidingsBinary.url.path, "--no-lintian", "--out", out.url.path])
        #expect(result.status == 1)
        #expect(result.errors.contains("links Swift libraries:") && result.errors.contains("libswiftCore.so"), "\(result.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.url.path).isEmpty, "no package written")
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func theCompletionsKnowEveryCommand(_ shell: String) throws {
        let result = try Self.run(TidingsBinary.url.path, ["--generate-completion-script", shell])
        #expect(result.status == 0)
        for command in ["refresh", "run", "status", "check", "search", "explain", "filters", "release"] {
            #expect(result.output.contains(command), "\(shell) completion lacks \(command)")
        }
    }
}
