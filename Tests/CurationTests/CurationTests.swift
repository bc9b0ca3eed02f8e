import Curation
import Foundation
import Testing

/// The filters' verdicts, without a store: each field, both kinds of rule, global and per source, precedence.
@Suite struct CurationTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func rule(_ kind: FilterRule.Kind, _ conditions: [FilterRule.Condition], line: Int) -> FilterRule {
        FilterRule(kind: kind, conditions: conditions, origin: "feeds.yaml:\(line)", text: "\(kind.rawValue) {…}")
    }

    static func matches(_ field: FilterRule.Field, _ pattern: String) throws -> FilterRule.Condition {
        .matches(field, try Pattern(pattern))
    }

    static func entry(
        title: String = "A post", author: String? = "Ann", link: String = "https://blog.example/a",
        categories: [String] = [], summary: String? = nil, content: String? = nil, age: TimeInterval = 3600,
        firstSeenAgo: TimeInterval = 3600
    ) -> CurationInput {
        CurationInput(
            title: title, author: author, link: link, categories: categories, summary: summary, content: content,
            date: now.addingTimeInterval(-age), firstSeen: now.addingTimeInterval(-firstSeenAgo))
    }

    @Test func anExcludeHidesWhatItMatchesAndNamesItsLine() throws {
        let curation = Curation(global: [Self.rule(.exclude, [try Self.matches(.title, "(?i)sponsored|giveaway")], line: 3)])
        #expect(curation.hiddenBy(Self.entry(title: "SPONSORED: a tool"), source: "a", now: Self.now) == "feeds.yaml:3: exclude {…}")
        #expect(curation.hiddenBy(Self.entry(title: "A giveaway!"), source: "a", now: Self.now) != nil)
        #expect(curation.hiddenBy(Self.entry(title: "On gardening"), source: "a", now: Self.now) == nil)
    }

    @Test func patternsAreCaseSensitiveUnlessTheySayOtherwise() throws {
        let curation = Curation(global: [Self.rule(.exclude, [try Self.matches(.author, "Guest")], line: 1)])
        #expect(curation.hiddenBy(Self.entry(author: "Guest writer"), source: "a", now: Self.now) != nil)
        #expect(curation.hiddenBy(Self.entry(author: "guest writer"), source: "a", now: Self.now) == nil)
    }

    @Test func eachFieldIsRead() throws {
        let cases: [(FilterRule.Field, CurationInput)] = [
            (.title, Self.entry(title: "needle")), (.author, Self.entry(author: "needle")),
            (.category, Self.entry(categories: ["x", "needle"])), (.link, Self.entry(link: "https://needle.example/")),
            (.summary, Self.entry(summary: "a needle here")), (.content, Self.entry(content: "the needle")),
        ]
        for (field, entry) in cases {
            let curation = Curation(global: [Self.rule(.exclude, [try Self.matches(field, "needle")], line: 1)])
            #expect(curation.hiddenBy(entry, source: "a", now: Self.now) != nil, "\(field)")
            #expect(curation.hiddenBy(Self.entry(), source: "a", now: Self.now) == nil, "\(field)")
        }
    }

    @Test func aRuleWithSeveralFieldsNeedsThemAll() throws {
        let both = Self.rule(.exclude, [try Self.matches(.title, "Weekly"), try Self.matches(.author, "Bot")], line: 2)
        let curation = Curation(global: [both])
        #expect(curation.hiddenBy(Self.entry(title: "Weekly links", author: "Bot"), source: "a", now: Self.now) != nil)
        #expect(curation.hiddenBy(Self.entry(title: "Weekly links", author: "Ann"), source: "a", now: Self.now) == nil)
    }

    @Test func aSourceWithIncludesContributesOnlyWhatOneAdmits() throws {
        let curation = Curation(bySource: [
            "member": [
                Self.rule(.include, [try Self.matches(.category, "^python$")], line: 9),
                Self.rule(.include, [try Self.matches(.title, "(?i)django")], line: 10),
            ]
        ])
        #expect(curation.hiddenBy(Self.entry(categories: ["python"]), source: "member", now: Self.now) == nil)
        #expect(curation.hiddenBy(Self.entry(title: "Django tips"), source: "member", now: Self.now) == nil)
        let missed = curation.hiddenBy(Self.entry(categories: ["pythonic"]), source: "member", now: Self.now)
        #expect(missed == "no include admits it: feeds.yaml:9: include {…}; feeds.yaml:10: include {…}")
        #expect(curation.hiddenBy(Self.entry(), source: "other", now: Self.now) == nil, "another source has none")
    }

    @Test func excludesWinOverIncludesAndGlobalRulesApplyToEverySource() throws {
        let curation = Curation(
            global: [Self.rule(.exclude, [try Self.matches(.title, "(?i)sponsored")], line: 2)],
            bySource: ["member": [Self.rule(.include, [try Self.matches(.category, "python")], line: 8)]])
        let sponsoredPython = Self.entry(title: "Sponsored", categories: ["python"])
        #expect(curation.hiddenBy(sponsoredPython, source: "member", now: Self.now) == "feeds.yaml:2: exclude {…}")
        #expect(curation.hiddenBy(Self.entry(title: "Sponsored"), source: "other", now: Self.now) != nil)
    }

    @Test func datesInTheFutureAndOlderThan() {
        let future = Curation(global: [Self.rule(.exclude, [.future], line: 1)])
        #expect(future.hiddenBy(Self.entry(age: -86_400, firstSeenAgo: 0), source: "a", now: Self.now) != nil)
        #expect(
            future.hiddenBy(Self.entry(age: -60, firstSeenAgo: 0), source: "a", now: Self.now) == nil,
            "a minute ahead is clock skew")
        let old = Curation(global: [Self.rule(.exclude, [.olderThan(.seconds(2 * 365 * 86_400))], line: 1)])
        #expect(old.hiddenBy(Self.entry(age: 3 * 365 * 86_400), source: "a", now: Self.now) != nil)
        #expect(old.hiddenBy(Self.entry(age: 365 * 86_400), source: "a", now: Self.now) == nil)
        #expect(old.fingerprint(now: Self.now) != old.fingerprint(now: Self.now.addingTimeInterval(86_400)))
        #expect(future.fingerprint(now: Self.now) == future.fingerprint(now: Self.now.addingTimeInterval(86_400)))
    }

    @Test func aBadPatternIsRefusedWithWhatIsWrong() {
        #expect(throws: PatternError.self) { try Pattern("(unclosed") }
        do {
            _ = try Pattern("[a-")
        } catch {
            #expect(error.description.contains("expected ']'"), "\(error)")
        }
    }
}

extension CurationTests {
    /// The verdict the rules give one by one, in order: what the quick tests must never change.
    static func reference(_ curation: Curation, _ entry: CurationInput, source: String) -> String? {
        let rules = curation.global + (curation.bySource[source] ?? [])
        if let rule = rules.first(where: { $0.kind == .exclude && $0.matches(entry, now: now) }) { return rule.quoted }
        let includes = rules.filter { $0.kind == .include }
        if includes.isEmpty || includes.contains(where: { $0.matches(entry, now: now) }) { return nil }
        return Curation.notAdmitted + includes.map(\.quoted).joined(separator: "; ")
    }

    /// Many rules on the same fields are tried through one combined expression per field; the verdicts are
    /// those of trying every rule in order, whatever the patterns' flags, anchors or back-references.
    @Test func combiningRulesNeverChangesAVerdict() throws {
        let patterns = [
            "(?i)sponsored", "^Weekly", "links$", "(a)\\1", "(?i)GIVE(away)?", "python|django", "^$", "[0-9]{4}",
            "(?<year>20[0-9]{2})", "guest", "(?i)unicode|star", "Rust 20", "(?i)note",
        ]
        var global: [FilterRule] = []
        for (index, pattern) in patterns.enumerated() {
            let field: FilterRule.Field = [.title, .author, .category][index % 3]
            global.append(Self.rule(.exclude, [try Self.matches(field, pattern)], line: index + 1))
        }
        global.append(Self.rule(.exclude, [try Self.matches(.title, "Note"), try Self.matches(.author, "Bob")], line: 20))
        let curation = Curation(
            global: global,
            bySource: ["a": [
                Self.rule(.include, [try Self.matches(.category, "^python$")], line: 30),
                Self.rule(.include, [try Self.matches(.title, "(?i)rust")], line: 31),
                Self.rule(.include, [.future], line: 32),
            ]])
        let titles = [
            "Weekly links", "SPONSORED", "aa post", "A Note", "Rust 2026", "plain", "", "giveaways!",
            // Not ASCII: left to ICU, whose case-insensitive matching folds the long s to s.
            "Ünïcode SPONSORED", "ſponsored post", "Guest star",
        ]
        let authors = ["Bob", "guest", "Ann", "Give"]
        let categories = [[], ["python"], ["django", "x"], ["2024"], ["Sponsored", "Python"]]
        var checked = 0
        for title in titles {
            for author in authors {
                for tags in categories {
                    for source in ["a", "b"] {
                        let entry = Self.entry(title: title, author: author, categories: tags)
                        #expect(
                            curation.hiddenBy(entry, source: source, now: Self.now)
                                == Self.reference(curation, entry, source: source), "\(title) \(author) \(tags)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 440)
    }
}
