import ArgumentParser
import Fetching
import Foundation
import Parsing
import Tidings

struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show the items a source yields right now, and where each field came from.",
        discussion: """
            Fetches one source of feeds.yaml (or --url with rules given here) and prints every item with its \
            title, link and date, naming the rule (or the default, or the place a date was found) behind each. \
            Nothing is stored. Use it to write html: rules without guessing: a rule that matches nothing is \
            reported as a warning naming it. Selectors are CSS; write raw XPath as 'xpath: …'.
            """)

    @Argument(help: ArgumentHelp("The key of a source in feeds.yaml.", valueName: "source-key"))
    var key: String?

    @OptionGroup var configOptions: ConfigOptions

    @Option(help: ArgumentHelp("Preview this page or feed instead of a configured source.", valueName: "url"))
    var url: String?

    @Option(help: ArgumentHelp("With --url: the selector matching one element per post.", valueName: "selector"))
    var item: String?

    @Option(help: ArgumentHelp("With --url: the title rule (repeat for fallbacks).", valueName: "selector"))
    var title: [String] = []

    @Option(help: ArgumentHelp("With --url: the link rule, e.g. 'h2 a@href'.", valueName: "selector"))
    var link: [String] = []

    @Option(help: ArgumentHelp("With --url: the summary rule.", valueName: "selector"))
    var summary: [String] = []

    @Option(help: ArgumentHelp("With --url: the date rule, e.g. 'preceding: h2.day'.", valueName: "selector"))
    var date: [String] = []

    @Option(help: ArgumentHelp("With --url: a date pattern such as 'd MMMM yyyy'.", valueName: "pattern"))
    var dateFormat: String?

    func validate() throws {
        guard (key == nil) != (url == nil) else {
            throw ValidationError("give either a source key or --url")
        }
        if url == nil, item != nil || !title.isEmpty || !link.isEmpty || !summary.isEmpty || !date.isEmpty {
            throw ValidationError("rules on the command line go with --url; a source's rules are in feeds.yaml")
        }
    }

    func run() async throws {
        let (address, rules, options, allowsFiles) = try target()
        let result = await Fetcher().fetch(FetchRequest(key: "preview", url: address, allowsFileScheme: allowsFiles))
        guard case .fetched(let body) = result.outcome else {
            if case .failed(let error) = result.outcome { throw fail(error) }
            throw fail("\(address): the server answered 304 Not Modified to an unconditional request")
        }
        do {
            let feed = try FeedParser(options: options).parse(
                body, url: result.finalURL, contentType: result.contentType, rules: rules)
            print(Self.text(feed))
        } catch {
            throw fail("\(address): \(error.description)")
        }
    }

    private func target() throws -> (String, ExtractionRules?, ParserOptions, Bool) {
        if var url {
            // A path or file: URL on the user's own command line may be read, as `parse` does.
            let lowered = url.lowercased()
            let isRemote = lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
            if !isRemote, !lowered.hasPrefix("file:") { url = URL(fileURLWithPath: url).absoluteString }
            guard let item else { return (url, nil, ParserOptions(), !isRemote) }
            do {
                var rules = ExtractionRules(item: try PageSelector(item, scope: .page))
                rules.title = try title.map { try PageSelector($0) }
                rules.link = try link.map { try PageSelector($0) }
                rules.summary = try summary.map { try PageSelector($0) }
                rules.date = try date.map { try PageSelector($0) }
                rules.dateFormat = dateFormat
                return (url, rules, ParserOptions(), !isRemote)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let config = try configOptions.load(secrets: .read)
        guard let source = config.sources.first(where: { $0.key == key }) else {
            let keys = config.sources.map(\.key).joined(separator: ", ")
            throw fail("no source '\(key ?? "")' in \(configOptions.file); its sources are: \(keys)")
        }
        return (source.url, source.html, source.parser, source.isLocalFile)
    }

    static func text(_ feed: ParsedFeed) -> String {
        var lines = [
            "\(feed.metadata.title ?? "(no title)") [\(feed.metadata.format.rawValue)]: \(feed.entries.count) items"
        ]
        for (index, entry) in feed.entries.enumerated() {
            lines.append("")
            lines.append("\(index + 1). \(entry.title ?? "(untitled)")")
            lines.append("   link: \(entry.link ?? "none")" + origin("link", of: entry))
            let date = entry.published.map { ISO8601DateFormatter().string(from: $0) }
            lines.append(
                "   date: \(date ?? "none: the time it is first seen")" + (date == nil ? "" : origin("date", of: entry))
            )
            for field in ["title", "summary", "content", "author", "image", "categories", "id"] {
                if let found = entry.origins[field] { lines.append("   \(field) from \(found)") }
            }
        }
        for warning in feed.warnings { lines.append("warning: \(warning)") }
        return lines.joined(separator: "\n")
    }

    private static func origin(_ field: String, of entry: ParsedEntry) -> String {
        entry.origins[field].map { "  (from \($0))" } ?? ""
    }
}
