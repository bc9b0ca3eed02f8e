import Foundation
import Storage
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `tidings run` as systemd runs it: a notify socket and a watchdog, signals, and commands beside it.
@Suite(.serialized) struct DaemonTests {
    static let feed = """
        <rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
        <item><title>One</title><link>https://t.example/1</link><guid>one</guid></item></channel></rss>
        """

    /// Plays systemd's end of the notify protocol: a datagram socket whose messages are collected.
    final class NotifySocket: Sendable {
        let path: String
        private let descriptor: Int32
        private let received = Mutex<[String]>([])

        init(in folder: TemporaryDirectory) throws {
            path = folder.file("notify").path
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            try #require(bound == 0)
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(descriptor) }

        var messages: [String] { received.withLock { $0 } }

        /// Reads datagrams until one satisfies `condition` or `seconds` pass; true when one did.
        @discardableResult
        func wait(seconds: Double, for condition: (String) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                let count = recv(descriptor, &buffer, buffer.count, 0)
                guard count > 0 else { continue }
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                received.withLock { $0.append(message) }
                if condition(message) { return true }
            }
            return false
        }
    }

    struct Daemon {
        let process: Process
        let log: URL

        var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
    }

    static func start(in site: TemporaryDirectory, notify: NotifySocket) throws -> Daemon {
        let process = Process()
        process.executableURL = TidingsBinary.url
        process.arguments = ["run"]
        process.currentDirectoryURL = site.url
        process.environment = ProcessInfo.processInfo.environment.merging([
            "NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "2000000", "JOURNAL_STREAM": "8:1234",
        ]) { $1 }
        let log = site.file("daemon.log")
        try Data().write(to: log)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        return Daemon(process: process, log: log)
    }

    /// A site whose sources are `sources` on `server`, and its daemon started.
    static func start(sources keys: [String], on server: LoopbackHTTPServer) throws -> (
        TemporaryDirectory, NotifySocket, Daemon
    ) {
        let site = try TemporaryDirectory()
        try site.write(config(server, keys: keys), to: "feeds.yaml")
        let notify = try NotifySocket(in: site)
        return (site, notify, try start(in: site, notify: notify))
    }

    static func config(_ server: LoopbackHTTPServer, keys: [String]) -> String {
        "sources:\n" + keys.map { "  - key: \($0)\n    url: \(server.url("/\($0)"))\n" }.joined()
    }

    @Test func speaksTheNotifyProtocolReloadsAndStopsCleanly() throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Self.feed) }
        let (site, notify, daemon) = try Self.start(sources: ["alpha", "beta"], on: server)
        defer { TidingsBinary.stop(daemon.process) }

        #expect(notify.wait(seconds: 20) { $0.contains("READY=1") }, "READY: \(notify.messages) \(daemon.logText)")
        #expect(notify.wait(seconds: 20) { $0.hasPrefix("STATUS=2 sources, 2 new entries, 0 failing") })
        #expect(notify.wait(seconds: 20) { $0 == "WATCHDOG=1" }, "watchdog pings")

        // A good reload: the added source is fetched without a restart.
        try site.write(Self.config(server, keys: ["alpha", "beta", "gamma"]), to: "feeds.yaml")
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(notify.wait(seconds: 20) { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") })
        #expect(notify.wait(seconds: 20) { $0.hasPrefix("READY=1") })
        #expect(notify.wait(seconds: 20) { _ in server.requests.contains { $0.path == "/gamma" } })

        // A broken reload: logged with its line, the daemon keeps running.
        try site.write("sources:\n  - key: alpha\n    urll: x\n", to: "feeds.yaml")
        kill(daemon.process.processIdentifier, SIGHUP)
        #expect(notify.wait(seconds: 20) { $0.hasPrefix("READY=1") })
        #expect(daemon.process.isRunning)
        let failure = daemon.logText.split(separator: "\n").first { $0.contains("reload failed") }
        #expect(failure?.hasPrefix("<3>") == true, "an error-priority line: \(daemon.logText)")
        #expect(failure?.contains("feeds.yaml:3") == true)

        daemon.process.terminate()
        #expect(notify.wait(seconds: 20) { $0 == "STOPPING=1" })
        #expect(waitUntil(seconds: 30) { !daemon.process.isRunning })
        #expect(daemon.process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: site.file("tidings.sock").path), "the socket is removed")
    }

    @Test func aCommandLineRefreshAsksTheDaemonInsteadOfFetchingAgain() throws {
        let server = try LoopbackHTTPServer { _ in .init(body: Self.feed) }
        let (site, notify, daemon) = try Self.start(sources: ["alpha", "beta"], on: server)
        defer { TidingsBinary.stop(daemon.process) }
        #expect(notify.wait(seconds: 20) { $0.hasPrefix("STATUS=2 sources") }, "\(daemon.logText)")
        let before = server.requests.count

        let refresh = try TidingsBinary.run(["refresh"], in: site.url)
        #expect(refresh.status == 0, "\(refresh.errors)")
        #expect(refresh.output.contains("alpha: unchanged (the same document as last time)"), "\(refresh.output)")
        #expect(refresh.output.contains("beta:"))
        #expect(server.requests.count - before == 2, "each feed fetched once, by the daemon alone")
        #expect(daemon.logText.contains("refresh asked from the command line"))

        let only = try TidingsBinary.run(["refresh", "beta"], in: site.url)
        #expect(only.status == 0)
        #expect(!only.output.contains("alpha"))

        let status = try TidingsBinary.run(["status"], in: site.url)
        #expect(status.output.hasPrefix("daemon: running since"), "\(status.output)")
        // One fact per line, as `tidings status` shows them.
        #expect(status.output.split(separator: "\n").contains { $0.hasPrefix("last round: ") }, "\(status.output)")

        let reload = try TidingsBinary.run(["reload"], in: site.url)
        #expect(reload.status == 0, "\(reload.errors)")
        #expect(reload.output.contains("reloaded"))
    }

    @Test func statusWritesNothingAndReloadNeedsADaemon() throws {
        let site = try TemporaryDirectory()
        try site.write("sources:\n  - key: alpha\n    url: http://127.0.0.1:9/feed\n", to: "feeds.yaml")
        let status = try TidingsBinary.run(["status"], in: site.url)
        #expect(status.status == 0, "\(status.errors)")
        #expect(status.output.contains("never fetched"))
        #expect(!FileManager.default.fileExists(atPath: site.file("tidings.sqlite").path), "status created no store")
        let reload = try TidingsBinary.run(["reload"], in: site.url)
        #expect(reload.status == 1)
        #expect(reload.errors.contains("no daemon is running"))
    }

    /// Without a daemon, a second command-line refresh waits for the first, says so, and fetches nothing until
    /// the first has ended.
    @Test func twoCommandLineRefreshesNeverRunAtOnce() throws {
        let gate = Gate()
        defer { gate.open() }
        let server = try LoopbackHTTPServer { _ in
            var response = LoopbackHTTPServer.Response(body: Self.feed)
            response.gate = gate
            return response
        }
        let site = try TemporaryDirectory()
        try site.write(Self.config(server, keys: ["alpha", "beta"]), to: "feeds.yaml")
        let first = try TidingsBinary.start(["refresh"], in: site.url)
        #expect(waitUntil(seconds: 20) { server.requests.count == 2 }, "the first refresh holds the lock and fetches")
        let second = try TidingsBinary.start(["refresh"], in: site.url)
        #expect(second.waitForErrors(containing: "waiting for another refresh", seconds: 20), "\(second.errorText)")
        #expect(server.requests.count == 2, "the second fetches nothing while the first holds the lock")
        gate.open()
        let runs = [first.finish(), second.finish()]
        #expect(runs.allSatisfy { $0.status == 0 }, "\(runs.map(\.errors))")
        #expect(server.requests.count == 4)
        #expect(server.maxConcurrentRequests == 2, "the second refresh fetched only after the first ended")
    }

    /// The daemon schedules continuously: a source that falls due (here: added by a reload) is fetched,
    /// stored and published while another source's slow transfer is still in flight.
    @Test func aDueSourceIsFetchedAndPublishedWhileASlowOneIsStillInFlight() throws {
        let gate = Gate()
        defer { gate.open() }
        let server = try LoopbackHTTPServer { request in
            var response = LoopbackHTTPServer.Response(
                body: Self.feed.replacingOccurrences(of: "One", with: request.path))
            if request.path == "/slow" { response.gate = gate }
            return response
        }
        let (site, notify, daemon) = try Self.start(sources: ["slow"], on: server)
        defer { TidingsBinary.stop(daemon.process) }
        #expect(notify.wait(seconds: 20) { $0.contains("READY=1") })
        #expect(notify.wait(seconds: 20) { _ in server.requests.contains { $0.path == "/slow" } })

        try site.write(Self.config(server, keys: ["slow", "fast"]), to: "feeds.yaml")
        kill(daemon.process.processIdentifier, SIGHUP)
        let feed = site.file("output/feed.atom")
        let published = waitUntil(seconds: 30) {
            ((try? String(contentsOf: feed, encoding: .utf8)) ?? "").contains("/fast")
        }
        #expect(published, "\(daemon.logText)")
        #expect(server.inFlight == 1, "published while the slow transfer is still held")
        #expect(server.requests.filter { $0.path == "/slow" }.count == 1, "the slow source is not fetched again")
        let status = try TidingsBinary.run(["status"], in: site.url)
        #expect(status.output.contains("round: in progress since"), "the slow round: \(status.output)")
    }

    /// The loop never waits on a command: while a refresh asked from the command line waits on a slow
    /// transfer, a reload is answered, the source it adds is fetched and published, and status is answered;
    /// the refresh then finishes with its lines once its transfer does.
    @Test func theLoopAnswersAndSchedulesWhileACommandLineRefreshWaitsOnASlowSource() throws {
        let gate = Gate()
        defer { gate.open() }
        let slowRequests = Counter()
        let server = try LoopbackHTTPServer { request in
            var response = LoopbackHTTPServer.Response(
                body: Self.feed.replacingOccurrences(of: "One", with: request.path))
            // The daemon's own first fetch is quick; the command-line refresh's waits at the gate.
            if request.path == "/slow", slowRequests.next() > 1 { response.gate = gate }
            return response
        }
        let (site, notify, daemon) = try Self.start(sources: ["slow"], on: server)
        defer { TidingsBinary.stop(daemon.process) }
        #expect(notify.wait(seconds: 20) { $0.hasPrefix("STATUS=1 sources") }, "\(daemon.logText)")
        var slowFetches: Int { server.requests.filter { $0.path == "/slow" }.count }

        let refresh = Process()
        refresh.executableURL = TidingsBinary.url
        refresh.arguments = ["refresh", "slow"]
        refresh.currentDirectoryURL = site.url
        let output = Pipe()
        refresh.standardOutput = output
        refresh.standardError = FileHandle.nullDevice
        try refresh.run()
        defer { if refresh.isRunning { refresh.terminate() } }
        #expect(waitUntil(seconds: 20) { slowFetches == 2 }, "the command's round fetches the slow source")

        try site.write(Self.config(server, keys: ["slow", "fast"]), to: "feeds.yaml")
        let reload = try TidingsBinary.run(["reload"], in: site.url)
        #expect(reload.status == 0, "\(reload.errors)")
        #expect(reload.output.contains("2 sources"))
        #expect(refresh.isRunning, "the reload was answered while the command's round waits")
        let feed = site.file("output/feed.atom")
        let published = waitUntil(seconds: 30) {
            ((try? String(contentsOf: feed, encoding: .utf8)) ?? "").contains("/fast")
        }
        #expect(published, "the added source is fetched and published: \(daemon.logText)")
        #expect(refresh.isRunning, "before the slow transfer ends")
        let status = try TidingsBinary.run(["status"], in: site.url)
        #expect(status.output.contains("round: in progress since"), "\(status.output)")

        gate.open()
        #expect(waitUntil(seconds: 30) { !refresh.isRunning })
        #expect(refresh.terminationStatus == 0)
        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(lines.contains("slow: "), "the round's line streamed back: \(lines)")
        #expect(!lines.contains("fast"), "only the source asked for")
        #expect(slowFetches == 2, "fetched once by the schedule and once by the command")
    }

    @Test func sigtermMidRoundAbortsTheTransfersAndKeepsTheStore() throws {
        // The slow answer is held for up to a minute: a daemon that waited for it could not stop in time.
        let gate = Gate()
        defer { gate.open() }
        let server = try LoopbackHTTPServer { request in
            var response = LoopbackHTTPServer.Response(body: Self.feed)
            if request.path == "/slow" { response.gate = gate }
            return response
        }
        let (site, notify, daemon) = try Self.start(sources: ["alpha", "slow"], on: server)
        defer { TidingsBinary.stop(daemon.process) }
        #expect(notify.wait(seconds: 20) { $0.contains("READY=1") })
        #expect(waitUntil(seconds: 20) { server.requests.contains { $0.path == "/slow" } })
        #expect(notify.wait(seconds: 20) { $0 == "WATCHDOG=1" }, "pinged while a round waits on a slow transfer")
        daemon.process.terminate()
        #expect(waitUntil(seconds: 30) { !daemon.process.isRunning }, "the slow transfer was aborted, not waited for")
        #expect(server.inFlight == 1, "its answer never came")
        #expect(daemon.process.terminationStatus == 0, "\(daemon.logText)")
        let store = try Store(path: site.file("tidings.sqlite").path)
        #expect(try store.sources().first { $0.key == "alpha" }?.entryCount == 1, "what arrived was stored")
        let leftovers = FileManager.default.enumerator(atPath: site.file("output").path)?.compactMap { $0 as? String }
        #expect(leftovers?.contains { $0.hasSuffix(".tmp") || $0.contains(".tidings-") } != true)
    }

    @Test func checkNamesTheBrokenLineAndWritesNothing() throws {
        let site = try TemporaryDirectory()
        try site.write("sources:\n  - key: alpha\n    urll: http://127.0.0.1:9/\n", to: "feeds.yaml")
        let broken = try TidingsBinary.run(["check"], in: site.url)
        #expect(broken.status == 78)
        #expect(broken.errors.contains("feeds.yaml:3"), "\(broken.errors)")
        // Every problem at once, each on its line of its own.
        try site.write(
            "max_entries: many\nsources:\n  - key: alpha\n    urll: http://127.0.0.1:9/\n  - key: b c\n    url: x\n",
            to: "feeds.yaml")
        let several = try TidingsBinary.run(["check"], in: site.url)
        #expect(several.status == 78)
        let lines = several.errors.split(separator: "\n").filter {
            $0.hasPrefix("tidings: ") && $0.contains("feeds.yaml:")
        }
        #expect(lines.count == 3, "\(several.errors)")
        #expect(["feeds.yaml:1:", "feeds.yaml:4:", "feeds.yaml:5:"].allSatisfy { several.errors.contains($0) })
        try site.write("sources:\n  - key: alpha\n    url: http://127.0.0.1:9/\n", to: "feeds.yaml")
        let good = try TidingsBinary.run(["check"], in: site.url)
        #expect(good.status == 0)
        #expect(good.output.contains("1 source, no errors"))
        #expect(!FileManager.default.fileExists(atPath: site.file("tidings.sqlite").path))
    }
}
