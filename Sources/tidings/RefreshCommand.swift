import ArgumentParser
import Tidings

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch every source once, store what is new, and write the outputs.",
        discussion: """
            Prints one line per source: how many entries were new, updated or unchanged, or why it failed. \
            Exits 0 when the refresh ran, even if some sources failed; non-zero when the configuration, \
            the database or the output folder cannot be used.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        let refresh = Refresh(config: config)
        do {
            let store = try refresh.openStore()
            let report = try await refresh.run(store: store)
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
