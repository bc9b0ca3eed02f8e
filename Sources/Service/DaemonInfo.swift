import Foundation
import Synchronization
import Time

/// What `tidings status` shows of the daemon, kept up to date by its loop and read by the control thread;
/// and whether the loop shows life, for the watchdog.
final class DaemonInfo: Sendable {
    struct State {
        var started = Date()
        var roundStarted: Date?
        var lastRound: Date?
        var lastSummary: String?
        var nextRound: Date?
        var roundClock: ContinuousClock.Instant?
        var lastBeat = ContinuousClock.now
    }

    private let state = Mutex(State())

    func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }

    /// The rounds in flight, by the oldest.
    func showRounds(_ rounds: some Collection<Scheduler.Round>) {
        let oldest = rounds.min { $0.clock < $1.clock }
        state.withLock {
            $0.roundStarted = oldest?.started
            $0.roundClock = oldest?.clock
        }
    }

    /// The loop handled something.
    func beat() { state.withLock { $0.lastBeat = .now } }

    /// Whether the loop handled something within `recent`, or waits on a round; never while a round is older
    /// than `longestRound` (the loop goes on beside a stuck round, which would hold its sources for good).
    func isAlive(within recent: Duration, longestRound: Duration) -> Bool {
        state.withLock { state in
            let now = ContinuousClock.now
            if let round = state.roundClock, now - round >= longestRound { return false }
            return now - state.lastBeat < recent || state.roundClock != nil
        }
    }

    var text: String {
        state.withLock { state in
            var lines = ["daemon: running since \(Timestamp.display(state.started)) (pid \(getpid()))"]
            if let started = state.roundStarted {
                lines.append("round: in progress since \(Timestamp.display(started))")
            }
            if let last = state.lastRound {
                lines.append("last round: \(Timestamp.display(last))\(state.lastSummary.map { " (\($0))" } ?? "")")
            }
            if let next = state.nextRound, state.roundStarted == nil {
                lines.append("next round: \(Timestamp.display(next))")
            }
            return lines.joined(separator: "\n")
        }
    }
}
