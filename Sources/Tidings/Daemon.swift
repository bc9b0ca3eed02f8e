import Foundation
import Logging
import ServiceLifecycle
import Storage

/// `tidings run`: a refresh at start, then one every poll interval, until SIGTERM or SIGINT. A signal
/// that arrives during a refresh lets it finish its writes; only the wait between refreshes is cut short.
public struct Daemon: Service {
    let refresh: Refresh
    let logger: Logger

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
        while !Task.isShuttingDownGracefully {
            await runOnce(store: store)
            // Graceful shutdown cancels only the sleep, never a refresh in progress.
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: refresh.config.pollInterval)
            }
        }
        logger.info("stopped")
    }

    private func runOnce(store: Store) async {
        do {
            let report = try await refresh.run(store: store)
            for outcome in report.outcomes {
                if case .failed = outcome.status {
                    logger.warning("\(outcome.summary)")
                } else {
                    logger.info("\(outcome.summary)")
                }
            }
            logger.info(
                "refresh done", metadata: ["files-written": "\(report.written.count)", "failed": "\(report.failures)"])
        } catch {
            // The store or the output folder failed; the next cycle tries again.
            logger.error("refresh failed: \(error)")
        }
    }
}
