import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real HTTP/1.1 server on 127.0.0.1 for tests: it listens on a free port, answers each request with
/// what the test's handler returns, and records every request it saw. Each connection is closed after
/// one response, so tests see exactly one request per transfer, unless the server keeps connections
/// alive (then it counts them, so a test can see a client reuse one).
public final class LoopbackHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names lowercased.
        public var headers: [String: String]
    }

    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Wait this long before answering, to keep the request in flight.
        public var delay: Duration = .zero
        /// Answer only once this gate opens (or after a minute at most): a request kept in flight for exactly as
        /// long as the test needs.
        public var gate: Gate? = nil
        /// Send the body this many bytes at a time with a pause between: a server slower than any limit.
        public var trickle: (bytes: Int, pause: Duration)? = nil
        /// Reset the connection after this many body bytes.
        public var resetAfter: Int? = nil

        public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public init(status: Int = 200, headers: [(String, String)] = [], body: String) {
            self.init(status: status, headers: headers, body: Array(body.utf8))
        }
    }

    public typealias Handler = @Sendable (Request) -> Response

    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let keepAlive: Bool
    private let state = Mutex<(requests: [Request], stopped: Bool, inFlight: Int, maxInFlight: Int, connections: Int)>(
        ([], false, 0, 0, 0))

    public init(keepAlive: Bool = false, handler: @escaping Handler) throws {
        self.handler = handler
        self.keepAlive = keepAlive
        (listener, port) = try Self.listen()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// A listening socket on 127.0.0.1 with a port the kernel picked.
    private static func listen() throws -> (Int32, Int) {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ServerError.socket("socket", errno) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")  // loopback only, never a public interface
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(listener, 64) == 0 else {
            close(listener)
            throw ServerError.socket("bind/listen", errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(listener, $0, &length) }
        }
        return (listener, Int(UInt16(bigEndian: address.sin_port)))
    }

    deinit { stop() }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    public var requests: [Request] { state.withLock { $0.requests } }

    /// The requests being answered right now.
    public var inFlight: Int { state.withLock { $0.inFlight } }

    /// The most requests that were being answered at the same moment.
    public var maxConcurrentRequests: Int { state.withLock { $0.maxInFlight } }

    /// How many connections clients opened.
    public var connections: Int { state.withLock { $0.connections } }

    public func stop() {
        let wasStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        if !wasStopped { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !state.withLock({ $0.stopped }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        state.withLock { $0.connections += 1 }
        // A kept-alive connection waits long for its next request: a client on a busy machine may take seconds
        // between two calls, and closing it then would look like a client that failed to reuse it.
        var timeout = timeval(tv_sec: keepAlive ? 60 : 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // Bounded: a kept-alive connection serves at most this many requests, then closes.
        for _ in 0..<(keepAlive ? 1000 : 1) where !state.withLock({ $0.stopped }) {
            guard answer(connection) else { return }
        }
    }

    /// Reads one request and answers it; false when the connection is to be closed.
    private func answer(_ connection: Int32) -> Bool {
        guard let request = readRequest(connection) else { return false }
        state.withLock {
            $0.requests.append(request)
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
        }
        let response = handler(request)
        if response.delay > .zero { Thread.sleep(forTimeInterval: Self.seconds(response.delay)) }
        response.gate?.wait()
        // Counted out before the response leaves: the client cannot start its next request before it has
        // this one's, so the count never includes a request that is over.
        state.withLock { $0.inFlight -= 1 }
        var head = "HTTP/1.1 \(response.status) Status\r\n"
        var names = Set<String>()
        for (name, value) in response.headers {
            head += "\(name): \(value)\r\n"
            names.insert(name.lowercased())
        }
        if !names.contains("content-length") { head += "Content-Length: \(response.body.count)\r\n" }
        head += keepAlive ? "\r\n" : "Connection: close\r\n\r\n"
        send(connection, Array(head.utf8))
        guard request.method != "HEAD" else { return keepAlive }
        var body = response.body[...]
        if let cut = response.resetAfter {
            send(connection, Array(body.prefix(cut)))
            // SO_LINGER with a zero timeout makes close() send a reset instead of a clean end.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            return false
        }
        if let trickle = response.trickle {
            for _ in 0..<1000 where !body.isEmpty && !state.withLock({ $0.stopped }) {
                guard send(connection, Array(body.prefix(trickle.bytes))) else { return false }
                body = body.dropFirst(trickle.bytes)
                Thread.sleep(forTimeInterval: Self.seconds(trickle.pause))
            }
            return false
        }
        return send(connection, Array(body)) && keepAlive
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < 65_536 {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data.append(contentsOf: buffer[0..<count])
            if let end = String(decoding: data, as: UTF8.self).range(of: "\r\n\r\n") {
                let head = String(decoding: data, as: UTF8.self)[..<end.lowerBound]
                return Self.parse(String(head))
            }
        }
        return nil
    }

    private static func parse(_ head: String) -> Request? {
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Request(method: String(parts[0]), path: String(parts[1]), headers: headers)
    }

    @discardableResult
    private func send(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }  // the client has gone
            offset += sent
        }
        return true
    }

    public enum ServerError: Error {
        case socket(String, Int32)
    }
}

/// A port on 127.0.0.1 where nothing listens, held for as long as the value lives: a connection to it is
/// refused. (Stopping a server instead lets a test running beside this one be given the same port.)
public final class RefusingPort: @unchecked Sendable {
    private let socket: Int32
    public let port: Int

    public init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard socket >= 0, bound == 0 else { throw LoopbackHTTPServer.ServerError.socket("bind", errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(socket, $0, &length) }
        }
        self.socket = socket
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    deinit { close(socket) }
}
