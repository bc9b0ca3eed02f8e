import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// systemd's notify protocol, spoken directly: each message is one datagram of `KEY=value` lines sent to
/// the Unix socket named by `$NOTIFY_SOCKET` (a path, or an abstract name written with a leading "@").
/// Without that variable (not run by systemd, or not as `Type=notify`) every message is dropped.
public struct ServiceNotifier: Sendable {
    let socketPath: String?
    /// How often systemd expects a sign of life, from `$WATCHDOG_USEC` (nil when there is no watchdog).
    public let watchdogInterval: Duration?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        // WATCHDOG_PID, when set, names the process the watchdog is meant for (not a child of it).
        let forThisProcess = environment["WATCHDOG_PID"].map { $0 == String(getpid()) } ?? true
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(Int.init).flatMap { microseconds in
            microseconds > 0 && forThisProcess ? Duration.microseconds(microseconds) : nil
        }
    }

    public var isActive: Bool { socketPath != nil }

    /// The start-up is done: the schedule runs.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdog() { send("WATCHDOG=1") }
    public func stopping() { send("STOPPING=1") }
    /// Asks for more time to start (a long database upgrade) than the unit's start timeout gives.
    public func extendTimeout(by duration: Duration) {
        send("EXTEND_TIMEOUT_USEC=\(duration.components.seconds * 1_000_000)")
    }

    /// A reload begins; `ready` ends it. systemd matches the two by the monotonic clock's reading.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        send("RELOADING=1\nMONOTONIC_USEC=\(Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000)")
    }

    /// Sends one message; a failure is ignored, as systemd's own library does: the service runs on.
    func send(_ message: String) {
        guard let socketPath, let address = UnixSocketAddress(socketPath) else { return }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = Array(message.utf8).withUnsafeBytes { bytes in
            address.withSockaddr { sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, $1) }
        }
    }
}
