import Product

/// How politely and how patiently to fetch. The defaults suit a daemon following a few thousand blogs.
public struct FetchSettings: Sendable, Equatable {
    /// How many transfers run at once overall.
    public var maxConcurrentTransfers: Int = 16
    /// How many transfers one site (a registrable domain: `a.example.com` and `b.example.com` are one
    /// site, `a.github.io` and `b.github.io` are two) may have running at once.
    public var maxTransfersPerSite: Int = 2
    public var connectTimeoutSeconds: Int = 15
    public var totalTimeoutSeconds: Int = 60
    /// Abort a transfer that stays below `lowSpeedBytesPerSecond` for `lowSpeedSeconds`.
    public var lowSpeedBytesPerSecond: Int = 100
    public var lowSpeedSeconds: Int = 30
    /// The largest body accepted unless a request sets its own limit.
    public var maxBodyBytes: Int = 16 * 1024 * 1024
    public var maxRedirects: Int = 8
    /// How many finished results may wait for the caller before no new transfer is started: this bounds
    /// the memory held by bodies that arrived faster than they are parsed.
    public var maxWaitingResults: Int = 16
    /// How many body bytes may be held at once, arriving and waiting, before transfers pause (see
    /// `BodyBudget`): far above what ordinary feeds need, so only documents of megabytes ever wait.
    public var maxBufferedBytes: Int = 24 * 1024 * 1024
    public var userAgent: String = Product.userAgent

    public init() {}
}
