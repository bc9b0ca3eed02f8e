import ArgumentParser
import Foundation
import Tidings

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every source's state: last success, last error, next poll, entries, moves.",
        discussion: """
            One row per source in feeds.yaml, times in UTC. STATE is ok, failing (the last fetch failed; \
            retried on schedule), waiting (the server asked for a pause, or backing off after failures), \
            gone (HTTP 410; not fetched until its URL changes) or never fetched. Reads the store only.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let config = try options.load()
        do {
            let refresh = Refresh(config: config)
            let rows = try refresh.status(store: try refresh.openStore(), now: Date())
            print(json ? try SourceStatus.json(rows) : SourceStatus.table(rows))
        } catch {
            throw fail(error)
        }
    }
}
