import ArgumentParser
import Foundation
import Parsing
import Publishing
import Tidings

struct ImportOPMLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-opml",
        abstract: "Add the subscriptions of an OPML file (a feed reader's export) to feeds.yaml.",
        discussion: """
            Prints the sources it would add at the end of the sources list, each with a key made from its \
            title; feeds already configured are left out. Nothing changes without --write, which adds them and \
            keeps every other line of the file (comments and layout included) as it was.
            """)

    @Argument(help: ArgumentHelp("The OPML file.", valueName: "file"))
    var file: String

    @Flag(help: "Add the sources to feeds.yaml (otherwise only show them).")
    var write = false

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load(secrets: .skip)
        guard let bytes = FileManager.default.contents(atPath: file) else {
            throw fail(
                "\(file): cannot read it (\(FileManager.default.fileExists(atPath: file) ? "denied" : "no such file"))")
        }
        let subscriptions: [Subscription]
        do {
            subscriptions = try OPMLReader.subscriptions(in: Array(bytes))
        } catch {
            throw fail("\(file): \(error)")
        }
        let plan = SubscriptionImport(subscriptions, into: config)
        let skipped = plan.alreadyConfigured.count
        let already = skipped == 0 ? "" : " (\(skipped) already in \(config.file.lastPathComponent))"
        guard !plan.additions.isEmpty else {
            print("nothing to add: every feed of \(file) is already configured\(already)")
            return
        }
        guard write else {
            print(plan.yaml(), terminator: "")
            print("# \(plan.additions.count) sources to add\(already); run again with --write to add them")
            return
        }
        try apply(plan, to: config.file)
        print("added \(plan.additions.count) sources to \(config.file.path)\(already)")
    }

    /// Writes the new file beside the old and renames it over, once the new text is known to load.
    private func apply(_ plan: SubscriptionImport, to file: URL) throws {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8)
        else { throw fail("\(file.path): cannot read it") }
        let updated = plan.applied(to: text)
        do {
            _ = try Config.parse(updated, file: file)
        } catch {
            throw fail("the file with the new sources would not load (\(error)); \(file.path) is unchanged")
        }
        do {
            try OutputSet.replace(file, with: updated)
        } catch {
            throw fail("cannot write \(file.path): \(error)")
        }
    }
}
