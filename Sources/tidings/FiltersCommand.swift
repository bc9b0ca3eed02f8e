import ArgumentParser
import Curation
import Foundation
import Tidings
import Time

struct FiltersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "Work with the filters in feeds.yaml.",
        subcommands: [FiltersTestCommand.self])
}

struct FiltersTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show what the filters in feeds.yaml would hide and show, without changing anything.",
        discussion: """
            Evaluates the filters of the configuration file as it is now (even while a daemon runs an older one) \
            against the stored entries, and prints, per source, each entry that would newly be hidden (with the \
            rule, as feeds.yaml:LINE) or newly shown, then the totals. It writes nothing: not the store, not \
            the outputs. \(filterPrecedence)
            """)

    @OptionGroup var options: ConfigOptions

    /// "by feeds.yaml:3: exclude { … }", or the includes none of which admit it.
    static func explained(_ reason: String) -> String {
        reason.hasPrefix(Curation.notAdmitted) ? "as \(reason)" : "by \(reason)"
    }

    @Argument(help: "Keys of the sources to test (every source when none is given).")
    var keys: [String] = []

    func run() async throws {
        let config = try options.load(secrets: .skip)
        if let unknown = config.unknownSources(keys) { throw ValidationError(unknown) }
        let report: FilterDryRun
        do {
            guard let run = try FilterDryRun.run(config, keys: keys.isEmpty ? nil : Set(keys)) else {
                print("no store at \(config.databaseFile.path) yet: nothing to test the filters against")
                return
            }
            report = run
        } catch {
            throw fail(error)
        }
        for (source, changes) in report.changes {
            let hidden = changes.filter(\.hides).count
            print("\(source): \(hidden) newly hidden, \(changes.count - hidden) newly shown")
            for change in changes {
                let day = Timestamp.day(change.date)
                print("  \(change.hides ? "- hidden" : "+ shown ")  \(day)  \(change.title)  \(change.link ?? "")")
                print("      \(change.hides ? "" : "was hidden ")\(Self.explained(change.reason))")
            }
        }
        for warning in report.warnings { print("warning: \(warning)") }
        print(
            "\(report.checked) entries checked: \(report.newlyHidden) newly hidden, \(report.newlyShown) newly shown;"
                + " \(report.hiddenNow) hidden now, \(report.hiddenAfter) after. Nothing was written.")
    }
}

/// How the rules combine, for the commands' help.
let filterPrecedence = """
    An entry is hidden by the first exclude that matches it (the global filters, then its source's); \
    otherwise, when there are include rules (global or its source's), only what one of them matches is \
    shown. Excludes win over includes. Patterns are ICU regular expressions, case-sensitive unless they \
    start with (?i). Hidden entries stay stored and show again when the rules change.
    """
