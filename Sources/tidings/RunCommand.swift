import ArgumentParser
import Logging
import Tidings

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run as a daemon: refresh now, then every poll interval, until SIGTERM or SIGINT.",
        discussion: "A signal during a refresh lets it finish writing; the daemon then exits 0.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "tidings")
        do {
            try await Daemon(config: config, logger: logger).runUntilSignalled()
        } catch {
            throw fail(error)
        }
    }
}
