import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What a command asks the daemon over its control socket. On the wire: one line of tab-separated words.
public enum ControlRequest: Sendable, Equatable {
    case refresh(force: Bool, keys: [String])
    case reload
    case status

    var line: String {
        switch self {
        case .refresh(let force, let keys): (["refresh", force ? "force" : "-"] + keys).joined(separator: "\t")
        case .reload: "reload"
        case .status: "status"
        }
    }

    init?(line: String) {
        let words = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        switch words.first {
        case "refresh" where words.count >= 2:
            self = .refresh(force: words[1] == "force", keys: Array(words.dropFirst(2)))
        case "reload": self = .reload
        case "status": self = .status
        default: return nil
        }
    }
}

/// Where a store's daemon listens: beside the database, in the daemon's state folder.
public enum ControlSocket {
    public static func path(forDatabase database: URL) -> String {
        database.deletingLastPathComponent().appendingPathComponent("tidings.sock").path
    }

    /// Answers are lines: "L\t<text>" for each line to print, then "E\t<exit status>\t<text>" to end.
    static func lineMessage(_ text: String) -> String { "L\t\(text.replacingOccurrences(of: "\n", with: " "))\n" }
    static func endMessage(status: Int32, _ text: String) -> String {
        "E\t\(status)\t\(text.replacingOccurrences(of: "\n", with: " "))\n"
    }

    /// Sends all of `text`; a peer that went away ends the sending, nothing more.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            bytes = bytes.dropFirst(sent)
        }
    }

    /// Sends the answer's last line and closes the connection.
    static func finish(_ descriptor: Int32, status: Int32, _ text: String) {
        write(endMessage(status: status, text), to: descriptor)
        close(descriptor)
    }
}

/// One command connected to the daemon, with its request read; the daemon answers on it and closes it.
public final class ControlConnection: Sendable {
    public let request: ControlRequest
    private let descriptor: Int32

    init(request: ControlRequest, descriptor: Int32) {
        self.request = request
        self.descriptor = descriptor
    }

    /// A line for the command to print. A command that went away is no reason to stop anything.
    public func send(line text: String) { ControlSocket.write(ControlSocket.lineMessage(text), to: descriptor) }

    public func finish(status: Int32, _ text: String) {
        ControlSocket.finish(descriptor, status: status, text)
    }
}

/// The daemon's listening end: a thread accepts commands, reads each one's request, answers `status` at
/// once (even during a refresh) and hands the others to the daemon's loop. The socket is for the service's
/// user and group only.
public final class ControlServer: Sendable {
    public let path: String
    private let listener: Int32
    private let stopped = Mutex(false)

    public init(path: String) throws(DaemonError) {
        self.path = path
        guard let address = UnixSocketAddress(path) else {
            throw .controlSocket(
                path: path,
                reason:
                    "the path is not absolute, or too long for a Unix socket (108 bytes); move the database to a shorter path"
            )
        }
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw .controlSocket(path: path, reason: String(cString: strerror(errno))) }
        // A socket left by a daemon that was killed: this process holds the refresh lock, so it is stale.
        unlink(path)
        let bound = address.withSockaddr { bind(listener, $0, $1) }
        guard bound == 0, chmod(path, 0o660) == 0, listen(listener, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw .controlSocket(path: path, reason: reason)
        }
    }

    /// Starts accepting. `status` answers a status request; `deliver` takes every other request.
    public func start(
        status: @escaping @Sendable () -> String, deliver: @escaping @Sendable (ControlConnection) -> Void
    ) {
        let thread = Thread { [self] in acceptLoop(status: status, deliver: deliver) }
        thread.name = "tidings-control"
        thread.start()
    }

    public func stop() {
        let wasStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        unlink(path)
    }

    private func acceptLoop(status: @Sendable () -> String, deliver: @Sendable (ControlConnection) -> Void) {
        defer { close(listener) }
        while !stopped.withLock({ $0 }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 500) > 0 else { continue }
            let descriptor = accept(listener, nil, nil)
            guard descriptor >= 0 else { continue }
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            guard let request = Self.readRequest(descriptor) else {
                ControlSocket.finish(descriptor, status: 64, "unknown request")
                continue
            }
            let connection = ControlConnection(request: request, descriptor: descriptor)
            if request == .status {
                // Line by line: the end message carries one line only.
                for line in status().split(separator: "\n") { connection.send(line: String(line)) }
                connection.finish(status: 0, "")
            } else {
                deliver(connection)
            }
        }
    }

    /// The request line, read within a few seconds (a client that sends nothing is dropped).
    private static func readRequest(_ descriptor: Int32) -> ControlRequest? {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while data.count < 65_536, !data.contains(UInt8(ascii: "\n")) {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data.append(contentsOf: buffer[0..<count])
        }
        guard let end = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        return ControlRequest(line: String(decoding: data[..<end], as: UTF8.self))
    }
}

/// A command's end of the control socket.
public struct ControlClient {
    private let descriptor: Int32

    /// Connects to the daemon listening at `path`; nil when none does (no socket, or nobody behind it).
    /// A socket the user may not open is an error: a daemon runs, and a second refresh must not start.
    public static func connect(path: String) throws(DaemonError) -> ControlClient? {
        guard let address = UnixSocketAddress(path) else { return nil }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        let connected = address.withSockaddr { Glibc.connect(descriptor, $0, $1) }
        if connected == 0 { return ControlClient(descriptor: descriptor) }
        let failure = errno
        close(descriptor)
        if failure == EACCES || failure == EPERM {
            throw .controlSocket(
                path: path,
                reason: "\(String(cString: strerror(failure))); run as the service's user or a member of its group")
        }
        return nil
    }

    /// Sends the request and passes on each line of the answer; returns the daemon's exit status and text.
    public func perform(_ request: ControlRequest, line: (String) -> Void) throws(DaemonError) -> (
        status: Int32, text: String
    ) {
        defer { close(descriptor) }
        ControlSocket.write(request.line + "\n", to: descriptor)
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let message = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeSubrange(...end)
                if message.hasPrefix("L\t") { line(String(message.dropFirst(2))) }
                if message.hasPrefix("E\t") {
                    let parts = message.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
                    let status = parts.count > 1 ? Int32(parts[1]) ?? 1 : 1
                    return (status, parts.count > 2 ? String(parts[2]) : "")
                }
            }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw .daemonFailed("the daemon closed the connection before it finished") }
            pending.append(contentsOf: buffer[0..<count])
        }
    }
}
