import Foundation

/// Rules of one scope (the global ones, or one source's) of one kind, in their order, with a quick test that
/// tells most entries apart without trying every rule: per field, the rules' key patterns as one expression.
/// An entry the combined expression does not match cannot match any of those rules (each needs its key
/// pattern), so only the rules whose field's expression matched, and those with no key pattern, are tried.
/// A hundred title rules cost one match of one expression (about six times faster than a hundred).
struct RuleSet: Sendable, CustomStringConvertible {
    let rules: [FilterRule]
    private let groups: [Group]
    /// The rules always tried: no pattern to combine (`date:` alone, back-references).
    private let always: [Int]

    private struct Group: @unchecked Sendable {
        // NSRegularExpression is immutable once made and safe to use from several threads.
        var field: FilterRule.Field
        var expression: NSRegularExpression
        var rules: [Int]
    }

    init(_ rules: [FilterRule]) {
        self.rules = rules
        var byField: [FilterRule.Field: [Int]] = [:]
        var always: [Int] = []
        for (index, rule) in rules.enumerated() {
            if let (field, _) = rule.keyPattern { byField[field, default: []].append(index) } else { always.append(index) }
        }
        var groups: [Group] = []
        for (field, indices) in byField.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            // One rule gains nothing from combining; a combination ICU refuses is tried rule by rule.
            guard indices.count > 1,
                let expression = Pattern.combined(indices.compactMap { rules[$0].keyPattern?.1 })
            else {
                always += indices
                continue
            }
            groups.append(Group(field: field, expression: expression, rules: indices))
        }
        self.groups = groups
        self.always = always.sorted()
    }

    var isEmpty: Bool { rules.isEmpty }

    var description: String { "\(rules.count) rules" }

    /// The first rule, in order, that matches `entry`.
    func firstMatch(_ entry: CurationInput, now: Date) -> FilterRule? {
        candidates(entry).lazy.map { rules[$0] }.first { $0.matches(entry, now: now) }
    }

    /// Every rule that matches `entry`, in order.
    func allMatches(_ entry: CurationInput, now: Date) -> [FilterRule] {
        candidates(entry).map { rules[$0] }.filter { $0.matches(entry, now: now) }
    }

    /// The rules that may match, in their order.
    private func candidates(_ entry: CurationInput) -> [Int] {
        var candidates = always
        for group in groups {
            let texts = FilterRule.texts(group.field, entry)
            let hit = texts.contains { text in
                !text.isEmpty
                    && group.expression.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
            }
            if hit { candidates += group.rules }
        }
        return groups.count > 1 || !always.isEmpty ? candidates.sorted() : candidates
    }
}
