import Foundation
import Logging
import Testing

@testable import Service

#if canImport(Glibc)
    import Glibc
#endif

/// The notify protocol's addressing, which the daemon tests (a socket with a path) do not reach: systemd
/// usually names an abstract socket.
@Suite struct ServiceNotifierTests {
    @Test func sendsToAnAbstractSocket() throws {
        let name = "tidings-test-\(UUID().uuidString)"
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(descriptor) }
        // Bound by hand, as systemd does: a zero byte, then the name, counted exactly.
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in name.utf8.enumerated() { raw[index + 1] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + name.utf8.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0)
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        ServiceNotifier(environment: ["NOTIFY_SOCKET": "@" + name]).status("3 sources")
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        #expect(count > 0)
        #expect(String(decoding: buffer[0..<max(count, 0)], as: UTF8.self) == "STATUS=3 sources")
    }

    @Test func anAbstractNameIsCountedExactlyAndAPathWithItsTerminator() throws {
        let family = MemoryLayout<sa_family_t>.size
        #expect(try #require(UnixSocketAddress("@abc")).length == socklen_t(family + 4))
        #expect(try #require(UnixSocketAddress("/run/x")).length == socklen_t(family + 7))
        #expect(UnixSocketAddress("relative/path") == nil)
        #expect(UnixSocketAddress("/" + String(repeating: "a", count: 200)) == nil)
    }

    @Test func theWatchdogIsForThisProcessOnly() {
        let mine = ServiceNotifier(environment: ["WATCHDOG_USEC": "4000000", "WATCHDOG_PID": String(getpid())])
        #expect(mine.watchdogInterval == .seconds(4))
        #expect(
            ServiceNotifier(environment: ["WATCHDOG_USEC": "4000000", "WATCHDOG_PID": "1"]).watchdogInterval == nil)
        #expect(!ServiceNotifier(environment: [:]).isActive)
    }

    @Test func journalLinesCarryThePriorityAndQuotedFields() {
        let line = LineLogHandler.format(
            level: .warning, message: "alpha: failed:\nHTTP 500",
            fields: ["url": "http://a.example/x y", "source": "alpha"],
            forJournal: true)
        #expect(line == #"<4>alpha: failed: HTTP 500 source=alpha url="http://a.example/x y""#)
        #expect(!LineLogHandler.format(level: .info, message: "m", fields: [:], forJournal: false).hasPrefix("<"))
    }
}
