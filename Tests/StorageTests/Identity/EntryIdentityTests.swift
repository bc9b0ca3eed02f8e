import Foundation
import Parsing
import Testing

@testable import Storage

/// The identity rules as pure functions: no store, no SQL.
@Suite struct EntryIdentityTests {
    static func entry(_ id: String, link: String? = nil, published: Double? = nil) -> ParsedEntry {
        var entry = ParsedEntry(id: id)
        entry.link = link
        entry.published = published.map { Date(timeIntervalSince1970: $0) }
        return entry
    }

    static func candidate(entryID: String, published: Int64? = nil, firstSeen: Int64 = 1_000_000) -> EntryIdentity.Candidate {
        EntryIdentity.Candidate(
            rowID: 1, fingerprint: nil, firstSeen: firstSeen, entryID: entryID, published: published, wordCount: 7,
            title: "A longer stored title", excerpt: "stored excerpt")
    }

    /// The public id every version has published: pinned, and migration 5's frozen copy gives the same.
    @Test func thePublicIDFormulaIsPinnedAndMigrationFiveKeepsItsOwnCopy() {
        let id = EntryIdentity.publicID(sourceKey: "alpha", entryID: "https://example.org/posts/1")
        #expect(id == "urn:tidings:alpha:23658bd4275fb920")
        #expect(Migrations.publicIDAtVersion5(sourceKey: "alpha", entryID: "https://example.org/posts/1") == id)
    }

    @Test func aTakenPublicIDGetsTheFirstFreeSuffix() throws {
        let taken: Set<String> = ["urn:x", "urn:x#2"]
        #expect(try EntryIdentity.unusedPublicID("urn:x") { taken.contains($0) } == "urn:x#3")
        #expect(try EntryIdentity.unusedPublicID("urn:y") { taken.contains($0) } == "urn:y")
    }

    @Test func onlyADistinctiveAliasMayMatch() {
        let document = EntryIdentity.Document([
            Self.entry("a", link: "https://blog.example/2026/one"),
            Self.entry("b", link: "https://blog.example/"),
            Self.entry("c", link: "https://blog.example/shared"), Self.entry("d", link: "https://blog.example/shared"),
        ])
        #expect(document.mayMatch(byAlias: document.aliases[0]))
        #expect(!document.mayMatch(byAlias: document.aliases[1]), "a bare home page names no single post")
        #expect(!document.mayMatch(byAlias: document.aliases[2]), "a link two items share names neither")
        #expect(!document.mayMatch(byAlias: nil))
    }

    @Test func anAliasMatchIsTheSamePostOnlyWhenItsOldIDIsGoneAndItsDateAgrees() {
        let day = 1_800_000_000.0
        let renamed = Self.entry("new-guid", link: "https://blog.example/p", published: day + 3600)
        let gone = EntryIdentity.Document([renamed])
        #expect(EntryIdentity.isSamePost(Self.candidate(entryID: "old-guid", published: Int64(day)), as: renamed, in: gone))
        #expect(
            !EntryIdentity.isSamePost(Self.candidate(entryID: "old-guid", published: Int64(day - 3 * 86_400)), as: renamed, in: gone),
            "three days apart: another post")
        let both = EntryIdentity.Document([renamed, Self.entry("old-guid")])
        #expect(
            !EntryIdentity.isSamePost(Self.candidate(entryID: "old-guid", published: Int64(day)), as: renamed, in: both),
            "the old id is still in the document: two posts")
        #expect(EntryIdentity.isSamePost(Self.candidate(entryID: "old-guid"), as: renamed, in: gone), "no stored date")
    }

    @Test func aMatchKeepsTheEarlierPublishedDateAndStoredContent() {
        let stored = Self.candidate(entryID: "a", published: 1_000, firstSeen: 2_000)
        let redated = Self.entry("a", published: 5_000)
        #expect(EntryIdentity.needsBodies(redated, isRecovered: false), "no content: the stored one may be kept")
        let merged = EntryIdentity.merged(
            redated, over: stored, bodies: EntryIdentity.Bodies(summary: nil, content: "<p>kept</p>"),
            isRecovered: false)
        #expect(merged.published == Date(timeIntervalSince1970: 1_000), "never moved later once seen")
        #expect(merged.content == "<p>kept</p>")
        #expect(merged.wordCount == 7)
        let earlier = EntryIdentity.merged(Self.entry("a", published: 500), over: stored, bodies: nil, isRecovered: false)
        #expect(earlier.published == Date(timeIntervalSince1970: 500), "an earlier date is taken")
    }

    @Test func aRecoveredDocumentKeepsEveryLongerStoredField() {
        var cut = Self.entry("a")
        cut.title = "A longer"
        cut.summary = "sho"
        cut.content = "<p>x</p>"
        #expect(EntryIdentity.needsBodies(cut, isRecovered: true))
        #expect(!EntryIdentity.needsBodies(cut, isRecovered: false))
        let merged = EntryIdentity.merged(
            cut, over: Self.candidate(entryID: "a"),
            bodies: EntryIdentity.Bodies(summary: "a whole summary", content: "<p>the whole content</p>"),
            isRecovered: true)
        #expect(merged.title == "A longer stored title")
        #expect(merged.summary == "a whole summary")
        #expect(merged.excerpt == "stored excerpt")
        #expect(merged.content == "<p>the whole content</p>")
        #expect(merged.wordCount == 7)
    }
}
