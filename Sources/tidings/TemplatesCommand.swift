import ArgumentParser
import Foundation
import Publishing

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Work with the page templates.",
        subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the built-in page templates into a folder, to change the look from.",
            discussion: """
                Writes head, foot, month, monthnav, index and archive (.mustache) into FOLDER. Name the folder as `templates:` in \
                feeds.yaml: a file there replaces the built-in template of its name, and other .mustache files \
                are partials the templates may include. Existing files are kept unless --force.
                """)

        @Argument(help: "The folder to write the templates into (created if needed).")
        var folder: String

        @Flag(help: "Replace templates already in the folder.")
        var force = false

        func run() throws {
            let url = URL(fileURLWithPath: folder)
            do {
                let written = try Templates.export(to: url, replacing: force)
                for path in written { print(path) }
                if written.count < Templates.defaults.count {
                    print("\(Templates.defaults.count - written.count) already there and kept (--force replaces them)")
                }
            } catch {
                throw fail("cannot write the templates into \(url.path): \((error as NSError).localizedDescription)")
            }
        }
    }
}
