import ArgumentParser
import Foundation
import Service
import Tidings

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the daemon, then every source's state: last success, last error, next poll, entries, moves.",
        discussion: """
            First the daemon, when one runs for this store (since when, its last and next round), then one row \
            per source in feeds.yaml, times in UTC. STATE is ok, failing (the last fetch failed; retried on \
            schedule), waiting (the server asked for a pause, or backing off after failures), gone (HTTP 410; \
            not fetched until its URL changes) or never fetched. Reads the store only; never writes to it.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print JSON instead of a table (the sources only).")
    var json = false

    func run() async throws {
        let config = try options.load(secrets: .skip)
        do {
            let rows = try Refresh(config: config).status(now: Date())
            if json {
                print(try SourceStatus.json(rows))
                return
            }
            print(try daemonStatus(config))
            print()
            print(SourceStatus.table(rows))
        } catch {
            throw fail(error)
        }
    }

    private func daemonStatus(_ config: Config) throws -> String {
        let socket = ControlSocket.path(forDatabase: config.databaseFile)
        guard let client = try ControlClient.connect(path: socket) else { return "daemon: not running" }
        var lines: [String] = []
        let text = try client.perform(.status) { lines.append($0) }.text
        return (lines + (text.isEmpty ? [] : [text])).joined(separator: "\n")
    }
}
