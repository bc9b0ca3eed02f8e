import Foundation

/// One rule of `filters:` in `feeds.yaml`: an `include` admits what it matches, an `exclude` hides it. Every
/// condition of a rule must match for the rule to match.
public struct FilterRule: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case include, exclude
    }

    public enum Field: String, Sendable, CaseIterable {
        case title, author, category, link, summary, content
    }

    public enum Condition: Sendable, Equatable {
        /// The field's text (for `category`, any of the entry's) matches the pattern.
        case matches(Field, Pattern)
        /// Dated later than when it was first seen.
        case future
        /// Dated longer ago than this.
        case olderThan(Duration)
    }

    public var kind: Kind
    public var conditions: [Condition]
    /// Where it is written: "feeds.yaml:12", with the rule as written, for every explanation.
    public var origin: String
    public var text: String

    public init(kind: Kind, conditions: [Condition], origin: String, text: String) {
        self.kind = kind
        self.conditions = conditions
        self.origin = origin
        self.text = text
    }

    /// The fields whose text the rule reads.
    var fields: Set<Field> {
        Set(conditions.compactMap { if case .matches(let field, _) = $0 { field } else { nil } })
    }

    public func matches(_ entry: CurationInput, now: Date) -> Bool {
        conditions.allSatisfy { condition in
            switch condition {
            case .matches(let field, let pattern):
                switch field {
                case .title: pattern.matches(entry.title)
                case .author: pattern.matches(entry.author)
                case .category: entry.categories.contains { pattern.matches($0) }
                case .link: pattern.matches(entry.link)
                case .summary: pattern.matches(entry.summary)
                case .content: pattern.matches(entry.content)
                }
            case .future:
                entry.date > entry.firstSeen.addingTimeInterval(Curation.futureTolerance)
            case .olderThan(let age):
                entry.date < now.addingTimeInterval(-Double(age.components.seconds))
            }
        }
    }

    /// The texts of `field` in `entry` (a category is any of several).
    static func texts(_ field: Field, _ entry: CurationInput) -> [String] {
        switch field {
        case .title: entry.title.map { [$0] } ?? []
        case .author: entry.author.map { [$0] } ?? []
        case .category: entry.categories
        case .link: entry.link.map { [$0] } ?? []
        case .summary: entry.summary.map { [$0] } ?? []
        case .content: entry.content.map { [$0] } ?? []
        }
    }

    /// The condition a quick test of many rules at once looks at: its first pattern that can be combined
    /// with others into one expression (no back-references, which would count other patterns' groups).
    var keyPattern: (Field, Pattern)? {
        for condition in conditions {
            if case .matches(let field, let pattern) = condition, pattern.isCombinable { return (field, pattern) }
        }
        return nil
    }

    /// "feeds.yaml:12: exclude { title: "(?i)sponsored" }", as explanations quote it.
    public var quoted: String { "\(origin): \(text)" }
}

/// A regular expression of a rule, compiled once per configuration. ICU's syntax (Foundation's
/// `NSRegularExpression`): case-sensitive unless the pattern says `(?i)`.
public final class Pattern: @unchecked Sendable, Equatable, CustomStringConvertible {
    // NSRegularExpression is immutable once made and safe to use from several threads.
    public let source: String
    private let expression: NSRegularExpression

    /// Nil with a reason when the pattern is not one.
    public init(_ source: String) throws(PatternError) {
        self.source = source
        do {
            expression = try NSRegularExpression(pattern: source)
        } catch {
            // ICU says only "the value is invalid"; Swift's own regex parser says where and what.
            let reason: String
            do {
                _ = try Regex(source)
                reason = "ICU does not accept it"
            } catch let parseError {
                reason = "\(parseError)"
            }
            throw PatternError(pattern: source, reason: reason)
        }
    }

    /// Whether it can stand in an alternation of other patterns and mean the same: no back-references or
    /// named groups.
    var isCombinable: Bool {
        !source.contains("(?<") && !source.contains("\\k") && !source.contains("(?P")
            && source.range(of: #"\\[1-9]"#, options: .regularExpression) == nil
    }

    /// Several patterns as one, `(?:a)|(?:b)`: each keeps its own inline flags, which ICU scopes to the group.
    static func combined(_ patterns: [Pattern]) -> NSRegularExpression? {
        try? NSRegularExpression(pattern: patterns.map { "(?:\($0.source))" }.joined(separator: "|"))
    }

    func matches(_ text: String?) -> Bool {
        guard let text, !text.isEmpty else { return false }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    public static func == (lhs: Pattern, rhs: Pattern) -> Bool { lhs.source == rhs.source }

    public var description: String { source }
}

public struct PatternError: Error, CustomStringConvertible, Sendable {
    public var pattern: String
    public var reason: String

    public var description: String { "'\(pattern)' is not a regular expression: \(reason)" }
}
