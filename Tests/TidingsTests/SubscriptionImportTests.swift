import Foundation
import Parsing
import TestSupport
import Testing

@testable import Tidings

/// Subscriptions from OPML added to a hand-written feeds.yaml: at the end of its sources list, in its own
/// indentation, with every other line kept, nothing configured twice, and keys made from titles.
@Suite struct SubscriptionImportTests {
    static let file = URL(fileURLWithPath: "/srv/planet/feeds.yaml")

    static let yaml = """
        # My planet. Edited by hand.
        title: Planet  # the pages' title
        sources:
            # the first ones
            -   key: ada
                url: https://ada.example/feed.xml   # moved in 2024

            -   key: notes
                url: http://notes.example/rss/

        # how the pages read
        pages:
          timezone: Europe/Berlin
        """

    func importing(_ subscriptions: [Subscription], into text: String = Self.yaml) throws -> (
        SubscriptionImport, String
    ) {
        let plan = SubscriptionImport(subscriptions, into: try Config.parse(text, file: Self.file))
        return (plan, plan.applied(to: text))
    }

    @Test func addsAtTheEndOfTheListKeepingEveryOtherLine() throws {
        let (plan, text) = try importing([
            Subscription(title: "Ada again", feedURL: "http://ada.example/feed.xml/"),
            Subscription(title: "Notes", feedURL: "https://NOTES.example/rss"),
            Subscription(title: "Bob: \"quotes\" & # hashes", feedURL: "https://bob.example/feed?x=1#y"),
            Subscription(title: "Ada", feedURL: "https://other-ada.example/feed"),
            Subscription(title: nil, feedURL: "https://www.untitled.example/feed"),
            Subscription(title: "Crème brûlée — daily", feedURL: "https://creme.example/atom"),
        ])
        #expect(plan.alreadyConfigured.map(\.feedURL) == ["http://ada.example/feed.xml/", "https://NOTES.example/rss"])
        #expect(plan.additions.map(\.key) == ["bob-quotes-hashes", "ada-2", "untitled-example", "creme-brulee-daily"])
        let original = Self.yaml.components(separatedBy: "\n")
        let lines = text.components(separatedBy: "\n")
        // Every line of the file is still there, in order; the new ones come right after the last source.
        #expect(lines.filter { original.contains($0) } == original)
        let firstNew = try #require(lines.firstIndex(of: "    - key: bob-quotes-hashes"))
        #expect(lines[firstNew - 1] == "        url: http://notes.example/rss/")
        #expect(lines[firstNew] == "    - key: bob-quotes-hashes")
        #expect(lines[firstNew + 1] == "      title: \"Bob: \\\"quotes\\\" & # hashes\"")
        #expect(lines[firstNew + 2] == "      url: \"https://bob.example/feed?x=1#y\"")
        let config = try Config.parse(text, file: Self.file)
        #expect(
            config.sources.map(\.key) == [
                "ada", "notes", "bob-quotes-hashes", "ada-2", "untitled-example", "creme-brulee-daily",
            ])
        #expect(config.sources[2].title == "Bob: \"quotes\" & # hashes")
        #expect(config.sources[2].url == "https://bob.example/feed?x=1#y")
        #expect(config.pages.timeZone.identifier == "Europe/Berlin", "the settings after the list still apply")

        // Imported again: nothing to add.
        let again = SubscriptionImport(plan.additions.map(\.subscription), into: config)
        #expect(again.additions.isEmpty)
        #expect(again.applied(to: text) == text)
    }

    @Test func aListAtTheEndOfTheFileWithoutAFinalNewline() throws {
        let text = "sources:\n- key: a\n  url: https://a.example/feed"
        let (_, updated) = try importing([Subscription(title: "B", feedURL: "https://b.example/feed")], into: text)
        #expect(
            updated
                == "sources:\n- key: a\n  url: https://a.example/feed\n- key: b\n  title: \"B\"\n  url: \"https://b.example/feed\""
        )
        #expect(try Config.parse(updated, file: Self.file).sources.map(\.key) == ["a", "b"])
    }

    @Test func keysAreLettersAndDigitsOfTheTitle() {
        #expect(SubscriptionImport.slug("Ada's Notes: on compilers!") == "ada-s-notes-on-compilers")
        #expect(SubscriptionImport.slug("日本語") == "", "no ASCII letters: the host is used instead")
        #expect(
            SubscriptionImport.key(for: Subscription(title: "日本語", feedURL: "https://nihon.example/feed"))
                == "nihon-example")
        #expect(SubscriptionImport.slug(String(repeating: "word ", count: 30)).count <= 40)
        #expect(SubscriptionImport.uniqueKey("a", among: ["a", "a-2"]) == "a-3")
    }
}
