import Curation
import Foundation
import Storage

/// What the filters of a configuration would change in the store as it is: the entries newly hidden and
/// newly shown, and what each rule matches. It reads the store (read-only) and writes nothing: not the
/// store, not the outputs. `tidings filters test` prints it; `tidings check` warns from it.
public struct FilterDryRun: Sendable {
    public struct Change: Sendable, Equatable {
        public var source: String
        public var title: String
        public var date: Date
        public var link: String?
        /// Why it would be hidden (newly hidden), or why it was (newly shown).
        public var reason: String
        public var hides: Bool
    }

    /// Per source (in configuration order), the changes, newest first.
    public var changes: [(source: String, changes: [Change])] = []
    public var checked = 0
    public var hiddenNow = 0
    public var hiddenAfter = 0
    /// Rules that match none of the stored entries they apply to, quoted with how many those are.
    public var idleRules: [(rule: String, entries: Int)] = []
    /// Sources whose every stored entry the rules would hide, with how many.
    public var allHidden: [(source: String, entries: Int)] = []
    /// The configuration's file name, for warnings that quote no rule.
    var fileName = ""

    /// Evaluates `config`'s filters against the stored entries of `keys` (every source when nil). Nil when
    /// there is no store yet.
    public static func run(_ config: Config, keys: Set<String>? = nil, now: Date = Date()) throws -> FilterDryRun? {
        guard FileManager.default.fileExists(atPath: config.databaseFile.path) else { return nil }
        let reader = try StoreReader(path: config.databaseFile.path)
        let curation = config.curation
        let filters = Filters(config: config)
        let configured = Set(config.sources.map(\.key)).intersection(keys ?? Set(config.sources.map(\.key)))
        var result = FilterDryRun()
        result.fileName = config.file.lastPathComponent
        var bySource: [String: [Change]] = [:]
        var perSource: [String: (entries: Int, hidden: Int)] = [:]
        var matches: [String: Int] = [:]
        let rules = curation.global.map { ($0, nil as String?) }
            + curation.bySource.flatMap { key, rules in rules.map { ($0, key as String?) } }
        try reader.forEachVisibilityRow(of: configured, withBodies: curation.readsBodies) { row in
            result.checked += 1
            let input = Filters.input(row)
            let after =
                curation.isEmpty && !filters.holding.contains(row.sourceKey)
                ? nil : filters.verdict(input, source: row.sourceKey, published: row.published, now: now)
            if row.hiddenBy != nil { result.hiddenNow += 1 }
            if after != nil { result.hiddenAfter += 1 }
            perSource[row.sourceKey, default: (0, 0)].entries += 1
            if after != nil { perSource[row.sourceKey, default: (0, 0)].hidden += 1 }
            for rule in curation.matchingRules(input, source: row.sourceKey, now: now) {
                matches[rule.quoted, default: 0] += 1
            }
            guard (row.hiddenBy == nil) != (after == nil) else { return }
            bySource[row.sourceKey, default: []].append(
                Change(
                    source: row.sourceKey, title: row.title ?? "(untitled)", date: row.published ?? row.firstSeen,
                    link: row.link, reason: after ?? row.hiddenBy ?? "", hides: after != nil))
        }
        for source in config.sources where configured.contains(source.key) {
            if let changes = bySource[source.key] {
                result.changes.append((source.key, changes.sorted { $0.date > $1.date }))
            }
            if let counts = perSource[source.key], counts.entries > 0, counts.hidden == counts.entries {
                result.allHidden.append((source.key, counts.entries))
            }
        }
        // A global rule applies to every entry checked; a source's to that source's.
        for (rule, source) in rules where matches[rule.quoted] == nil {
            let scope = source.map { perSource[$0]?.entries ?? 0 } ?? result.checked
            if scope > 0 { result.idleRules.append((rule.quoted, scope)) }
        }
        return result
    }

    public var newlyHidden: Int { changes.reduce(0) { $0 + $1.changes.filter(\.hides).count } }
    public var newlyShown: Int { changes.reduce(0) { $0 + $1.changes.filter { !$0.hides }.count } }

    /// Warnings for `tidings check`.
    public var warnings: [String] {
        idleRules.map { "\($0.rule): matches none of the \($0.entries) stored entries it applies to" }
            + allHidden.map {
                "\(fileName): sources '\($0.source)': the filters hide every one of its \($0.entries) stored entries"
            }
    }
}
