import Fetching
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Tidings

/// The daemon's loop. Everything it does is either quick (reading `feeds.yaml` again, answering, deciding
/// what is due) or a task it starts and hears back from: a round of fetches — scheduled, or asked for from
/// the command line — and a publish. So the loop never waits on a command or a transfer: while a slow
/// round runs, it goes on scheduling, reloading, answering, publishing and showing life to the watchdog.
///
/// The sources due together make a round and rounds overlap (each stores through a connection of its own,
/// and a source is never in two at once); what they stored is published at most every `publishInterval`,
/// and at once after a round the command line asked for, whose answer waits for that publish.
struct Scheduler: Service, CustomStringConvertible {
    /// What the service group logs of it (its default would print every field: the whole configuration).
    var description: String { "the scheduler" }

    enum Event: Sendable {
        case tick
        /// SIGHUP: read `feeds.yaml` again.
        case reload
        case command(ControlConnection)
        case roundDone(RoundDone)
        case published(PublishDone)
    }

    /// A round in flight: the sources it fetches, and the command waiting for it, if one asked for it.
    struct Round: Sendable {
        var keys: Set<String>
        var started: Date
        var clock: ContinuousClock.Instant
        var command: ControlConnection?
    }

    struct RoundDone: Sendable {
        var id: Int
        var result: Result<RefreshReport, any Error>
    }

    struct PublishDone: Sendable {
        var result: Result<[String], any Error>
        /// The commands whose rounds this publish wrote out, with their reports.
        var answers: [(ControlConnection, RefreshReport)]
    }

    /// What the loop keeps between events.
    struct State {
        var refresh: Refresh
        var nextCheck = ContinuousClock.now
        var rounds: [Int: Round] = [:]
        var nextID = 0
        /// Stored and not yet published.
        var unpublished = true
        /// A command waits for the next publish: it is not held back by `publishInterval`.
        var publishSoon = true
        var publishing = false
        var lastPublish = ContinuousClock.now - Scheduler.publishInterval
        /// Commands whose rounds ended, waiting for a publish to start.
        var answers: [(ControlConnection, RefreshReport)] = []

        var busy: Set<String> { rounds.values.reduce(into: []) { $0.formUnion($1.keys) } }
    }

    /// What the daemon stores is published at most this often: overlapping rounds each store as they go,
    /// and rendering the pages after every one of them would cost more than the rounds.
    static let publishInterval = Duration.seconds(5)
    /// The loop looks at the schedule at least this often (a source added to the store by hand, a clock
    /// that jumped).
    static let longestSleep = Duration.seconds(300)

    let configFile: URL
    let initial: Refresh
    let fetcher: Fetcher
    let events: AsyncStream<Event>
    let input: AsyncStream<Event>.Continuation
    let info: DaemonInfo
    let notifier: ServiceNotifier
    let logger: Logger

    /// Runs until a graceful shutdown, which cancels the rounds in flight: their transfers are aborted, what
    /// was parsed is stored, and nothing more is published (the next start publishes from the store).
    func run() async throws {
        try await withGracefulShutdownHandler {
            try await cancelWhenGracefulShutdown { try await loop() }
        } onGracefulShutdown: { [logger, notifier] in
            logger.notice("stopping")
            notifier.stopping()
        }
    }

    private func loop() async throws {
        // The loop's own connection: registering sources and reading their state. Rounds and publishes each
        // open one of their own.
        let store = try initial.openStore()
        var state = State(refresh: initial)
        // Discarding: a task is gone once it ends, however long the daemon runs.
        await withDiscardingTaskGroup { tasks in
            startDueRound(&state, store: store, tasks: &tasks)
            publishIfDue(&state, tasks: &tasks)
            for await event in events {
                info.beat()
                switch event {
                case .tick: break
                case .reload:
                    if let reloaded = reload(state.refresh.config) {
                        state.refresh = reloaded
                        state.nextCheck = .now  // added sources are polled now
                    }
                case .command(let connection): handle(connection, &state, tasks: &tasks)
                case .roundDone(let done): finish(done, &state, store: store)
                case .published(let done): finish(done, &state)
                }
                if Task.isCancelled { break }
                publishIfDue(&state, tasks: &tasks)
                if ContinuousClock.now >= state.nextCheck { startDueRound(&state, store: store, tasks: &tasks) }
                info.showRounds(state.rounds.values)
            }
        }
    }

    // MARK: Rounds

    /// Starts a round for the sources now due that no round is fetching, whatever else is in flight: a slow
    /// server delays only its own sources.
    private func startDueRound(_ state: inout State, store: Store, tasks: inout DiscardingTaskGroup) {
        let now = Date()
        let refresh = state.refresh
        // Registered first: a source added by a reload is due at once.
        let records = Array(((try? refresh.registeredSources(in: store, now: now)) ?? [:]).values)
        let busy = state.busy
        let configured = Set(refresh.config.sources.map(\.key))
        let idle = records.filter { !busy.contains($0.key) }
        let due = Set(idle.filter { configured.contains($0.key) && PollPlanner.isDue($0, now: now) }.map(\.key))
        let next = PollPlanner.nextDue(idle.filter { !due.contains($0.key) })
        let wait = next.map { Duration.seconds($0.timeIntervalSince(now)) } ?? Self.longestSleep
        let sleep = min(max(wait, .seconds(1)), Self.longestSleep)
        state.nextCheck = .now + sleep
        info.update { $0.nextRound = now.addingTimeInterval(Double(sleep.components.seconds)) }
        guard !due.isEmpty else { return }
        start(refresh, mode: .due, keys: due, only: due, command: nil, &state, tasks: &tasks)
    }

    /// Starts a round over `keys` (a command's round: leaving out what other rounds are fetching); each
    /// round stores through a connection of its own and leaves publishing to the loop.
    private func start(
        _ refresh: Refresh, mode: Refresh.Mode, keys: Set<String>, only: Set<String>?, command: ControlConnection?,
        _ state: inout State, tasks: inout DiscardingTaskGroup
    ) {
        let busy = state.busy
        state.nextID += 1
        let id = state.nextID
        state.rounds[id] = Round(keys: keys, started: Date(), clock: .now, command: command)
        let (info, logger, input) = (self.info, self.logger, self.input)
        tasks.addTask {
            let progress: @Sendable (SourceOutcome) -> Void = { outcome in
                info.beat()
                Self.log(outcome, to: logger)
                command?.send(line: outcome.summary)
            }
            let result: Result<RefreshReport, any Error>
            do {
                let own = try refresh.openStore()
                result = .success(
                    try await refresh.run(
                        store: own, mode: mode, only: only, busy: busy, publish: false, progress: progress))
            } catch {
                result = .failure(error)
            }
            input.yield(.roundDone(RoundDone(id: id, result: result)))
        }
    }

    private func finish(_ done: RoundDone, _ state: inout State, store: Store) {
        guard let round = state.rounds.removeValue(forKey: done.id) else { return }
        announce(done.result, started: round.started, store: store)
        state.unpublished = true
        state.nextCheck = .now
        guard let command = round.command else { return }
        switch done.result {
        case .success(let report):
            for warning in report.warnings { command.send(line: "warning: \(warning)") }
            state.answers.append((command, report))
            state.publishSoon = true
        case .failure(let error):
            command.finish(status: 1, "\(error)")
        }
    }

    /// A round's end, with its totals, in the log, to systemd and for `tidings status`.
    private func announce(_ result: Result<RefreshReport, any Error>, started: Date, store: Store) {
        let report: RefreshReport
        switch result {
        case .success(let success): report = success
        case .failure(let error):
            // The store or the output folder failed; the next round tries again.
            logger.error("refresh failed", metadata: ["reason": "\(error)"])
            notifier.status("the last round failed: \(error)")
            return
        }
        guard !report.interrupted, !report.outcomes.isEmpty else { return }
        let failing = ((try? store.sources()) ?? []).filter(\.isFailing).count
        let new = report.outcomes.reduce(0) { total, outcome in
            if case .stored(let changes) = outcome.status { total + changes.new } else { total }
        }
        let summary = "\(report.outcomes.count) sources, \(new) new entries, \(failing) failing"
        logger.notice(
            "round done",
            metadata: [
                "sources": "\(report.outcomes.count)", "new": "\(new)", "failing": "\(failing)",
                "duration": "\(String(format: "%.1f", Date().timeIntervalSince(started)))s",
            ])
        for warning in report.warnings { logger.warning("\(warning)") }
        notifier.status(summary)
        info.update {
            $0.lastRound = Date()
            $0.lastSummary = summary
        }
    }

    static func log(_ outcome: SourceOutcome, to logger: Logger) {
        switch outcome.status {
        case .failed: logger.warning("\(outcome.summary)", metadata: ["source": "\(outcome.key)"])
        case .quarantined: logger.error("\(outcome.summary)", metadata: ["source": "\(outcome.key)"])
        default: logger.info("\(outcome.summary)", metadata: ["source": "\(outcome.key)"])
        }
    }

    // MARK: Publishing

    /// Starts a publish of what the rounds stored: one at a time, at most every `publishInterval` unless a
    /// command waits for it, and not while stopping.
    private func publishIfDue(_ state: inout State, tasks: inout DiscardingTaskGroup) {
        guard state.unpublished || !state.answers.isEmpty, !state.publishing, !Task.isCancelled,
            state.publishSoon || ContinuousClock.now - state.lastPublish >= Self.publishInterval
        else { return }
        state.unpublished = false
        state.publishSoon = false
        state.publishing = true
        state.lastPublish = .now
        let answers = state.answers
        state.answers = []
        let (refresh, input) = (state.refresh, self.input)
        tasks.addTask {
            let result = Result { try refresh.publish(from: try refresh.openStore()).written }
            input.yield(.published(PublishDone(result: result, answers: answers)))
        }
    }

    private func finish(_ done: PublishDone, _ state: inout State) {
        state.publishing = false
        let folder = state.refresh.config.outputFolder.path
        switch done.result {
        case .success(let written):
            if !written.isEmpty { logger.info("published", metadata: ["files-written": "\(written.count)"]) }
            for (command, report) in done.answers {
                var report = report
                report.written = written
                command.finish(status: 0, report.summaryLine(folder: folder))
            }
        case .failure(let error):
            logger.error("writing the outputs failed", metadata: ["reason": "\(error)"])
            for (command, _) in done.answers { command.finish(status: 1, "writing the outputs failed: \(error)") }
        }
    }

    // MARK: Commands

    /// A command's request: a refresh becomes a round whose lines are streamed back as each source finishes,
    /// answered once what it stored is published; a reload says whether the new configuration was taken.
    private func handle(_ connection: ControlConnection, _ state: inout State, tasks: inout DiscardingTaskGroup) {
        switch connection.command {
        case .refresh(let force, let keys):
            let config = state.refresh.config
            if let unknown = config.unknownSources(keys) {
                connection.finish(status: 64, unknown)
                return
            }
            logger.notice(
                "refresh asked from the command line",
                metadata: ["sources": "\(keys.isEmpty ? "all" : keys.joined(separator: ","))"])
            // What a scheduled round is fetching right now is not fetched twice: said, and left to it.
            let busy = state.busy
            let asked = config.sources.map(\.key).filter { keys.isEmpty || keys.contains($0) }
            for key in asked where busy.contains(key) {
                connection.send(line: "\(key): being fetched by the daemon's schedule right now")
            }
            start(
                state.refresh, mode: force ? .force : .all, keys: Set(asked).subtracting(busy),
                only: keys.isEmpty ? nil : Set(keys), command: connection, &state, tasks: &tasks)
        case .reload:
            if let reloaded = reload(state.refresh.config) {
                state.refresh = reloaded
                state.nextCheck = .now
                connection.finish(status: 0, "reloaded \(configFile.path): \(reloaded.config.sources.count) sources")
            } else {
                connection.finish(
                    status: 78, "\(configFile.path) has errors (see the daemon's log); the running configuration stays")
            }
        }
    }

    /// Reads `feeds.yaml` again. A broken file is logged and the running configuration stays.
    private func reload(_ current: Config) -> Refresh? {
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
}
