import ArgumentParser
import Logging
import Service
import Tidings

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run as a daemon: poll each source when it is due, until SIGTERM or SIGINT.",
        discussion: """
            Speaks systemd's notify protocol when started by it (Type=notify, with a watchdog). SIGHUP re-reads \
            the configuration; a broken file is logged and the running one stays. SIGTERM aborts the transfers \
            in flight, keeps what was stored and exits 0. The daemon listens on tidings.sock beside the \
            database, so `tidings refresh`, `status` and `reload` ask it instead of fetching a second time.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(
        help: ArgumentHelp(
            "How much to log: trace, debug, info, notice, warning, error or critical (default: the configuration's log_level, else info).",
            valueName: "level"))
    var logLevel: String?

    func validate() throws {
        if let logLevel, !Config.logLevels.contains(logLevel.lowercased()) {
            throw ValidationError(
                "'\(logLevel)' is not a log level; use one of \(Config.logLevels.joined(separator: ", "))")
        }
    }

    func run() async throws {
        let config = try options.load(secrets: .read)
        let level = Logger.Level(rawValue: (logLevel ?? config.logLevel).lowercased()) ?? .info
        LoggingSystem.bootstrap { _ in LineLogHandler(level: level) }
        let logger = Logger(label: "tidings")
        do {
            try await Daemon(config: config, logger: logger).runUntilSignalled()
        } catch {
            throw fail(error)
        }
    }
}
