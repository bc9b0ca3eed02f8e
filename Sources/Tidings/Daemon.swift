import Foundation
import Logging
import ServiceLifecycle
import Storage

/// `tidings run`: polls each source when its schedule says (see `PollPlanner`), writing the outputs
/// after each round that fetched anything, until SIGTERM or SIGINT. A signal that arrives during a
/// round lets it finish its writes; only the wait between rounds is cut short.
public struct Daemon: Service {
    let refresh: Refresh
    let logger: Logger

    /// The daemon looks at the schedule at least this often (a source added to the store by hand, a
    /// clock that jumped) and at most this often (a burst of sources due a second apart).
    static let longestSleep = Duration.seconds(300)
    static let shortestSleep = Duration.seconds(5)

    public init(config: Config, logger: Logger) {
        self.refresh = Refresh(config: config)
        self.logger = logger
    }

    /// Runs the daemon until a shutdown signal; returns normally after a graceful shutdown.
    public func runUntilSignalled() async throws {
        let group = ServiceGroup(
            configuration: .init(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    public func run() async throws {
        let store = try refresh.openStore()
        logger.info(
            "started",
            metadata: ["sources": "\(refresh.config.sources.count)", "interval": "\(refresh.config.pollInterval)"])
        try spreadOverduePolls(store)
        publishWhatTheStoreHolds(store)
        while !Task.isShuttingDownGracefully {
            await runOnce(store: store)
            let sleep = (try? timeUntilNextPoll(store)) ?? Self.longestSleep
            // Graceful shutdown cancels only the sleep, never a refresh in progress.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: sleep) }
        }
        logger.info("stopped")
    }

    /// After a pause (a restart, a suspended machine), overdue sources are spread out instead of all
    /// polled in the first second.
    private func spreadOverduePolls(_ store: Store) throws {
        let now = Date()
        let records = try refresh.registeredSources(in: store, now: now)
        let spread = refresh.planner.spreadOverdue(Array(records.values), now: now)
        for (key, at) in spread { try store.setNextPoll(at, for: key) }
        if !spread.isEmpty { logger.info("spreading overdue sources", metadata: ["sources": "\(spread.count)"]) }
    }

    /// A process killed between storing and publishing left the outputs behind the store; the first round
    /// may be minutes away once overdue sources are spread, so the outputs are brought up to date at once.
    private func publishWhatTheStoreHolds(_ store: Store) {
        do {
            let written = try refresh.publish(from: store).written
            if !written.isEmpty {
                logger.info("outputs brought up to date", metadata: ["files-written": "\(written.count)"])
            }
        } catch {
            logger.error("writing the outputs failed: \(error)")
        }
    }

    private func timeUntilNextPoll(_ store: Store) throws -> Duration {
        let now = Date()
        let next = try store.sources().filter { $0.poll.goneSince == nil }.map { record in
            max(record.poll.nextPollAt ?? now, record.poll.waitUntil ?? now)
        }.min()
        let seconds = next.map { $0.timeIntervalSince(now) } ?? 300
        return min(max(.seconds(seconds), Self.shortestSleep), Self.longestSleep)
    }

    private func runOnce(store: Store) async {
        do {
            let report = try await refresh.run(store: store, mode: .due)
            guard !report.outcomes.isEmpty else { return }
            for outcome in report.outcomes {
                if case .failed = outcome.status {
                    logger.warning("\(outcome.summary)")
                } else {
                    logger.info("\(outcome.summary)")
                }
            }
            logger.info(
                "refresh done",
                metadata: [
                    "sources": "\(report.outcomes.count)", "files-written": "\(report.written.count)",
                    "failed": "\(report.failures)",
                ])
        } catch {
            // The store or the output folder failed; the next round tries again.
            logger.error("refresh failed: \(error)")
        }
    }
}
