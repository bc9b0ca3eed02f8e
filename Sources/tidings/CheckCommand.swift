import ArgumentParser
import Foundation
import Tidings

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check feeds.yaml without fetching or writing anything.",
        discussion: """
            Reads and checks the whole configuration as a refresh would. Prints its warnings and exits 0 when it \
            can be used; prints every problem, each with its file and line, and exits 78 (EX_CONFIG) when it \
            cannot. The service runs it before starting and before a reload. Once a store exists, it also warns \
            about a filter that matches none of the stored entries it applies to, and a source whose every \
            stored entry the filters hide. \(filterPrecedence)
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load(secrets: .check)
        // The store is read, never written; one that cannot be read leaves the filters unchecked, not the file.
        if !config.curation.isEmpty, let dryRun = try? FilterDryRun.run(config) {
            for warning in dryRun.warnings {
                FileHandle.standardError.write(Data("tidings: warning: \(warning)\n".utf8))
            }
        }
        print("\(config.file.path): \(config.sources.count == 1 ? "1 source" : "\(config.sources.count) sources"), no errors")
    }
}
