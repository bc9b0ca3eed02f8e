import ArgumentParser
import Foundation
import Tidings

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say why a post is, or is not, on the planet.",
        discussion: """
            For a stored post (named by its link, its public id or its id in its feed): its source, when it was \
            first seen, its date and where it came from, its ids, the filter rule that hides it (as \
            feeds.yaml:LINE), whether it is on the front page, and where it is published. For a URL never \
            stored: the configured source on its site, what that source's last fetch found, and why a post can \
            be missed. Reads the store; writes nothing.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the facts as JSON, for scripts.")
    var json = false

    @Argument(help: "The post's link, its public id (urn:tidings:…) or its id in its feed.")
    var query: String

    func run() async throws {
        let config = try options.load(secrets: .skip)
        let explanation: Explanation
        do {
            explanation = try Explanation.explain(query, config: config)
        } catch {
            throw fail(error)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(explanation), as: UTF8.self))
            return
        }
        for (index, post) in explanation.posts.enumerated() {
            if index > 0 { print("") }
            print(Self.lines(post))
        }
        if let facts = explanation.notStored {
            print("\(query) is not stored.")
            print(Self.lines(facts))
        }
    }

    static func lines(_ facts: [Explanation.Fact]) -> String {
        let width = facts.map(\.label.count).max() ?? 0
        return facts.map { $0.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.text }
            .joined(separator: "\n")
    }
}
