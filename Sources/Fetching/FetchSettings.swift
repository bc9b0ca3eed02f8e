/// How politely and how patiently to fetch. The defaults suit a daemon following a few hundred blogs.
public struct FetchSettings: Sendable, Equatable {
    /// How many transfers run at once overall.
    public var maxConcurrentTransfers: Int = 16
    /// How many connections one host may have open at once.
    public var maxConnectionsPerHost: Int = 2
    public var connectTimeoutSeconds: Int = 15
    public var totalTimeoutSeconds: Int = 60
    /// Abort a transfer that stays below `lowSpeedBytesPerSecond` for `lowSpeedSeconds`.
    public var lowSpeedBytesPerSecond: Int = 100
    public var lowSpeedSeconds: Int = 30
    public var maxBodyBytes: Int = 16 * 1024 * 1024
    public var maxRedirects: Int = 8
    public var userAgent: String = "Tidings/0.1 (+https://github.com/tidings-feed/tidings)"

    public init() {}
}
