import Fetching
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Tidings

/// `tidings run`: the daemon, as a group of services started and stopped together —
/// the `Scheduler` (the loop: rounds of fetches, publishing, commands), the `ControlService` (the socket
/// `tidings refresh`, `status` and `reload` talk to), the `Watchdog` (ticks and systemd's pings) and
/// `ReloadSignal` (SIGHUP). SIGTERM or SIGINT shuts the group down gracefully, the scheduler first: the
/// transfers in flight are aborted, what was already parsed is stored, and the process exits 0; the outputs
/// are brought up to date at the next start.
///
/// systemd hears from it directly (`ServiceNotifier`): READY once the schedule runs, a STATUS line after
/// each round, WATCHDOG pings, RELOADING and READY around a reload, STOPPING on the way out. It holds the
/// store's refresh lock for as long as it runs.
public struct Daemon: Sendable {
    let config: Config
    let logger: Logger
    let notifier: ServiceNotifier

    public init(config: Config, logger: Logger, notifier: ServiceNotifier = ServiceNotifier()) {
        self.config = config
        self.logger = logger
        self.notifier = notifier
    }

    /// Runs until SIGTERM or SIGINT; returns normally after a clean stop.
    public func runUntilSignalled() async throws {
        notifier.status("waiting for the refresh lock")
        let lock = try RefreshLock(beside: config.databaseFile) {
            logger.notice("waiting for a refresh started from the command line to finish")
        }
        defer { withExtendedLifetime(lock) {} }
        let fetcher = Fetcher(settings: config.fetch)
        let refresh = Refresh(config: config, fetcher: fetcher)
        // Upgrading a large store's schema can take minutes once; systemd is told to wait for it.
        notifier.extendTimeout(by: .seconds(900))
        notifier.status("opening the database")
        let store = try refresh.openStore()
        try store.indexPending { done, total in
            // Once, after the upgrade that added search: every stored entry indexed, in batches.
            notifier.status("building the search index: \(done) of \(total) entries")
            if done % 50_000 < 2_000 { logger.notice("building the search index: \(done) of \(total) entries") }
        }
        try spreadOverduePolls(refresh, store)
        let (events, input) = AsyncStream.makeStream(of: Scheduler.Event.self)
        let info = DaemonInfo()
        let scheduler = Scheduler(
            configFile: config.file, initial: refresh, fetcher: fetcher, events: events, input: input, info: info, notifier: notifier, logger: logger)
        var services: [any Service] = []
        // Stopped in the reverse order: the scheduler first, the control socket last.
        if let control = controlService(info: info, input: input) { services.append(control) }
        services.append(Watchdog(notifier: notifier, info: info) { input.yield(.tick) })
        services.append(ReloadSignal { input.yield(.reload) })
        services.append(scheduler)
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        logger.notice(
            "started", metadata: ["sources": "\(config.sources.count)", "interval": "\(config.pollInterval)"])
        notifier.ready(status: "\(config.sources.count) sources, first round starting")
        try await group.run()
        logger.notice("stopped")
    }

    private func controlService(info: DaemonInfo, input: AsyncStream<Scheduler.Event>.Continuation)
        -> ControlService?
    {
        do {
            let server = try ControlServer(path: ControlSocket.path(forDatabase: config.databaseFile))
            return ControlService(server: server, info: info) { input.yield(.command($0)) }
        } catch {
            logger.warning("no control socket; commands cannot reach this daemon", metadata: ["reason": "\(error)"])
            return nil
        }
    }

    /// After a pause (a restart, a suspended machine), overdue sources are spread out instead of all
    /// polled in the first second.
    private func spreadOverduePolls(_ refresh: Refresh, _ store: Store) throws {
        let now = Date()
        let records = try refresh.registeredSources(in: store, now: now)
        let spread = refresh.planner.spreadOverdue(Array(records.values), now: now)
        for (key, at) in spread { try store.setNextPoll(at, for: key) }
        if !spread.isEmpty { logger.info("spreading overdue sources", metadata: ["sources": "\(spread.count)"]) }
    }
}
