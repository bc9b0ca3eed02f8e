import ServiceLifecycle

/// Ticks drive the daemon's schedule, and systemd's watchdog is pinged from the same beat, but only while
/// the loop shows life: it handled an event lately, or a round it started is younger than a round can be
/// (transfers have their own timeouts). A wedged loop, or a stuck round, stops the pings and systemd
/// restarts the service.
struct Watchdog: Service, CustomStringConvertible {
    /// What the service group logs of it (its default would print every field: the whole configuration).
    var description: String { "the watchdog" }

    let notifier: ServiceNotifier
    let info: DaemonInfo
    let tick: @Sendable () -> Void

    /// A round still running after this long is taken to be stuck. (A cold refresh of 10,000 sources takes
    /// under four minutes.)
    static let longestRound = Duration.seconds(15 * 60)

    /// Half systemd's interval, and at most five seconds (the schedule's resolution).
    var interval: Duration { notifier.watchdogInterval.map { min($0 / 2, .seconds(5)) } ?? .seconds(5) }

    func run() async throws {
        let interval = self.interval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                tick()
                if info.isAlive(within: interval * 2, longestRound: Self.longestRound) { notifier.watchdog() }
            }
        }
    }
}
