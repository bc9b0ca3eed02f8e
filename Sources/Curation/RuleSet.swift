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
        /// Every rule of the group, and their key patterns as one expression.
        var rules: [Int]
        var expression: NSRegularExpression
        /// The rules whose key pattern is plain text, found in ASCII text without ICU…
        var literals: LiteralIndex
        /// …and the others, with their expression (nil: a single one, always tried).
        var others: [Int]
        var othersExpression: NSRegularExpression?
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
            var literals = LiteralIndex()
            var others: [Int] = []
            for index in indices {
                if let source = rules[index].keyPattern?.1.source, let plain = LiteralIndex.literals(of: source) {
                    literals.add(plain.alternatives, caseInsensitive: plain.caseInsensitive, rule: index)
                } else {
                    others.append(index)
                }
            }
            let othersExpression =
                others.count > 1 ? Pattern.combined(others.compactMap { rules[$0].keyPattern?.1 }) : nil
            if others.count > 1, othersExpression == nil {
                always += indices
                continue
            }
            groups.append(
                Group(
                    field: field, rules: indices, expression: expression, literals: literals, others: others,
                    othersExpression: othersExpression))
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
        var candidates = Set(always)
        for group in groups {
            for text in FilterRule.texts(group.field, entry) where !text.isEmpty {
                if !group.literals.isEmpty, let found = group.literals.matchingRules(in: text) {
                    candidates.formUnion(found)
                    if !group.others.isEmpty,
                        group.othersExpression.map({ Self.matches($0, text) }) ?? true
                    {
                        candidates.formUnion(group.others)
                    }
                } else if Self.matches(group.expression, text) {
                    candidates.formUnion(group.rules)
                }
            }
        }
        return candidates.sorted()
    }

    private static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count)) != nil
    }
}
