import ArgumentParser
import Fetching
import Foundation
import Parsing

struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Show what the parser makes of one feed or page.",
        discussion: """
            Reads a local file or fetches a URL, parses it exactly as a refresh would, and prints the feed and \
            its entries. Use it to find out why a feed looks wrong. With --json the output has a fixed shape, \
            for scripts and conformance checks. A document that cannot be parsed exits 1 with the reason.
            """)

    @Argument(help: ArgumentHelp("A file path, or an http(s) URL to fetch.", valueName: "file-or-url"))
    var source: String

    @Option(
        help: ArgumentHelp("Resolve relative links against this URL instead of the document's own.", valueName: "url"))
    var baseURL: String?

    @Option(help: ArgumentHelp("The Content-Type the server would send, for its charset.", valueName: "type"))
    var contentType: String?

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let (bytes, documentURL, serverType) = try await load()
        do {
            let feed = try FeedParser().parse(
                bytes, url: baseURL ?? documentURL, contentType: contentType ?? serverType)
            print(json ? feed.jsonText : Self.text(feed), terminator: json ? "" : "\n")
        } catch {
            throw fail("\(source): \(error.description)")
        }
    }

    private func load() async throws -> ([UInt8], String, String?) {
        let lowered = source.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
            let url = URL(fileURLWithPath: source)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw fail("\(source): no such file")
            }
            return (Array(data), url.absoluteString, nil)
        }
        let result = await Fetcher().fetch(FetchRequest(key: "parse", url: source))
        switch result.outcome {
        case .fetched(let body): return (body, result.finalURL, result.contentType)
        case .notModified: throw fail("\(source): the server answered 304 Not Modified to an unconditional request")
        case .failed(let error): throw fail(error)
        }
    }

    static func text(_ feed: ParsedFeed) -> String {
        var lines = [
            "\(feed.metadata.title ?? "(no title)") [\(feed.metadata.format.rawValue)]",
            feed.metadata.link ?? "(no link)",
            "\(feed.entries.count) entries",
        ]
        for entry in feed.entries {
            let date = entry.published.map { ISO8601DateFormatter().string(from: $0) } ?? "no date"
            lines.append("")
            lines.append("- \(entry.title ?? "(untitled)")")
            lines.append("  \(entry.link ?? "(no link)")")
            lines.append("  \(date) · \(entry.wordCount) words · id \(entry.id)")
        }
        if let encoding = feed.encoding { lines.append("encoding: \(encoding)") }
        for warning in feed.warnings { lines.append("warning: \(warning)") }
        return lines.joined(separator: "\n")
    }
}
