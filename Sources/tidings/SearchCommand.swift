import ArgumentParser
import Foundation
import Storage
import Tidings
import Time

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find stored posts by their words.",
        discussion: """
            Searches the titles, authors, categories, summaries and texts of every stored post the planet \
            shows (not those the filters hide), best match first: a word in a title counts more than one in \
            the text. Words must all match; "exact phrases" in quotes; -word or -"a phrase" excludes; \
            source:KEY keeps one source; after:2026-03 and before:2026-04-15 (also a year) bound the date, \
            in UTC. Accents need not be typed (cafe finds café); Chinese, Japanese and Korean are found by \
            words of two characters or more. Reads the store; writes nothing.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "At most this many results.")
    var limit = 20

    @Flag(help: "Print the results as JSON, for scripts.")
    var json = false

    // Unrecognised words are search words too, so that `-word` excludes rather than being taken for an option.
    @Argument(parsing: .allUnrecognized, help: "What to look for (several words, or one quoted argument).")
    var words: [String]

    func run() async throws {
        let configFile = URL(fileURLWithPath: options.file)
        let database = try Config.databaseFile(quicklyFrom: configFile) ?? options.load(secrets: .skip).databaseFile
        let text = words.joined(separator: " ")
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("give words to look for") }
        let results: [SearchResult]
        let pending: Int
        do {
            let query = try SearchQuery(text)
            let reader = try StoreReader(path: database.path)
            results = try reader.search(query, limit: limit)
            pending = reader.searchPending()
        } catch {
            throw fail(error)
        }
        if pending > 0 {
            FileHandle.standardError.write(
                Data("tidings: \(pending) stored posts are not in the search index yet (each publish indexes them)\n".utf8))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(results.map(Found.init)), as: UTF8.self))
            return
        }
        if results.isEmpty { print("No stored post matches \(text).") }
        for (number, result) in results.enumerated() {
            if number > 0 { print("") }
            print("\(number + 1). \(result.title ?? "(untitled)")")
            print("   \(result.sourceTitle) (\(result.sourceKey)), \(Timestamp.rfc3339(result.date).prefix(10))")
            if let link = result.link { print("   \(link)") }
            if !result.snippet.isEmpty { print("   \(result.snippet)") }
        }
    }

    /// One result as JSON.
    struct Found: Encodable {
        var id: String
        var title: String?
        var source: String
        var sourceTitle: String
        var date: String
        var link: String?
        var snippet: String

        init(_ result: SearchResult) {
            id = result.publicID
            title = result.title
            source = result.sourceKey
            sourceTitle = result.sourceTitle
            date = Timestamp.rfc3339(result.date)
            link = result.link
            snippet = result.snippet
        }
    }
}
