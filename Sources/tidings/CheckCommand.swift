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
            cannot. The service runs it before starting and before a reload.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load()
        print("\(config.file.path): \(config.sources.count) sources, no errors")
    }
}
