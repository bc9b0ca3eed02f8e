#if canImport(Glibc)
    import Glibc
#endif

/// A Unix socket's address: an absolute path, or an abstract name written with a leading "@" (as systemd
/// writes `$NOTIFY_SOCKET`), which becomes a leading zero byte and is counted exactly, with no terminator.
struct UnixSocketAddress {
    private var storage = sockaddr_un()
    let length: socklen_t

    /// Nil when `name` is neither absolute nor abstract, or too long for a socket address.
    init?(_ name: String) {
        var bytes = Array(name.utf8)
        let isAbstract = bytes.first == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }
        guard isAbstract || bytes.first == UInt8(ascii: "/"),
            bytes.count < MemoryLayout.size(ofValue: storage.sun_path)
        else { return nil }
        storage.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &storage.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (isAbstract ? 0 : 1))
    }

    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
