import Foundation
import Parsing
import Time

/// What a reader typed into `tidings search`, understood: words (all must match), `"exact phrases"`,
/// `-excluded` words or phrases, `source:KEY`, `after:DATE` and `before:DATE` (2026, 2026-03 or
/// 2026-03-12, UTC). The words become an FTS5 expression in which every term is quoted, so no character a
/// reader types is ever an operator, and the expression is bound as a parameter, never spliced into SQL.
public struct SearchQuery: Sendable, Equatable {
    public var terms: [String] = []
    public var excluded: [String] = []
    public var source: String?
    /// Unix seconds: on or after `after`, before `before`.
    public var after: Int64?
    public var before: Int64?

    public init(_ text: String) throws(SearchError) {
        for (token, quoted) in Self.tokens(text) {
            let excluded = token.hasPrefix("-") && token.count > 1 && !quoted
            let word = excluded ? String(token.dropFirst()) : token
            if !quoted, !excluded, let (name, value) = Self.operatorValue(word) {
                switch name {
                case "source": source = value
                case "after": after = try Self.day(value, token: token)
                default: before = try Self.day(value, token: token)
                }
                continue
            }
            // Terms with no letter or digit find nothing (the tokenizer keeps none of their characters).
            guard word.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil })
            else { continue }
            if excluded { self.excluded.append(word) } else { terms.append(word) }
        }
        guard !terms.isEmpty else { throw .nothingToFind(text) }
        if let after, let before, after >= before { throw .emptyRange }
    }

    /// The FTS5 expression: every term quoted (a `"` inside doubled), all required, the excluded ones NOT'd.
    public var expression: String {
        let required = terms.map(Self.quoted).joined(separator: " AND ")
        return ([required] + excluded.map { "NOT " + Self.quoted($0) }).joined(separator: " ")
    }

    /// Quoted for FTS5, a `"` inside doubled — by scalars: a quote followed by a combining mark is one
    /// Character to Swift but still a quote to SQLite.
    static func quoted(_ term: String) -> String {
        let indexed = SearchText.indexed(term).trimmingCharacters(in: .whitespaces)
        var escaped = String.UnicodeScalarView()
        for scalar in indexed.unicodeScalars {
            escaped.append(scalar)
            if scalar == "\"" { escaped.append(scalar) }
        }
        return "\"" + String(escaped) + "\""
    }

    /// Words and quoted phrases, in order, each with whether it was quoted; `-"a phrase"` comes as the
    /// unquoted `-a phrase` (an exclusion); a quote left open runs to the end. Read by scalars, as SQLite
    /// reads the expression.
    static func tokens(_ text: String) -> [(String, quoted: Bool)] {
        var tokens: [(String, quoted: Bool)] = []
        var current = String.UnicodeScalarView()
        var inQuotes = false
        var negated = false
        func flush(quoted: Bool) {
            let token = String(current).trimmingCharacters(in: .whitespaces)
            if !token.isEmpty { tokens.append((negated ? "-" + token : token, quoted && !negated)) }
            current = String.UnicodeScalarView()
            negated = false
        }
        for scalar in text.unicodeScalars {
            if scalar == "\"" {
                if inQuotes {
                    flush(quoted: true)
                } else {
                    let negates = String(current) == "-"
                    if negates { current = String.UnicodeScalarView() } else { flush(quoted: false) }
                    negated = negates
                }
                inQuotes.toggle()
            } else if Self.separates(scalar) {
                // Outside quotes a space ends a word; inside, a control character is a space.
                if inQuotes { current.append(" ") } else { flush(quoted: false) }
            } else {
                current.append(scalar)
            }
        }
        flush(quoted: inQuotes)
        return tokens
    }

    /// Spaces and control characters (a NUL would cut the text short on its way to SQLite).
    private static func separates(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
    }

    private static func operatorValue(_ word: String) -> (String, String)? {
        for name in ["source", "after", "before"] where word.lowercased().hasPrefix(name + ":") {
            let value = String(word.dropFirst(name.count + 1))
            return value.isEmpty ? nil : (name, value)
        }
        return nil
    }

    /// The start of `2026`, `2026-03` or `2026-03-12` (UTC).
    private static func day(_ value: String, token: String) throws(SearchError) -> Int64 {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { throw .badDate(token) }
        let year = parts[0]!
        let month = parts.count > 1 ? parts[1]! : 1
        let day = parts.count > 2 ? parts[2]! : 1
        guard (1...9999).contains(year), (1...12).contains(month), CivilCalendar.isValid(year: year, month: month, day: day)
        else { throw .badDate(token) }
        return Int64(CivilCalendar.days(year: year, month: month, day: day)) * 86_400
    }
}

/// A search that cannot be run, in words a reader can act on.
public enum SearchError: Error, CustomStringConvertible, Equatable, Sendable {
    case nothingToFind(String)
    case badDate(String)
    case emptyRange
    case noIndex(path: String)
    case engine(String)

    public var description: String {
        switch self {
        case .nothingToFind(let text):
            return "'\(text)' has no word to look for (only exclusions, operators or punctuation); give at least one"
        case .badDate(let token):
            return "'\(token)': write the date as 2026, 2026-03 or 2026-03-12"
        case .emptyRange:
            return "after: is not before before:; no post can be in between"
        case .noIndex(let path):
            return "\(path) has no search index yet: run `tidings refresh` (or restart the daemon) to upgrade it"
        case .engine(let message):
            return "the search could not be run: \(message)"
        }
    }
}
