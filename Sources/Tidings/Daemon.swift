import Fetching
import Foundation
import Logging
import Publishing
import Storage
import Synchronization
import UnixSignals

/// `tidings run`: fetches each source when its schedule says (see `PollPlanner`), whatever else is in
/// flight: the sources due together make a round, rounds overlap (each stores through a connection of its
/// own, and a source is never in two at once), and what they stored is published at most every
/// `publishInterval`, until SIGTERM or SIGINT.
///
/// - systemd hears from it directly (`ServiceNotifier`): READY once the schedule runs, a STATUS line after
///   each round, WATCHDOG pings from the scheduling loop itself (a wedged loop stops them), RELOADING and
///   READY around a reload, STOPPING on the way out.
/// - SIGHUP re-reads `feeds.yaml`; a broken file is logged with its line and the running configuration
///   stays. SIGTERM or SIGINT aborts the transfers in flight, stores what was already parsed and exits;
///   the outputs are brought up to date at the next start.
/// - It holds the store's refresh lock for as long as it runs, and listens on a control socket beside the
///   database, so `tidings refresh`, `status` and `reload` ask it instead of fetching a second time.
public struct Daemon: Sendable {
    let configFile: URL
    let initial: Config
    let logger: Logger
    let notifier: ServiceNotifier

    /// The daemon looks at the schedule at least this often (a source added to the store by hand, a
    /// clock that jumped).
    static let longestSleep = Duration.seconds(300)
    /// A round still running after this long is taken to be stuck: the watchdog pings stop, and systemd
    /// restarts the service. (A cold refresh of 10,000 sources takes under four minutes.)
    static let longestRound = Duration.seconds(15 * 60)

    public init(config: Config, logger: Logger, notifier: ServiceNotifier = ServiceNotifier()) {
        self.configFile = config.file
        self.initial = config
        self.logger = logger
        self.notifier = notifier
    }

    enum Event: Sendable {
        case tick
        case reload
        case control(ControlConnection)
        /// A round started by the schedule ended.
        case roundDone(RoundResult)
    }

    struct RoundResult: Sendable {
        var id: Int
        var result: Result<RefreshReport, any Error>
        var started: Date
    }

    /// What the daemon stores is published at most this often: overlapping rounds each store as they go,
    /// and rendering the pages after every one of them would cost more than the rounds.
    static let publishInterval = Duration.seconds(5)

    /// Runs until SIGTERM or SIGINT; returns normally after a clean stop.
    public func runUntilSignalled() async throws {
        let (events, input) = AsyncStream.makeStream(of: Event.self)
        let info = DaemonInfo()
        let main = Task { try await run(events: events, input: input, info: info) }
        let signals = Task {
            for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup) {
                if signal == .sighup {
                    input.yield(.reload)
                } else {
                    logger.notice("stopping", metadata: ["signal": "\(signal)"])
                    main.cancel()
                    return
                }
            }
        }
        // Ticks drive the schedule. The watchdog is pinged only while the loop shows life: it handled an event
        // lately, or a round it started is younger than a round can be (transfers have their own timeouts).
        let tick = notifier.watchdogInterval.map { min($0 / 2, .seconds(5)) } ?? .seconds(5)
        let notifier = self.notifier
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                input.yield(.tick)
                if info.isAlive(within: tick * 2, longestRound: Self.longestRound) { notifier.watchdog() }
            }
        }
        defer {
            signals.cancel()
            ticker.cancel()
        }
        try await main.value
    }

    private func run(events: AsyncStream<Event>, input: AsyncStream<Event>.Continuation, info: DaemonInfo)
        async throws
    {
        notifier.status("waiting for the refresh lock")
        let lock = try RefreshLock(beside: initial.databaseFile) {
            logger.notice("waiting for a refresh started from the command line to finish")
        }
        let fetcher = Fetcher(settings: initial.fetch)
        var refresh = Refresh(config: initial, fetcher: fetcher)
        // Upgrading a large store's schema can take minutes once; systemd is told to wait for it.
        notifier.extendTimeout(by: .seconds(900))
        notifier.status("opening the database")
        let store = try refresh.openStore()
        try spreadOverduePolls(refresh, store)
        publishWhatTheStoreHolds(refresh, store)
        let server = startControlServer(refresh.config, info: info, input: input)
        defer {
            server?.stop()
            notifier.stopping()
            logger.notice("stopped")
            withExtendedLifetime(lock) {}
        }
        logger.notice(
            "started",
            metadata: ["sources": "\(refresh.config.sources.count)", "interval": "\(refresh.config.pollInterval)"])
        notifier.ready(status: "\(refresh.config.sources.count) sources, first round starting")
        var schedule = Schedule()
        // Discarding: a round's task is gone once it ends, however long the daemon runs.
        await withDiscardingTaskGroup { rounds in
            startDueRound(refresh, store: store, schedule: &schedule, rounds: &rounds, input: input, info: info)
            for await event in events {
                info.beat()
                switch event {
                case .tick:
                    break
                case .reload:
                    if let reloaded = reload(refresh.config, fetcher: fetcher) {
                        refresh = reloaded
                        schedule.nextCheck = .now  // added sources are polled now
                    }
                case .control(let connection):
                    await serve(
                        connection, refresh: &refresh, store: store, fetcher: fetcher, schedule: &schedule, info: info)
                case .roundDone(let done):
                    schedule.finish(done.id)
                    announce(done, store: store, info: info)
                    schedule.unpublished = true
                    schedule.nextCheck = .now
                }
                if Task.isCancelled { break }
                publishIfDue(refresh, store: store, schedule: &schedule)
                if ContinuousClock.now >= schedule.nextCheck {
                    startDueRound(refresh, store: store, schedule: &schedule, rounds: &rounds, input: input, info: info)
                }
                info.showRounds(schedule)
            }
        }
    }

    /// The rounds in flight and when to look at the schedule again.
    struct Schedule {
        var nextCheck = ContinuousClock.now
        var inFlight: [Int: (keys: Set<String>, started: Date, clock: ContinuousClock.Instant)] = [:]
        var nextID = 0
        var unpublished = false
        var lastPublish = ContinuousClock.now - Daemon.publishInterval

        var busy: Set<String> { inFlight.values.reduce(into: []) { $0.formUnion($1.keys) } }

        mutating func start(_ keys: Set<String>) -> Int {
            nextID += 1
            inFlight[nextID] = (keys, Date(), .now)
            return nextID
        }

        mutating func finish(_ id: Int) { inFlight[id] = nil }
    }

    /// Starts a round for the sources now due that no round is fetching, whatever else is in flight: a slow
    /// server delays only its own sources. Each round stores through a connection of its own.
    private func startDueRound(
        _ refresh: Refresh, store: Store, schedule: inout Schedule, rounds: inout DiscardingTaskGroup,
        input: AsyncStream<Event>.Continuation, info: DaemonInfo
    ) {
        let now = Date()
        // Registered first: a source added by a reload is due at once.
        let records = Array(((try? refresh.registeredSources(in: store, now: now)) ?? [:]).values)
        let busy = schedule.busy
        let configured = Set(refresh.config.sources.map(\.key))
        let due = Set(
            records.filter { configured.contains($0.key) && !busy.contains($0.key) && PollPlanner.isDue($0, now: now) }
                .map(\.key))
        let sleep = Self.timeUntilNextPoll(records.filter { !busy.contains($0.key) && !due.contains($0.key) })
        schedule.nextCheck = .now + sleep
        info.update { $0.nextRound = Date().addingTimeInterval(Double(sleep.components.seconds)) }
        guard !due.isEmpty else { return }
        let id = schedule.start(due)
        let progress = logging(info)
        rounds.addTask {
            let started = Date()
            let result: Result<RefreshReport, any Error>
            do {
                let own = try refresh.openStore()
                result = .success(
                    try await refresh.run(
                        store: own, mode: .due, only: due, busy: busy, publish: false, progress: progress))
            } catch {
                result = .failure(error)
            }
            input.yield(.roundDone(RoundResult(id: id, result: result, started: started)))
        }
    }

    /// Publishes what the rounds stored, at most every `publishInterval`, and not while stopping.
    private func publishIfDue(_ refresh: Refresh, store: Store, schedule: inout Schedule) {
        guard schedule.unpublished, ContinuousClock.now - schedule.lastPublish >= Self.publishInterval,
            !Task.isCancelled
        else { return }
        schedule.unpublished = false
        schedule.lastPublish = .now
        do {
            let written = try refresh.publish(from: store).written
            if !written.isEmpty { logger.info("published", metadata: ["files-written": "\(written.count)"]) }
        } catch {
            logger.error("writing the outputs failed", metadata: ["reason": "\(error)"])
        }
    }

    /// A round asked for from the command line: fetches what `mode` picks (leaving out the sources a
    /// scheduled round is fetching), logs each source as it finishes, publishes, and tells systemd the totals.
    /// `progress` hears each outcome too.
    private func commandRound(
        _ refresh: Refresh, store: Store, mode: Refresh.Mode, only: Set<String>?, busy: Set<String>, info: DaemonInfo,
        progress: @escaping @Sendable (SourceOutcome) -> Void
    ) async -> Result<RefreshReport, any Error> {
        let started = Date()
        info.update {
            $0.roundStarted = started
            $0.roundClock = .now
        }
        let result: Result<RefreshReport, any Error>
        do {
            result = .success(
                try await refresh.run(
                    store: store, mode: mode, only: only, busy: busy, progress: logging(info, then: progress)))
        } catch {
            result = .failure(error)
        }
        info.update {
            $0.roundStarted = nil
            $0.roundClock = nil
        }
        announce(RoundResult(id: 0, result: result, started: started), store: store, info: info)
        return result
    }

    /// A round's end, with its totals, in the log, to systemd and for `tidings status`.
    private func announce(_ done: RoundResult, store: Store, info: DaemonInfo) {
        let report: RefreshReport
        switch done.result {
        case .success(let success): report = success
        case .failure(let error):
            // The store or the output folder failed; the next round tries again.
            logger.error("refresh failed", metadata: ["reason": "\(error)"])
            notifier.status("the last round failed: \(error)")
            return
        }
        guard !report.interrupted, !report.outcomes.isEmpty else { return }
        let failing = ((try? store.sources()) ?? []).filter { $0.lastError != nil }.count
        let new = report.outcomes.reduce(0) { total, outcome in
            if case .stored(let changes) = outcome.status { total + changes.new } else { total }
        }
        let summary = "\(report.outcomes.count) sources, \(new) new entries, \(failing) failing"
        logger.notice(
            "round done",
            metadata: [
                "sources": "\(report.outcomes.count)", "new": "\(new)", "failing": "\(failing)",
                "files-written": "\(report.written.count)",
                "duration": "\(String(format: "%.1f", Date().timeIntervalSince(done.started)))s",
            ])
        for warning in report.warnings { logger.warning("\(warning)") }
        notifier.status(summary)
        info.update {
            $0.lastRound = Date()
            $0.lastSummary = summary
        }
    }

    /// What a round tells as each source finishes: the loop is alive, the source's line in the log, and
    /// `then` (a command-line refresh streams the lines).
    private func logging(_ info: DaemonInfo, then: @escaping @Sendable (SourceOutcome) -> Void = { _ in })
        -> @Sendable (SourceOutcome) -> Void
    {
        let logger = self.logger
        return { outcome in
            info.beat()
            Self.log(outcome, to: logger)
            then(outcome)
        }
    }

    static func log(_ outcome: SourceOutcome, to logger: Logger) {
        switch outcome.status {
        case .failed: logger.warning("\(outcome.summary)", metadata: ["source": "\(outcome.key)"])
        case .quarantined: logger.error("\(outcome.summary)", metadata: ["source": "\(outcome.key)"])
        default: logger.info("\(outcome.summary)", metadata: ["source": "\(outcome.key)"])
        }
    }

    /// A command's request: a refresh streams each source's line back as it finishes; a reload says whether
    /// the new configuration was taken. Returns when the next round is due, when a round ran.
    private func serve(
        _ connection: ControlConnection, refresh: inout Refresh, store: Store, fetcher: Fetcher,
        schedule: inout Schedule, info: DaemonInfo
    ) async {
        switch connection.request {
        case .refresh(let force, let keys):
            let unknown = keys.filter { key in !refresh.config.sources.contains { $0.key == key } }
            guard unknown.isEmpty else {
                connection.finish(
                    status: 64, "no source with key \(unknown.joined(separator: ", ")) in \(configFile.path)")
                return
            }
            logger.notice(
                "refresh asked from the command line",
                metadata: ["sources": "\(keys.isEmpty ? "all" : keys.joined(separator: ","))"])
            // What a scheduled round is fetching right now is not fetched twice: said, and left to it.
            let busy = schedule.busy
            for source in refresh.config.sources
            where busy.contains(source.key) && (keys.isEmpty || keys.contains(source.key)) {
                connection.send(line: "\(source.key): being fetched by the daemon's schedule right now")
            }
            let result = await commandRound(
                refresh, store: store, mode: force ? .force : .all, only: keys.isEmpty ? nil : Set(keys), busy: busy,
                info: info
            ) { outcome in connection.send(line: outcome.summary) }
            switch result {
            case .success(let report):
                connection.finish(status: 0, report.summaryLine(folder: refresh.config.outputFolder.path))
            case .failure(let error):
                connection.finish(status: 1, "\(error)")
            }
            schedule.nextCheck = .now
        case .reload:
            if let reloaded = reload(refresh.config, fetcher: fetcher) {
                refresh = reloaded
                connection.finish(status: 0, "reloaded \(configFile.path): \(reloaded.config.sources.count) sources")
            } else {
                connection.finish(
                    status: 78, "\(configFile.path) has errors (see the daemon's log); the running configuration stays")
            }
        case .status:
            connection.finish(status: 0, info.text)
        }
    }

    /// Reads `feeds.yaml` again. A broken file is logged and the running configuration stays.
    private func reload(_ current: Config, fetcher: Fetcher) -> Refresh? {
        notifier.reloading()
        defer { notifier.ready(status: "configuration reloaded") }
        do {
            let config = try Config.load(from: configFile)
            guard config.databaseFile == current.databaseFile else {
                logger.error(
                    "reload refused: the database cannot change while the daemon runs; restart it",
                    metadata: ["file": "\(configFile.path)"])
                return nil
            }
            for warning in config.warnings { logger.warning("\(warning)") }
            fetcher.update(config.fetch)
            logger.notice("reloaded", metadata: ["file": "\(configFile.path)", "sources": "\(config.sources.count)"])
            return Refresh(config: config, fetcher: fetcher)
        } catch {
            for problem in error.problems {
                logger.error("reload failed; the running configuration stays", metadata: ["reason": "\(problem)"])
            }
            return nil
        }
    }

    private func startControlServer(_ config: Config, info: DaemonInfo, input: AsyncStream<Event>.Continuation)
        -> ControlServer?
    {
        do {
            let server = try ControlServer(path: ControlSocket.path(forDatabase: config.databaseFile))
            server.start(status: { info.text }, deliver: { input.yield(.control($0)) })
            return server
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

    /// A process stopped between storing and publishing left the outputs behind the store; the first round
    /// may be minutes away once overdue sources are spread, so the outputs are brought up to date at once.
    private func publishWhatTheStoreHolds(_ refresh: Refresh, _ store: Store) {
        do {
            let written = try refresh.publish(from: store).written
            if !written.isEmpty {
                logger.info("outputs brought up to date", metadata: ["files-written": "\(written.count)"])
            }
        } catch {
            logger.error("writing the outputs failed", metadata: ["reason": "\(error)"])
        }
    }

    private static func timeUntilNextPoll(_ records: [SourceRecord]) -> Duration {
        let now = Date()
        let next = records.filter { $0.poll.goneSince == nil }.map { record in
            max(record.poll.nextPollAt ?? now, record.poll.waitUntil ?? now)
        }.min()
        let seconds = next.map { $0.timeIntervalSince(now) } ?? 300
        return min(max(.seconds(seconds), .seconds(1)), Self.longestSleep)
    }
}

/// What `tidings status` shows of the daemon, kept up to date by its loop and read by the control thread.
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

    /// The scheduled rounds in flight, by the oldest.
    func showRounds(_ schedule: Daemon.Schedule) {
        let oldest = schedule.inFlight.values.min { $0.clock < $1.clock }
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
