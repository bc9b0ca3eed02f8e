import Foundation
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One command connected to the daemon, with its request read; the daemon answers on it and closes it.
final class ControlConnection: Sendable {
    let command: ControlCommand
    private let descriptor: Int32

    init(command: ControlCommand, descriptor: Int32) {
        self.command = command
        self.descriptor = descriptor
    }

    /// A line for the command to print. A command that went away is no reason to stop anything.
    func send(line text: String) { ControlSocket.write(ControlSocket.lineMessage(text), to: descriptor) }

    func finish(status: Int32, _ text: String) {
        ControlSocket.finish(descriptor, status: status, text)
    }
}

/// The daemon's listening end: a thread accepts commands, reads each one's request, answers `status` at
/// once (even during a refresh) and hands the others to the daemon's loop. The socket is for the service's
/// user and group only.
final class ControlServer: Sendable {
    let path: String
    private let listener: Int32
    private let stopped = Mutex(false)

    init(path: String) throws(DaemonError) {
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
    func start(
        status: @escaping @Sendable () -> String, deliver: @escaping @Sendable (ControlConnection) -> Void
    ) {
        let thread = Thread { [self] in acceptLoop(status: status, deliver: deliver) }
        thread.name = "tidings-control"
        thread.start()
    }

    func stop() {
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
            if let command = request.command {
                deliver(ControlConnection(command: command, descriptor: descriptor))
            } else {
                // Line by line: the end message carries one line only.
                for line in status().split(separator: "\n") {
                    ControlSocket.write(ControlSocket.lineMessage(String(line)), to: descriptor)
                }
                ControlSocket.finish(descriptor, status: 0, "")
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

/// The control socket as one of the daemon's services: listening from start to shutdown, and the last
/// service to stop, so a command sent while the daemon stops still gets an answer or a closed socket.
struct ControlService: Service, CustomStringConvertible {
    /// What the service group logs of it (its default would print every field: the whole configuration).
    var description: String { "the control socket" }

    let server: ControlServer
    let info: DaemonInfo
    let deliver: @Sendable (ControlConnection) -> Void

    func run() async throws {
        server.start(status: { [info] in info.text }, deliver: deliver)
        defer { server.stop() }
        try? await gracefulShutdown()
    }
}
