import ArgumentParser
import Fetching
import Product

@main
struct TidingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tidings",
        abstract: "Follow blogs and feeds, and publish them as one combined feed and monthly digest pages.",
        discussion: """
            Tidings reads its sources from feeds.yaml, fetches them, keeps their entries in a SQLite file, \
            and writes feed.atom, feed.rss, index.html and one digest page per month into the output folder.
            """,
        version: Product.version,
        subcommands: [
            RefreshCommand.self, RunCommand.self, StatusCommand.self, ParseCommand.self, DiscoverCommand.self,
            PreviewCommand.self, RenderCommand.self, TemplatesCommand.self, ReloadCommand.self, CheckCommand.self,
            ImportOPMLCommand.self, FiltersCommand.self, ExplainCommand.self, ReleaseCommand.self, SearchCommand.self,
        ])
}
