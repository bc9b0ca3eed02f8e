/// The bounds of the polling schedule, from `poll_interval` and the `fetch:` section of `feeds.yaml`.
public struct PollPolicy: Sendable, Equatable {
    /// The shortest regular interval: what a source that posts often is polled at.
    public var interval: Duration = .seconds(30 * 60)
    /// The longest regular interval: a source that seldom posts is still polled this often.
    public var maxInterval: Duration = .seconds(24 * 3600)
    /// The longest wait after failures in a row; a source is never abandoned.
    public var maxBackoff: Duration = .seconds(24 * 3600)
    /// The longest wait a server's `Retry-After` can impose.
    public var maxRetryAfter: Duration = .seconds(24 * 3600)
    /// A permanent redirect is adopted once seen on `adoptMovesSeen` fetches over at least this long.
    public var adoptMovesAfter: Duration = .seconds(24 * 3600)
    public var adoptMovesSeen: Int = 3
    /// After a restart, overdue sources are spread over this long instead of all polled at once.
    public var startupSpread: Duration = .seconds(10 * 60)
    /// The first wait after a failure; each further failure doubles it.
    public var firstBackoff: Duration = .seconds(5 * 60)

    public init(interval: Duration = .seconds(30 * 60)) {
        self.interval = interval
    }
}
