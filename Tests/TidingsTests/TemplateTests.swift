import Foundation
import Parsing
import Publishing
import Storage
import TestSupport
import Testing

@testable import Tidings

/// The look belongs to the user: a `templates:` folder overrides the built-in templates by name; a broken
/// one is refused naming its file and line, and the pages already published stay as they were.
@Suite struct TemplateTests {
    static let feeds = """
        base_url: https://planet.example/
        templates: looks
        sources:
          - key: blog
            url: https://blog.example/feed
        """

    func site() throws -> TestSite {
        let site = try TestSite(Self.feeds.replacingOccurrences(of: "templates: looks\n", with: ""))
        _ = try site.refresh.registeredSources(in: site.store, now: Date())
        let entry = ParsedEntry(
            id: "a", title: "A <post>", link: "https://blog.example/a",
            published: Date(timeIntervalSince1970: 1_773_316_800))
        try site.store.recordSuccess(
            key: "blog", feed: ParsedFeed(metadata: FeedMetadata(title: "Blog", format: .rss20), entries: [entry]),
            validators: Validators(), status: 200)
        return site
    }

    /// The same store, now with the templates folder configured.
    func withTemplates(_ site: TestSite) throws -> Refresh {
        Refresh(config: try Config.load(from: try site.directory.write(Self.feeds, to: "feeds.yaml")))
    }

    @Test func aTemplateInTheFolderReplacesTheBuiltInOneAndAPartialMayBeAdded() throws {
        let site = try site()
        _ = try site.refresh.publish(from: site.store)
        let looks = site.directory.file("looks")
        _ = try Templates.export(to: looks, replacing: false)
        try "<p class=\"mine\">{{> signature}}</p>\n{{#days}}{{#posts}}<b>{{title}}</b>{{/posts}}{{/days}}\n"
            .write(to: looks.appendingPathComponent("month.mustache"), atomically: true, encoding: .utf8)
        try "made by hand".write(
            to: looks.appendingPathComponent("signature.mustache"), atomically: true, encoding: .utf8)
        let refresh = try withTemplates(site)
        let report = try refresh.publish(from: site.store)
        #expect(report.written.contains("2026/03/index.html"), "a template change renders every page")
        let month = try String(contentsOf: site.directory.file("output/2026/03/index.html"), encoding: .utf8)
        #expect(month == "<p class=\"mine\">made by hand</p>\n<b>A &lt;post&gt;</b>\n", "values are still escaped")
        #expect(try refresh.render(store: site.store).written.isEmpty, "rendering again writes the same bytes")
    }

    @Test func aBrokenTemplateIsRefusedNamingItsFileAndLineAndThePagesStay() throws {
        let site = try site()
        _ = try site.refresh.publish(from: site.store)
        let before = try Data(contentsOf: site.directory.file("output/2026/03/index.html"))
        let looks = site.directory.file("looks")
        try FileManager.default.createDirectory(at: looks, withIntermediateDirectories: true)
        try "<h1>{{heading}}</h1>\n{{#days}}\n<p>{{dayHeading}}</p>\n{{/posts}}\n"
            .write(to: looks.appendingPathComponent("month.mustache"), atomically: true, encoding: .utf8)
        let error = #expect(throws: PublishError.self) { try withTemplates(site).render(store: site.store) }
        let message = error?.description ?? ""
        #expect(message.contains(looks.appendingPathComponent("month.mustache").path), "\(message)")
        #expect(message.contains("line 4"), "\(message)")
        #expect(try Data(contentsOf: site.directory.file("output/2026/03/index.html")) == before)
    }

    @Test func exportWritesTheBuiltInTemplatesAndKeepsTheUsersOwn() throws {
        let directory = try TemporaryDirectory()
        let folder = directory.file("looks")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "mine".write(to: folder.appendingPathComponent("foot.mustache"), atomically: true, encoding: .utf8)
        let written = try Templates.export(to: folder, replacing: false)
        #expect(
            written.map { URL(fileURLWithPath: $0).lastPathComponent } == [
                "archive.mustache", "head.mustache", "index.mustache", "month.mustache", "monthnav.mustache",
                "sources.mustache",
            ])
        #expect(try String(contentsOf: folder.appendingPathComponent("foot.mustache"), encoding: .utf8) == "mine")
        let exported = try Templates(overriding: folder)
        #expect(exported.texts["month"] == Templates.defaults["month"])
        #expect(exported.texts["foot"] == "mine")
    }

    @Test func aMissingTemplatesFolderIsAConfigurationError() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(Self.feeds, to: "feeds.yaml")
        let error = #expect(throws: ConfigError.self) { try Config.load(from: file) }
        #expect(error?.description.contains("templates") == true)
        #expect(error?.description.contains("tidings templates export") == true)
    }
}
