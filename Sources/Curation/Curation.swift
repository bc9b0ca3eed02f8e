import Foundation

/// What the rules read of an entry: its text fields (summary and content as text, without markup), its
/// categories, and its dates.
public struct CurationInput: Sendable {
    public var title: String?
    public var author: String?
    public var link: String?
    public var categories: [String]
    public var summary: String?
    public var content: String?
    /// Its published date, else when it was first seen.
    public var date: Date
    public var firstSeen: Date

    public init(
        title: String?, author: String?, link: String?, categories: [String], summary: String?, content: String?,
        date: Date, firstSeen: Date
    ) {
        self.title = title
        self.author = author
        self.link = link
        self.categories = categories
        self.summary = summary
        self.content = content
        self.date = date
        self.firstSeen = firstSeen
    }
}

/// The operator's filters, compiled once per configuration: which stored entries the planet shows.
///
/// An entry is hidden by the first `exclude` (global rules first, then its source's) that matches it.
/// Otherwise, when there are `include` rules (global or its source's), it is shown only if one of them
/// matches; with none, it is shown. Excludes win over includes. Nothing is ever deleted: a hidden entry
/// stays stored with the reason, and shows again when the rules change.
public struct Curation: Sendable, Equatable {
    public let global: [FilterRule]
    public let bySource: [String: [FilterRule]]
    /// The same rules by kind, each with its quick test.
    private let globalExcludes: RuleSet
    private let globalIncludes: RuleSet
    private let sourceExcludes: [String: RuleSet]
    private let sourceIncludes: [String: RuleSet]

    /// A date this much later than when an entry was first seen is a date in the future (`date: future`);
    /// less is clock skew between the publisher's server and this one.
    public static let futureTolerance: TimeInterval = 15 * 60

    public init(global: [FilterRule] = [], bySource: [String: [FilterRule]] = [:]) {
        self.global = global
        let bySource = bySource.filter { !$0.value.isEmpty }
        self.bySource = bySource
        globalExcludes = RuleSet(global.filter { $0.kind == .exclude })
        globalIncludes = RuleSet(global.filter { $0.kind == .include })
        sourceExcludes = bySource.mapValues { RuleSet($0.filter { $0.kind == .exclude }) }
        sourceIncludes = bySource.mapValues { RuleSet($0.filter { $0.kind == .include }) }
        // Worked out once: the verdicts ask for them for every entry.
        let rules = global + bySource.keys.sorted().flatMap { bySource[$0] ?? [] }
        self.rules = rules
        isEmpty = rules.isEmpty
        readsDates = rules.contains { $0.conditions.contains { if case .matches = $0 { false } else { true } } }
        readsBodies = rules.contains { !$0.fields.isDisjoint(with: [.summary, .content]) }
    }

    public static func == (lhs: Curation, rhs: Curation) -> Bool {
        lhs.global == rhs.global && lhs.bySource == rhs.bySource
    }

    /// How a verdict that no include admits an entry begins.
    public static let notAdmitted = "no include admits it: "

    public let isEmpty: Bool
    /// Every rule, global ones first.
    public let rules: [FilterRule]
    /// Whether any rule looks at dates (`date: future`, `older_than`), which depend on when an entry was first
    /// seen.
    public let readsDates: Bool
    /// Whether any rule reads a summary or a content (the stored bodies must then be read to apply them).
    public let readsBodies: Bool

    /// Why `entry` of `source` is hidden, quoting the rule (`feeds.yaml:12: exclude { … }`); nil when shown.
    public func hiddenBy(_ entry: CurationInput, source: String, now: Date) -> String? {
        if let rule = globalExcludes.firstMatch(entry, now: now) ?? sourceExcludes[source]?.firstMatch(entry, now: now) {
            return rule.quoted
        }
        let own = sourceIncludes[source]
        guard !globalIncludes.isEmpty || !(own?.isEmpty ?? true) else { return nil }
        if globalIncludes.firstMatch(entry, now: now) != nil || own?.firstMatch(entry, now: now) != nil { return nil }
        let includes = globalIncludes.rules + (own?.rules ?? [])
        return Self.notAdmitted + includes.map(\.quoted).joined(separator: "; ")
    }

    /// Every rule of `source`'s (global ones included) that matches `entry`, whether or not it decides the
    /// verdict: what a dry run counts to find rules that match nothing.
    public func matchingRules(_ entry: CurationInput, source: String, now: Date) -> [FilterRule] {
        [globalExcludes, globalIncludes, sourceExcludes[source], sourceIncludes[source]].compactMap { $0 }
            .flatMap { $0.allMatches(entry, now: now) }
    }

    /// What tells one set of rules from another, kept in the store: a change makes every stored entry be
    /// reviewed. Rules on dates (`older_than`) age entries out with time, so for them the day is part of it.
    public func fingerprint(now: Date) -> String {
        var parts = rules.map { "\($0.origin) \($0.text)" } + bySource.keys.sorted()
        let ages = rules.contains { $0.conditions.contains { if case .olderThan = $0 { true } else { false } } }
        if ages { parts.append("day \(Int(now.timeIntervalSince1970 / 86_400))") }
        return parts.joined(separator: "\u{1F}")
    }
}
