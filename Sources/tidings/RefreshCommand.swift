import ArgumentParser
import Tidings

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch every source once, store what is new, and write the outputs.",
        discussion: """
            Fetches every source (or the sources named) now, whatever the regular schedule says, but leaves alone a source the \
            server asked to wait (Retry-After), one backing off after failures, and one gone (HTTP 410); \
            --force fetches those too. Prints one line per source: how many entries were new, updated or \
            unchanged, why it failed, or why it was skipped. Exits 0 when the refresh ran, even if some \
            sources failed; non-zero when the configuration, the database or the output folder cannot be used.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Also fetch sources told to wait, backing off, or gone.")
    var force = false

    @Argument(help: "Keys of the sources to fetch (every source when none is given).")
    var keys: [String] = []

    func run() async throws {
        let config = try options.load()
        let unknown = keys.filter { key in !config.sources.contains { $0.key == key } }
        guard unknown.isEmpty else {
            throw ValidationError(
                "no source with key \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in \(options.config)")
        }
        let refresh = Refresh(config: config)
        do {
            let store = try refresh.openStore()
            let report = try await refresh.run(
                store: store, mode: force ? .force : .all, only: keys.isEmpty ? nil : Set(keys))
            for outcome in report.outcomes { print(outcome.summary) }
            let failed = report.failures > 0 ? ", \(report.failures) failed" : ""
            print(
                "\(report.outcomes.count) sources\(failed); \(report.written.count) files written to \(config.outputFolder.path)"
            )
        } catch {
            throw fail(error)
        }
    }
}
