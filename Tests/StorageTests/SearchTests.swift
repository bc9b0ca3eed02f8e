import Foundation
import Parsing
import TestSupport
import Testing

@testable import Storage

/// The search index in a real store: what it finds in every language, in what order, what it leaves out,
/// and that no query a reader types can break it.
@Suite struct SearchTests {
    let directory: TemporaryDirectory
    let store: Store
    let now = Date(timeIntervalSince1970: 1_773_316_800)  // 2026-03-12T12:00:00Z

    init() throws {
        directory = try TemporaryDirectory()
        store = try Store(path: directory.file("store.sqlite").path)
        try store.register(
            [
                SourceDefinition(key: "blog", url: "https://blog.example/feed", title: "A Blog"),
                SourceDefinition(key: "other", url: "https://other.example/feed", title: "Other"),
            ], now: now)
        let posts: [(String, String, String, String)] = [
            ("sourdough", "Sourdough starter", "<p>Feed the starter flour and water; the bread rises.</p>", "2026-01-10"),
            ("cafe", "Café culture in Lyon", "<p>Where to drink coffee.</p>", "2026-02-01"),
            ("tokyo", "東京の天気", "<p>今日の東京は晴れです。天気予報によると明日は雨。</p>", "2026-02-02"),
            ("seoul", "서울 날씨", "<p>오늘은 맑음</p>", "2026-02-03"),
            ("rust-title", "Rust tips", "<p>Some advice about ownership.</p>", "2025-11-01"),
            ("rust-body", "Gardening", "<p>Rust on tools, rust on the gate, rust everywhere.</p>", "2026-03-01"),
            ("phrase", "Notes", "<p>The exact phrase here is the one.</p>", "2026-03-02"),
            ("apart", "More notes", "<p>A phrase, and then something exact.</p>", "2026-03-03"),
            ("hidden", "SPONSORED bread machine", "<p>Buy bread machines.</p>", "2026-03-04"),
            ("hostile", "Quotes \" and NEAR(a b) OR * ^", "<p>drop table entries</p>", "2026-03-05"),
        ]
        let entries = posts.map { id, title, body, day in
            ParsedEntry(
                id: id, title: title, link: "https://blog.example/\(id)",
                published: ISO8601DateFormatter().date(from: day + "T10:00:00Z"), content: body, wordCount: 5)
        }
        _ = try store.recordSuccess(
            key: "blog", feed: ParsedFeed(metadata: FeedMetadata(title: "A Blog", format: .rss20), entries: entries),
            validators: Validators(), status: 200, now: now)
        _ = try store.recordSuccess(
            key: "other",
            feed: ParsedFeed(
                metadata: FeedMetadata(title: "Other", format: .rss20),
                entries: [
                    ParsedEntry(
                        id: "bread", title: "Bread at home", link: "https://other.example/bread",
                        published: now, content: "<p>Bread without sourdough.</p>", wordCount: 3)
                ]), validators: Validators(), status: 200, now: now)
        try store.database.execute("UPDATE entries SET hidden_by = 'feeds.yaml:3: exclude' WHERE entry_id = 'hidden'")
        try store.indexPending()
    }

    func found(_ text: String, limit: Int = 20) throws -> [String] {
        try StoreReader(path: store.path).search(try SearchQuery(text), limit: limit).map {
            $0.publicID.isEmpty ? "" : String($0.link?.split(separator: "/").last ?? "")
        }
    }

    @Test func wordsWithoutTheirAccentsFindThePost() throws {
        #expect(try found("cafe") == ["cafe"])
        #expect(try found("CAFÉ lyon") == ["cafe"])
    }

    @Test func chineseJapaneseAndKoreanAreFoundByTwoCharacterWordsAndLonger() throws {
        #expect(try found("東京") == ["tokyo"])
        #expect(try found("天気") == ["tokyo"])
        #expect(try found("天気予報") == ["tokyo"])
        #expect(try found("東京都") == [], "the pairs of 東京都 are not all there")
        #expect(try found("날씨") == ["seoul"])
        let snippet = try StoreReader(path: store.path).search(try SearchQuery("天気予報"), limit: 1).first?.snippet
        #expect(snippet == "今日の東京は晴れです。«天気予報»によ…", "pairs joined back, the ellipsis kept apart")
    }

    @Test func aTitleMatchRanksAboveABodyMatch() throws {
        #expect(try found("rust") == ["rust-title", "rust-body"])
    }

    /// A common word is ranked among its most recently stored matches only (bm25 scores every match it is
    /// given): the title match stored first drops out when just the last match is ranked.
    @Test func onlyTheMostRecentlyStoredMatchesAreRanked() throws {
        let reader = try StoreReader(path: store.path)
        #expect(try reader.search(try SearchQuery("rust"), limit: 5).compactMap { $0.link?.split(separator: "/").last.map(String.init) } == ["rust-title", "rust-body"])
        #expect(try reader.search(try SearchQuery("rust"), limit: 5, ranking: 1).compactMap { $0.link?.split(separator: "/").last.map(String.init) } == ["rust-body"])
    }

    @Test func phrasesAndExclusions() throws {
        #expect(try found("\"exact phrase\"") == ["phrase"])
        #expect(Set(try found("exact phrase")) == ["phrase", "apart"])
        #expect(try found("bread -sourdough") == [], "both bread posts mention sourdough; the sponsored one is hidden")
        #expect(try found("bread -\"without sourdough\"") == ["sourdough"])
    }

    @Test func hiddenPostsAreNeverFound() throws {
        #expect(!(try found("machine")).contains("hidden"))
        #expect(try found("sponsored") == [])
    }

    @Test func sourceAndDatesNarrowTheResults() throws {
        #expect(Set(try found("bread")) == ["sourdough", "bread"])
        #expect(try found("bread source:other") == ["bread"])
        #expect(try found("bread before:2026-02") == ["sourdough"])
        #expect(try found("bread after:2026-03-12") == ["bread"])
        #expect(try found("rust after:2026") == ["rust-body"])
    }

    @Test func theRankedMatchesAreTheNewestOfThoseTheQueryAllows() throws {
        let reader = try StoreReader(path: store.path)
        func links(_ text: String) throws -> [String] {
            try reader.search(try SearchQuery(text), limit: 5, ranking: 1).compactMap {
                $0.link?.split(separator: "/").last.map(String.init)
            }
        }
        #expect(try links("bread") == ["bread"], "the newest match of all")
        #expect(try links("bread source:blog") == ["sourdough"], "a newer post of another source takes no place")
        #expect(try links("bread before:2026-02") == ["sourdough"])
        #expect(try links("machine") == [], "a hidden post takes no place either, and is never shown")
    }

    /// What a reader may type, however odd, is a search or a sentence saying why not: never a crash or an
    /// SQL error, and the store is as it was.
    @Test(arguments: [
        "\"", "\"\"", "NEAR(a b)", "a OR b", "*", "'; DROP TABLE entries; --", "title:rust", "^rust", "{a b}: c",
        "-", "-rust", "\"unterminated phrase", "source:", "after:2026-13", "after:99999", "before:2026-02-30",
        "after:2026-03 before:2026-02", "🙂", "rust\u{0}", "\"\u{301}NEAR.AND []?", "a\"\u{301}b rust", "AND", "NOT NOT", "(((", String(repeating: "a ", count: 2_000),
    ])
    func anyQueryIsASearchOrAReasonNeverACrash(_ text: String) throws {
        do {
            _ = try StoreReader(path: store.path).search(try SearchQuery(text), limit: 5)
        } catch let error as SearchError {
            #expect(!error.description.isEmpty)
            if case .engine = error { Issue.record("an engine error leaked: \(error)") }
        }
        #expect(try store.database.query("SELECT count(*) FROM entries").first?.int(0) == 11)
    }

    @Test func aQueryOfOperatorsOnlyIsRefusedInWords() {
        #expect(throws: SearchError.nothingToFind("-rust source:blog")) { try SearchQuery("-rust source:blog") }
        #expect(throws: SearchError.badDate("after:2026-13")) { try SearchQuery("rust after:2026-13") }
    }

    @Test func entriesWaitingToBeIndexedAreIndexedInBatches() throws {
        // As a store upgraded to the index finds itself: nothing indexed, every entry waiting.
        try store.database.execute(
            """
            INSERT INTO entry_search (entry_search) VALUES ('delete-all');
            INSERT INTO search_pending (entry) SELECT id FROM entries;
            """)
        #expect(try found("bread").isEmpty)
        #expect(try StoreReader(path: store.path).searchPending() == 11)
        var reports: [Int] = []
        try store.indexPending(batch: 4) { done, total in
            reports.append(done)
            #expect(total == 11)
        }
        #expect(reports == [4, 8, 11])
        #expect(try store.searchPending() == 0)
        #expect(Set(try found("bread")) == ["sourdough", "bread"])
        #expect(try found("天気予報") == ["tokyo"], "CJK text from the stored HTML is indexed the same way")
    }

    /// The index holds no copy of the text: it is taken out by what is stored, before that changes, so after
    /// edits and removals it still agrees with the store (FTS5's own check compares them).
    @Test func editedAndRemovedEntriesLeaveTheIndexWhole() throws {
        try store.database.execute("DELETE FROM entries WHERE entry_id = 'cafe'")
        #expect(try found("cafe") == [])
        let edited = ParsedEntry(
            id: "sourdough", title: "Rye starter", link: "https://blog.example/sourdough",
            published: ISO8601DateFormatter().date(from: "2026-01-10T10:00:00Z"), content: "<p>Rye &amp; spelt now.</p>",
            wordCount: 4)
        _ = try store.recordSuccess(
            key: "blog", feed: ParsedFeed(metadata: FeedMetadata(title: "A Blog", format: .rss20), entries: [edited]),
            validators: Validators(), status: 200, now: now)
        #expect(try found("flour") == [], "the old text leaves the index at once")
        #expect(try found("spelt") == [], "the new one waits for the next publish")
        try store.indexPending()
        #expect(try found("spelt") == ["sourdough"])
        try store.database.execute("DELETE FROM entries WHERE entry_id = 'tokyo'")
        try store.database.execute("INSERT INTO entry_search (entry_search, rank) VALUES ('integrity-check', 1)")
        #expect(try store.database.query("SELECT count(*) FROM entry_search_docsize").first?.int(0) == 9)
    }
}
