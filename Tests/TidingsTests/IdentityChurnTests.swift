import Foundation
import Storage
import TestSupport
import Testing

@testable import Tidings

/// A post is published once, under one id, forever: whatever a publisher churns between two fetches
/// (scheme, host, slashes, trackers, GUIDs, order, siblings sharing a GUID), the ids in `feed.atom` stay
/// the same and every post appears once.
@Suite struct IdentityChurnTests {
    struct Item {
        var guid: String?
        var link: String
        var title: String
        var day = 10
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// The documents the feed serves, one per refresh.
        var documents: [[Item]]
        var settings = ""
        var testDescription: String { name }
    }

    /// Posts 1 to 4, titled "Post N" and dated the Nth, with links (and GUIDs) made from N.
    static func posts(link: (Int) -> String, guid: ((Int) -> String)? = nil) -> [Item] {
        (1...4).map { Item(guid: guid?($0), link: link($0), title: "Post \($0)", day: $0) }
    }

    /// Posts that all carry the GUID "same", one per title, each linking to its own page, in this order.
    static func sharingAGUID(_ titles: String...) -> [Item] {
        titles.map { Item(guid: "same", link: "https://blog.example/\($0.lowercased())", title: $0) }
    }

    static func path(_ n: Int) -> String { "https://blog.example/posts/\(n)" }

    static let cases: [Case] = [
        Case(
            name: "http to https",
            documents: [posts { "http://blog.example/posts/\($0)" }, posts(link: path)]),
        Case(
            name: "www. added",
            documents: [posts(link: path), posts { "https://www.blog.example/posts/\($0)" }]),
        Case(
            name: "trailing slash",
            documents: [posts(link: path), posts { path($0) + "/" }]),
        Case(
            name: "trackers added and removed",
            documents: [
                posts(link: path), posts { path($0) + "?utm_source=rss&amp;utm_medium=feed&amp;fbclid=x" },
                posts(link: path),
            ]),
        Case(
            name: "GUIDs rebuilt",
            documents: [
                posts(link: path, guid: { "tag:blog.example,2026:\($0)" }), posts(link: path, guid: path),
            ]),
        Case(
            name: "GUID-less items reordered",
            documents: [posts(link: path), posts(link: path).reversed()]),
        Case(
            name: "shared GUIDs reordered",
            documents: [sharingAGUID("A", "B"), sharingAGUID("B", "A")]),
        Case(
            name: "a shared GUID gains a second and a third post",
            documents: [sharingAGUID("A"), sharingAGUID("B", "A"), sharingAGUID("C", "B", "A")]),
        Case(
            name: "an entry removed and restored",
            documents: [
                posts(link: path, guid: { "g\($0)" }),
                posts(link: path, guid: { "g\($0)" }).filter { $0.title != "Post 2" },
                posts(link: path, guid: { "g\($0)" }),
            ]),
        Case(
            name: "id_from: link with GUIDs that change on every fetch",
            documents: [
                posts(link: path, guid: { "random-a-\($0)" }), posts(link: path, guid: { "random-b-\($0)" }),
            ], settings: "    id_from: link\n"),
    ]

    static func rss(_ items: [Item]) -> String {
        let body = items.map { item in
            "<item><title>\(item.title)</title><link>\(item.link)</link>"
                + (item.guid.map { "<guid isPermaLink=\"false\">\($0)</guid>" } ?? "")
                + "<pubDate>\(String(format: "%02d", item.day)) Mar 2026 10:00:00 GMT</pubDate></item>"
        }
        return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Blog</title>"
            + "<link>https://blog.example/</link>\(body.joined())</channel></rss>"
    }

    /// The published Atom ids by entry title, and how often each title appears.
    static func publishedIDs(in site: TestSite) throws -> (ids: [String: String], counts: [String: Int]) {
        let atom = try String(contentsOf: site.directory.file("output/feed.atom"), encoding: .utf8)
        var ids: [String: String] = [:]
        var counts: [String: Int] = [:]
        for entry in atom.components(separatedBy: "<entry>").dropFirst() {
            guard let title = Self.between(entry, "<title type=\"text\">", "</title>"),
                let id = Self.between(entry, "<id>", "</id>")
            else { continue }
            ids[title] = id
            counts[title, default: 0] += 1
        }
        return (ids, counts)
    }

    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let from = text.range(of: start), let to = text[from.upperBound...].range(of: end) else { return nil }
        return String(text[from.upperBound..<to.lowerBound])
    }

    @Test func aRenamedKeyKeepsThePublishedIDs() async throws {
        let items = Self.posts(link: Self.path, guid: { "g\($0)" })
        let document = CrashSafetyTests.Served(Self.rss(items))
        let server = try CrashSafetyTests.server(document)
        defer { server.stop() }
        let site = try TestSite("sources:\n  - key: blog\n    url: \(server.url("/feed"))\n")
        _ = try await site.run()
        let before = try Self.publishedIDs(in: site).ids
        // The same store and output, the source now called `journal`.
        let file = try site.directory.write(
            "sources:\n  - key: journal\n    url: \(server.url("/feed"))\n", to: "feeds.yaml")
        let renamed = Refresh(config: try Config.load(from: file))
        _ = try await renamed.run(store: site.store, mode: .force)
        let after = try Self.publishedIDs(in: site)
        #expect(after.ids == before)
        #expect(after.counts.values.allSatisfy { $0 == 1 })
        #expect(try site.store.sources().map(\.key) == ["journal"])
        #expect(try site.store.sources().first?.entryCount == items.count)
    }

    @Test(arguments: cases)
    func publishedIDsSurviveChurn(_ churn: Case) async throws {
        let document = CrashSafetyTests.Served(Self.rss(churn.documents[0]))
        let server = try CrashSafetyTests.server(document)
        defer { server.stop() }
        let site = try TestSite("sources:\n  - key: blog\n    url: \(server.url("/feed"))\n" + churn.settings)
        var firstIDs: [String: String] = [:]
        for (step, items) in churn.documents.enumerated() {
            document.set(Self.rss(items))
            _ = try await site.run()
            let (ids, counts) = try Self.publishedIDs(in: site)
            for (title, count) in counts { #expect(count == 1, "step \(step): '\(title)' appears \(count) times") }
            for (title, id) in ids {
                if let first = firstIDs[title] {
                    #expect(id == first, "step \(step): '\(title)' was published as \(first), now as \(id)")
                } else {
                    firstIDs[title] = id
                }
            }
        }
        let everyTitle = Set(churn.documents.flatMap { $0.map(\.title) })
        #expect(Set(firstIDs.keys) == everyTitle)
        #expect(try site.store.sources().first?.entryCount == everyTitle.count, "each post stored once")
    }
}
