import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
