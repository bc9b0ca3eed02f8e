import ArgumentParser
import Tidings

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write every page and feed again from the store, fetching nothing.",
        discussion: """
            A refresh renders only the month pages whose entries changed (with the index and the feeds); \
            this renders all of them, for after a template change or to check the outputs against the \
            store. Files whose content is unchanged are left untouched.
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load(secrets: .skip)
        let refresh = Refresh(config: config)
        do {
            let store = try refresh.openStore()
            let report = try refresh.render(store: store)
            print(
                "\(report.renderedMonths.count) month pages rendered; \(report.written.count) files written to"
                    + " \(config.outputFolder.path)")
        } catch {
            throw fail(error)
        }
    }
}
