import Foundation
import Parsing
import Publishing
import Storage
import TestSupport
import Testing
import XML

/// Every feed a subscriber can take: the combined feed in three formats, each source's own, the digest,
/// and the OPML; read back with libxml2 (and Foundation's JSON parser for JSON Feed) field by field.
@Suite struct FeedOutputsTests {
    let directory: TemporaryDirectory
    let store: Store
    let site = Site(title: "Planet", baseURL: "https://planet.example/", maxEntries: 10, pageSourceKeys: ["page"])
    let publisher: Publisher
    static let march12 = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12T12:00:00Z
    static let ns = ["a": "http://www.w3.org/2005/Atom"]

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("db.sqlite").path)
        publisher = Publisher(site: site, folder: directory.file("out"))
        try store.register([
            SourceDefinition(key: "cast", url: "https://cast.example/feed.xml", title: "A Podcast"),
            SourceDefinition(key: "page", url: "https://page.example/news.html", title: "A Page"),
            SourceDefinition(key: "local", url: "file:///home/someone/notes.xml", title: "Local Notes"),
        ])
        let episode = ParsedEntry(
            id: "ep1", title: "Episode 1", link: "https://cast.example/1", published: Self.march12, author: "Host",
            summary: "<p>Show notes</p>", content: "<p>Full <b>notes</b></p>", categories: ["audio"],
            enclosures: [
                Enclosure(url: "https://cast.example/cover.jpg", type: "image/jpeg", length: 2000),
                Enclosure(url: "https://cast.example/1.mp3", type: "audio/mpeg", length: 12_345_678),
            ], wordCount: 2, excerpt: "Show notes")
        try store.recordSuccess(
            key: "cast", feed: ParsedFeed(metadata: FeedMetadata(title: "Cast", format: .rss20), entries: [episode]),
            validators: Validators(), status: 200)
        let news = ParsedEntry(
            id: "n1", title: nil, link: "https://page.example/n1", published: Self.march12.addingTimeInterval(60),
            summary: "<p>Town meeting moved to Thursday evening at the old hall</p>", wordCount: 10,
            excerpt: "Town meeting moved to Thursday evening at the old hall")
        try store.recordSuccess(
            key: "page", feed: ParsedFeed(metadata: FeedMetadata(title: "Page", format: .html), entries: [news]),
            validators: Validators(), status: 200)
        let note = ParsedEntry(
            id: "l1", title: "Note", link: "file:///home/someone/l1.html", published: Self.march12, wordCount: 1)
        try store.recordSuccess(
            key: "local", feed: ParsedFeed(metadata: FeedMetadata(title: "Local", format: .rss20), entries: [note]),
            validators: Validators(), status: 200)
    }

    func text(_ path: String) throws -> String {
        try String(contentsOf: directory.file("out/" + path), encoding: .utf8)
    }

    func xml(_ path: String) throws -> Document {
        let document = try Document.xml(Array(try Data(contentsOf: directory.file("out/" + path))))
        #expect(document.warnings.isEmpty, "\(path): \(document.warnings)")
        return document
    }

    func json(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.file("out/" + path))) as? [String: Any])
    }

    @Test func enclosuresReachEveryFormat() throws {
        try publisher.publish(from: store, now: Self.march12)
        let atom = try xml("feed.atom")
        let entry = try #require(
            try atom.evaluate("/a:feed/a:entry[a:title='Episode 1']", namespaces: Self.ns).nodes.first)
        let links = try atom.evaluate("a:link[@rel='enclosure']/@href", context: entry, namespaces: Self.ns).nodes
        #expect(links.map(\.text) == ["https://cast.example/cover.jpg", "https://cast.example/1.mp3"])
        #expect(
            try atom.evaluate("string(a:link[@rel='enclosure'][2]/@length)", context: entry, namespaces: Self.ns).string
                == "12345678")

        let rss = try xml("feed.rss")
        let item = try #require(try rss.evaluate("/rss/channel/item[title='Episode 1']").nodes.first)
        #expect(try rss.evaluate("count(enclosure)", context: item).string == "1.0", "RSS allows one")
        #expect(
            try rss.evaluate("string(enclosure/@url)", context: item).string == "https://cast.example/1.mp3",
            "the audio, not the cover")
        #expect(try rss.evaluate("string(enclosure/@type)", context: item).string == "audio/mpeg")

        let feed = try json("feed.json")
        #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
        let items = try #require(feed["items"] as? [[String: Any]])
        let episode = try #require(items.first { $0["title"] as? String == "Episode 1" })
        let attachments = try #require(episode["attachments"] as? [[String: Any]])
        #expect(attachments.map { $0["mime_type"] as? String } == ["image/jpeg", "audio/mpeg"])
        #expect(attachments.last?["size_in_bytes"] as? Int == 12_345_678)
        #expect(episode["content_html"] as? String == "<p>Full <b>notes</b></p>")
        #expect(episode["summary"] as? String == "Show notes")
        #expect((episode["authors"] as? [[String: Any]])?.first?["name"] as? String == "Host (A Podcast)")
        #expect(episode["date_published"] as? String == "2026-03-12T12:00:00Z")
        #expect(episode["tags"] as? [String] == ["audio"])
        let source = (episode["_tidings"] as? [String: Any])?["source"] as? [String: Any]
        #expect(
            source?["key"] as? String == "cast" && source?["feed_url"] as? String == "https://cast.example/feed.xml")
    }

    @Test func theSameIdsInEveryFormat() throws {
        try publisher.publish(from: store, now: Self.march12)
        let atomIDs = try xml("feed.atom").evaluate("/a:feed/a:entry/a:id", namespaces: Self.ns).nodes.map(\.text)
        let rssIDs = try xml("feed.rss").evaluate("/rss/channel/item/guid").nodes.map(\.text)
        let jsonIDs = try #require(try json("feed.json")["items"] as? [[String: Any]]).map { $0["id"] as? String ?? "" }
        #expect(atomIDs.count == 3 && atomIDs == rssIDs && rssIDs == jsonIDs)
        #expect(Set(atomIDs).count == 3)
    }

    @Test func eachSourceHasItsOwnFeed() throws {
        try publisher.publish(from: store, now: Self.march12)
        let cast = try xml("sources/cast.atom")
        #expect(try cast.evaluate("string(/a:feed/a:title)", namespaces: Self.ns).string == "A Podcast")
        #expect(try cast.evaluate("count(/a:feed/a:entry)", namespaces: Self.ns).string == "1.0")
        #expect(
            try cast.evaluate("string(/a:feed/a:link[@rel='self']/@href)", namespaces: Self.ns).string
                == "https://planet.example/sources/cast.atom")
        // A page read through rules has no feed of its own: Tidings' is its feed, and a title-less post is
        // named by its first words.
        let page = try xml("sources/page.rss")
        #expect(
            try page.evaluate("string(/rss/channel/item/source/@url)").string
                == "https://planet.example/sources/page.atom")
        #expect(try page.evaluate("string(/rss/channel/item/title)").string?.hasPrefix("Town meeting moved to") == true)
        #expect(try json("sources/page.json")["title"] as? String == "A Page")
    }

    @Test func noLocalPathIsPublished() throws {
        try publisher.publish(from: store, now: Self.march12)
        for path in [
            "feed.atom", "feed.rss", "feed.json", "sources/local.atom", "sources/local.rss", "sources/local.json",
            "sources.opml", "digest.atom", "index.html", "2026/03/index.html",
        ] {
            let contents = try text(path)
            #expect(!contents.contains("file:") && !contents.contains("/home/someone"), "\(path)")
        }
        let opml = try xml("sources.opml")
        #expect(
            try opml.evaluate("string(//outline[@text='Local Notes']/@xmlUrl)").string
                == "https://planet.example/sources/local.atom")
    }

    @Test func theOPMLListsEverySourceWithItsFeed() throws {
        try publisher.publish(from: store, now: Self.march12)
        let opml = try xml("sources.opml")
        #expect(try opml.evaluate("string(/opml/@version)").string == "2.0")
        let outlines = try opml.evaluate("/opml/body/outline").nodes
        #expect(outlines.count == 3)
        #expect(
            try opml.evaluate("string(//outline[@text='A Podcast']/@xmlUrl)").string == "https://cast.example/feed.xml")
        #expect(
            try opml.evaluate("string(//outline[@text='A Page']/@xmlUrl)").string
                == "https://planet.example/sources/page.atom")
    }

    @Test func theDigestHasOneEntryPerMonthLinkingToItsPage() throws {
        try publisher.publish(from: store, now: Date(timeIntervalSince1970: 1_776_000_000))  // April 2026
        let digest = try xml("digest.atom")
        let entries = try digest.evaluate("/a:feed/a:entry", namespaces: Self.ns).nodes
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(
            try digest.evaluate("string(a:title)", context: entry, namespaces: Self.ns).string == "March 2026: 3 posts")
        #expect(
            try digest.evaluate("string(a:id)", context: entry, namespaces: Self.ns).string
                == "https://planet.example/2026/03/index.html")
        #expect(
            try digest.evaluate("string(a:published)", context: entry, namespaces: Self.ns).string
                == "2026-04-01T00:00:00Z", "a finished month is published when it ends")
        let content = try digest.evaluate("string(a:content)", context: entry, namespaces: Self.ns).string ?? ""
        #expect(content.contains("Episode 1") && content.contains("https://cast.example/1"))
        // During the month itself, the entry is the month so far.
        try publisher.publish(from: store, now: Self.march12)
        #expect(
            try xml("digest.rss").evaluate("string(/rss/channel/item/title)").string == "March 2026 so far: 3 posts")
    }

    @Test func atomAndRSSPointBrowsersAtTheStylesheet() throws {
        try publisher.publish(from: store, now: Self.march12)
        #expect(try text("feed.atom").contains("<?xml-stylesheet type=\"text/xsl\" href=\"feed.xsl\"?>"))
        #expect(try text("sources/cast.rss").contains("<?xml-stylesheet type=\"text/xsl\" href=\"../feed.xsl\"?>"))
        let stylesheet = try xml("feed.xsl")
        #expect(
            try stylesheet.evaluate(
                "count(/xsl:stylesheet/xsl:template)", namespaces: ["xsl": "http://www.w3.org/1999/XSL/Transform"]
            ).string == "1.0")
        #expect(!(try text("feed.xsl").contains("disable-output-escaping")), "no post HTML reaches the page")
    }

    @Test func entriesSharingATimeGetDistinctUpdatesInAtom() throws {
        let twins = (1...3).map {
            ParsedEntry(id: "t\($0)", title: "Twin \($0)", link: "https://cast.example/t\($0)", published: Self.march12)
        }
        try store.recordSuccess(
            key: "cast", feed: ParsedFeed(metadata: FeedMetadata(title: "Cast", format: .rss20), entries: twins),
            validators: Validators(), status: 200)
        try publisher.publish(from: store, now: Self.march12)
        let updates = try xml("sources/cast.atom").evaluate("/a:feed/a:entry/a:updated", namespaces: Self.ns).nodes
            .map(\.text)
        #expect(updates.count == 4 && Set(updates).count == 4, "\(updates)")
        #expect(updates.contains("2026-03-12T12:00:00Z"))
    }

    @Test func aRemovedSourceLosesItsFeeds() throws {
        try publisher.publish(from: store, now: Self.march12)
        #expect(FileManager.default.fileExists(atPath: directory.file("out/sources/page.json").path))
        try Data("mine".utf8).write(to: directory.file("out/sources/README.txt"))
        try store.register([
            SourceDefinition(key: "cast", url: "https://cast.example/feed.xml", title: "A Podcast"),
            SourceDefinition(key: "local", url: "file:///home/someone/notes.xml", title: "Local Notes"),
        ])
        let report = try publisher.publish(from: store, now: Self.march12)
        #expect(Set(report.removed) == ["sources/page.atom", "sources/page.rss", "sources/page.json"])
        #expect(!FileManager.default.fileExists(atPath: directory.file("out/sources/page.json").path))
        #expect(FileManager.default.fileExists(atPath: directory.file("out/sources/README.txt").path))
        #expect(try xml("sources.opml").evaluate("count(//outline)").string == "2.0")
    }

    @Test func jsonFeedStringsSurviveEveryCharacter() throws {
        let title = "Quotes \" back\\slash \u{1} bell \u{7} tab\t line\u{2028}sep é 日本 🐟 </script>"
        let odd = ParsedEntry(
            id: "odd", title: title, link: "https://cast.example/odd", published: Self.march12.addingTimeInterval(1),
            summary: "<p>\(title)</p>", wordCount: 1)
        try store.recordSuccess(
            key: "cast", feed: ParsedFeed(metadata: FeedMetadata(title: "Cast", format: .rss20), entries: [odd]),
            validators: Validators(), status: 200)
        try publisher.publish(from: store, now: Self.march12)
        let items = try #require(try json("sources/cast.json")["items"] as? [[String: Any]])
        let stored = try #require(
            try StoreReader(path: store.path).latestEntries(ofSource: "cast", limit: 10).first { $0.entryID == "odd" })
        #expect(items.first { $0["id"] as? String == stored.publicID }?["title"] as? String == stored.title)
        #expect(stored.title?.contains("🐟") == true)
    }

    /// A source's feeds rendered while the refresh ran are published as they are when its entries have not
    /// changed since, and rendered again when they have; no temporary file is left either way.
    @Test func feedsRenderedBeforehandAreTakenOnlyWhileCurrent() throws {
        let out = directory.file("out")
        let current = FeedPrestager(site: site, folder: out, storePath: store.path)
        current.stage("cast")
        current.wait()
        let staged = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("sources").path)
        #expect(staged.filter { $0.hasPrefix(".cast.") && $0.hasSuffix(".tmp") }.count == 3, "written while refreshing")
        let first = try publisher.publish(from: store, prestaged: current, now: Self.march12)
        #expect(first.written.contains("sources/cast.atom") && first.written.contains("sources/cast.json"))
        #expect(try xml("sources/cast.atom").evaluate("count(/a:feed/a:entry)", namespaces: Self.ns).string == "1.0")

        let stale = FeedPrestager(site: site, folder: out, storePath: store.path)
        stale.stage("cast")
        stale.wait()
        let late = ParsedEntry(id: "ep2", title: "Episode 2", link: "https://cast.example/2", published: Self.march12)
        try store.recordSuccess(
            key: "cast", feed: ParsedFeed(metadata: FeedMetadata(title: "Cast", format: .rss20), entries: [late]),
            validators: Validators(), status: 200)
        try publisher.publish(from: store, prestaged: stale, now: Self.march12)
        let titles = try xml("sources/cast.atom").evaluate("/a:feed/a:entry/a:title", namespaces: Self.ns).nodes
        #expect(titles.map(\.text).contains("Episode 2"), "the feed rendered before the change is not used")
        let leftovers = FileManager.default.enumerator(atPath: out.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".tmp") }
        #expect(leftovers == [])
    }
}
