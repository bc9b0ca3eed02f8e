import Foundation
import TestSupport
import Testing

/// The shipped systemd units: valid, and hardened to the exposure score the README states.
let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

@Suite(
    .enabled(
        if: systemdAnalyze != nil,
        "systemd-analyze is not installed (apt-get install systemd); the units were not checked"))
struct ServiceUnitTests {

    /// The units with ExecStart pointing at the built binary (verify checks that it exists).
    static func installedUnits() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        let units = Fixtures.packageRoot().appendingPathComponent("systemd")
        for name in ["tidings.service", "tidings-refresh.service", "tidings-refresh.timer"] {
            let text = try String(contentsOf: units.appendingPathComponent(name), encoding: .utf8)
            try folder.write(
                text.replacingOccurrences(of: "/usr/local/bin/tidings", with: TidingsBinary.url.path), to: name)
        }
        return folder
    }

    static func analyze(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(systemdAnalyze))
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func theUnitsVerifyClean() throws {
        let units = try Self.installedUnits()
        let result = try Self.analyze(
            ["verify"]
                + ["tidings.service", "tidings-refresh.service", "tidings-refresh.timer"].map { units.file($0).path })
        #expect(result.status == 0)
        #expect(result.output.isEmpty, "\(result.output)")
    }

    @Test(arguments: ["tidings.service", "tidings-refresh.service"])
    func exposureIsAtMostOnePointFive(_ unit: String) throws {
        let units = try Self.installedUnits()
        let result = try Self.analyze(["security", "--offline=yes", units.file(unit).path])
        let line = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
        #expect(score <= 1.5, "\(line)")
    }

    @Test func theDaemonIsANotifyServiceThatReloads() throws {
        let text = try String(
            contentsOf: Fixtures.packageRoot().appendingPathComponent("systemd/tidings.service"), encoding: .utf8)
        for setting in [
            "Type=notify", "WatchdogSec=", "ExecReload=/bin/kill -HUP $MAINPID", "MemoryDenyWriteExecute=yes",
        ] {
            #expect(text.contains(setting), "\(setting)")
        }
    }
}
