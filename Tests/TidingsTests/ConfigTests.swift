import Foundation
import Parsing
import TestSupport
import Testing
import Tidings

@Suite struct ConfigTests {
    static let fixtures = Fixtures()

    /// Each broken configuration is refused with the message in the `.expected` file beside it,
    /// where `{file}` stands for the configuration's path and `{folder}` for its folder.
    @Test(arguments: fixtures.names(withExtension: "yaml", in: "bad-configs"))
    func refusesABrokenConfiguration(_ name: String) throws {
        let file = Self.fixtures.url(name)
        let expectedFile = Self.fixtures.url(String(name.dropLast(5)) + ".expected")
        let error = #expect(throws: ConfigError.self) { try Config.load(from: file) }
        let message =
            error?.description.replacingOccurrences(of: file.path, with: "{file}").replacingOccurrences(
                of: file.deletingLastPathComponent().path, with: "{folder}") ?? ""
        if Fixtures.isRecording {
            try (message + "\n").write(to: expectedFile, atomically: true, encoding: .utf8)
            Issue.record("recorded \(expectedFile.lastPathComponent)")
            return
        }
        let expected = try String(contentsOf: expectedFile, encoding: .utf8)
        #expect(message + "\n" == expected)
    }

    @Test func appliesDefaultsAndResolvesPathsAgainstTheConfigFolder() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            """
            sources:
              - key: remote
                url: https://blog.example/feed.xml
              - key: local
                title: Local page
                url: file:pages/index.html
                html:
                  item: article
                  title: [h2 a, "xpath: .//h3"]
                  date: "preceding: h2.day"
                  date_format: d MMMM yyyy
                  id: link
              - key: bare-path
                url: feeds/atom.xml
            """, to: "site/feeds.yaml")
        let config = try Config.load(from: file)
        let folder = directory.file("site").standardizedFileURL
        #expect(config.title == "Tidings")
        #expect(config.baseURL == "http://localhost/")
        #expect(config.outputFolder == folder.appendingPathComponent("output"))
        #expect(config.databaseFile == folder.appendingPathComponent("tidings.sqlite"))
        #expect(config.pollInterval == .seconds(1800))
        #expect(config.maxEntries == 50)
        #expect(config.retention == nil)
        #expect(config.healthAfter == .seconds(86_400))
        #expect(config.sources.map(\.key) == ["remote", "local", "bare-path"])
        #expect(config.sources[0].url == "https://blog.example/feed.xml")
        #expect(config.sources[1].url == folder.appendingPathComponent("pages/index.html").absoluteString)
        #expect(config.sources[1].isLocalFile)
        let rules = try #require(config.sources[1].html)
        #expect(rules.item.xpath == "/descendant::article")
        #expect(rules.title.map(\.text) == ["h2 a", "xpath: .//h3"])
        #expect(rules.title.map(\.xpath) == ["descendant::h2/descendant::a", ".//h3"])
        #expect(
            rules.date.map(\.xpath) == [
                "(preceding::h2[contains(concat(' ', normalize-space(@class), ' '), ' day ')])[last()]"
            ])
        #expect(rules.dateFormat == "d MMMM yyyy")
        #expect(rules.id == .link)
        #expect(config.sources[2].url == folder.appendingPathComponent("feeds/atom.xml").absoluteString)
    }

    @Test func readsEverySiteSetting() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            """
            title: My Reading
            base_url: https://me.example/reading
            output: /srv/tidings/www
            database: state/db.sqlite
            poll_interval: 1h30m
            max_entries: 20
            retention: 365d
            health_after: 6h
            pages:
              summary_length: 120
              search: false
            sources:
              - key: a
                url: https://a.example/feed
            """, to: "feeds.yaml")
        let config = try Config.load(from: file)
        #expect(config.pages.summaryLength == 120)
        #expect(config.pages.search == false)
        #expect(try Config.load(from: directory.write("sources:\n  - key: a\n    url: https://a.example/feed\n", to: "other.yaml")).pages.search, "on by default")
        #expect(config.healthAfter == .seconds(6 * 3600))
        #expect(config.title == "My Reading")
        #expect(config.baseURL == "https://me.example/reading/")
        #expect(config.outputFolder.path == "/srv/tidings/www")
        #expect(config.databaseFile == directory.url.standardizedFileURL.appendingPathComponent("state/db.sqlite"))
        #expect(config.pollInterval == .seconds(5400))
        #expect(config.maxEntries == 20)
        #expect(config.retention == .seconds(365 * 86_400))
    }

    @Test func anUnsetBaseURLIsAWarningNamingTheSetting() throws {
        let directory = try TemporaryDirectory()
        let unset = try Config.load(
            from: try directory.write("sources:\n  - key: a\n    url: https://a.example/feed\n", to: "unset.yaml"))
        #expect(unset.warnings.count == 1)
        #expect(unset.warnings.first?.contains("base_url is not set") == true)
        #expect(unset.warnings.first?.contains("unset.yaml") == true)
        let set = try Config.load(
            from: try directory.write(
                "base_url: https://planet.example/\nsources:\n  - key: a\n    url: https://a.example/feed\n",
                to: "set.yaml"))
        #expect(set.warnings.isEmpty)
    }

    @Test func namesAMissingFile() {
        let error = #expect(throws: ConfigError.self) {
            try Config.load(from: URL(fileURLWithPath: "/nonexistent/feeds.yaml"))
        }
        #expect(error?.description == "/nonexistent/feeds.yaml: cannot read the configuration: no such file")
    }

    @Test func theDefaultConfigurationLoads() throws {
        let config = try Config.load(from: Fixtures.packageRoot().appendingPathComponent("feeds.yaml"))
        #expect(config.sources.count >= 4)
        #expect(config.sources.allSatisfy { $0.isLocalFile }, "the bundled examples work offline")
    }
}

extension ConfigTests {
    @Test func readsPerSourceParsingSettings() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            """
            sources:
              - key: berlin
                url: https://berlin.example/feed
                timezone: Europe/Berlin
                encoding: windows-1252
                future_dates: keep
                id_from: title+link
              - key: offset
                url: https://offset.example/feed
                timezone: "+05:30"
              - key: plain
                url: https://plain.example/feed
            """, to: "feeds.yaml")
        let sources = try Config.load(from: file).sources
        #expect(sources[0].parser.naiveTimeZone?.identifier == "Europe/Berlin")
        #expect(sources[0].parser.encoding == "windows-1252")
        #expect(sources[0].parser.futureDates == .keep)
        #expect(sources[0].parser.idSource == .titleAndLink)
        #expect(sources[1].parser.naiveTimeZone?.secondsFromGMT() == 19_800)
        #expect(sources[2].parser == ParserOptions())
    }
}

extension ConfigTests {
    /// A configuration far beyond any planet is refused by its size before it is read (its YAML tree would
    /// take twenty times that in memory).
    @Test func aHugeConfigurationIsRefusedByItsSizeBeforeItIsRead() throws {
        let directory = try TemporaryDirectory()
        let line = "  - key: k\n    url: https://blog.example/feed.xml\n"
        let text = "sources:\n" + String(repeating: line, count: Config.largestFile / line.utf8.count + 1)
        let file = try directory.write(text, to: "feeds.yaml")
        let error = #expect(throws: ConfigError.self) { try Config.load(from: file) }
        #expect(error?.description.contains("it is 8 MB; a configuration is read whole") == true, "\(String(describing: error))")
    }

    /// Far more sources than Tidings is measured with are read, with a warning naming how many.
    @Test func farMoreSourcesThanMeasuredIsAWarning() throws {
        let count = Config.measuredSources * 2 + 1
        let text =
            "base_url: https://p.example/\nsources:\n"
            + (0..<count).map { "  - key: s\($0)\n    url: https://blog\($0).example/feed.xml\n" }.joined()
        let config = try Config.parse(text, file: URL(fileURLWithPath: "/srv/planet/feeds.yaml"))
        #expect(config.sources.count == count)
        #expect(config.warnings.count == 1)
        #expect(config.warnings.first?.contains("\(count) sources; Tidings is built and measured for up to 10000") == true)
    }
}

extension ConfigTests {
    /// `tidings search` reads only the `database:` line; where it can, it finds what the whole reading finds,
    /// and where it cannot be sure it leaves the decision to the whole reading.
    @Test(arguments: [
        ("database: store.sqlite\nsources:\n  - key: a\n    url: https://a.example/f\n", true),
        ("sources:\n  - key: a\n    url: https://a.example/f\ndatabase: \"data/s.sqlite\"  # the store\n", true),
        ("database: 'with space.sqlite'\r\nsources:\r\n  - key: a\r\n    url: https://a.example/f\r\n", true),
        ("sources:\n  - key: a\n    url: https://a.example/f\n", false),
        ("{database: x.sqlite, sources: [{key: a, url: 'https://a.example/f'}]}\n", false),
        ("database: \"a\\\"b.sqlite\"\nsources:\n  - key: a\n    url: https://a.example/f\n", false),
    ])
    func theDatabaseLineAloneSaysWhatTheWholeFileSays(_ yaml: String, _ quick: Bool) throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(yaml, to: "feeds.yaml")
        let found = Config.databaseFile(quicklyFrom: file)
        #expect((found != nil) == quick)
        if let found { #expect(found == (try Config.load(from: file)).databaseFile) }
    }
}
