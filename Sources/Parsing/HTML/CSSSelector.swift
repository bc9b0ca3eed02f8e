import Foundation

/// Translates the useful subset of CSS selectors into XPath 1.0 for libxml2: type and `*`, `.class`,
/// `#id`, `[attr]`, `[attr=v]`, `[attr~=v]`, `[attr^=v]`, `[attr$=v]`, `[attr*=v]`, the descendant,
/// `>`, `+` and `~` combinators, `:first-child`, `:last-child`, `:nth-child(an+b)`, `:not(…)` and
/// selector lists. A trailing `@name` (`a@href`) selects that attribute of the matched elements.
public enum CSSSelector {
    public struct SyntaxError: Error, CustomStringConvertible, Equatable, Sendable {
        public var selector: String
        public var reason: String
        public var description: String { "the CSS selector '\(selector)' \(reason)" }
    }

    /// The XPath for `selector`, matching descendants of the context node (or of the document when
    /// `fromDocument` is true).
    public static func xpath(_ selector: String, fromDocument: Bool = false) throws(SyntaxError) -> String {
        try xpath(selector, start: fromDocument ? "/descendant::" : "descendant::")
    }

    /// The XPath for `selector` with `start` as the axis of each selector's first step.
    static func xpath(_ selector: String, start: String) throws(SyntaxError) -> String {
        var parser = Parser(text: selector)
        do {
            let xpath = try parser.selectorList(start: start)
            return xpath
        } catch let reason {
            throw SyntaxError(selector: selector, reason: reason.reason)
        }
    }
}

private struct Failure: Error { var reason: String }

/// A recursive-descent reader of the selector text, emitting XPath as it goes.
private struct Parser {
    let characters: [Character]
    var index = 0

    init(text: String) { characters = Array(text.trimmingCharacters(in: .whitespaces)) }

    var atEnd: Bool { index >= characters.count }
    var current: Character? { atEnd ? nil : characters[index] }

    mutating func selectorList(start: String) throws(Failure) -> String {
        var alternatives: [String] = []
        repeat {
            skipSpaces()
            alternatives.append(try complexSelector(start: start))
            skipSpaces()
        } while consume(",")
        guard atEnd else { throw Failure(reason: "has an unexpected '\(characters[index])' at position \(index + 1)") }
        return alternatives.joined(separator: " | ")
    }

    mutating func complexSelector(start: String) throws(Failure) -> String {
        var xpath = start + (try compoundSelector())
        while true {
            let hadSpace = skipSpaces()
            guard let next = current, next != ",", next != "@", next != ")" else { break }
            switch next {
            case ">":
                index += 1
                skipSpaces()
                xpath += "/" + (try compoundSelector())
            case "+":
                index += 1
                skipSpaces()
                let (name, conditions) = try compoundParts()
                xpath += "/following-sibling::*[1]/self::" + name + conditions
            case "~":
                index += 1
                skipSpaces()
                xpath += "/following-sibling::" + (try compoundSelector())
            default:
                guard hadSpace else { throw Failure(reason: "has an unexpected '\(next)' at position \(index + 1)") }
                xpath += "/descendant::" + (try compoundSelector())
            }
        }
        if consume("@") {
            let name = identifier()
            guard !name.isEmpty else { throw Failure(reason: "ends in '@' without an attribute name") }
            xpath += "/@" + name
        }
        return xpath
    }

    mutating func compoundSelector() throws(Failure) -> String {
        let (name, conditions) = try compoundParts()
        return name + conditions
    }

    /// The element test and its predicates, e.g. ("div", "[@id='main']").
    mutating func compoundParts() throws(Failure) -> (String, String) {
        var name = "*"
        var empty = true
        if consume("*") {
            empty = false
        } else if let character = current, character.isLetter {
            name = identifier().lowercased()
            empty = false
        }
        var conditions = ""
        loop: while let character = current {
            switch character {
            case ".":
                index += 1
                conditions +=
                    "[" + Self.containsWord("@class", try required(identifier(), "a class name after '.'")) + "]"
            case "#":
                index += 1
                conditions += "[@id=" + Self.literal(try required(identifier(), "an id after '#'")) + "]"
            case "[":
                index += 1
                conditions += "[" + (try attributeCondition()) + "]"
            case ":":
                index += 1
                conditions += "[" + (try pseudoClass()) + "]"
            default:
                break loop
            }
            empty = false
        }
        guard !empty else {
            let found =
                current.map { "an unexpected '\($0)' at position \(index + 1)" } ?? "nothing where a selector belongs"
            throw Failure(reason: "has \(found)")
        }
        return (name, conditions)
    }

    mutating func attributeCondition() throws(Failure) -> String {
        skipSpaces()
        let name = try required(identifier(), "an attribute name after '['")
        skipSpaces()
        let attribute = "@" + name
        if consume("]") { return attribute }
        var operation = ""
        while let character = current, "~^$*|=".contains(character) {
            operation.append(character)
            index += 1
        }
        guard !operation.isEmpty else { throw Failure(reason: "has an attribute selector without its closing ']'") }
        skipSpaces()
        let value = try attributeValue()
        skipSpaces()
        guard consume("]") else { throw Failure(reason: "has an attribute selector without its closing ']'") }
        let literal = Self.literal(value)
        switch operation {
        case "=": return "\(attribute)=\(literal)"
        case "~=": return Self.containsWord(attribute, value)
        case "^=": return "starts-with(\(attribute), \(literal))"
        case "$=":
            return "substring(\(attribute), string-length(\(attribute)) - string-length(\(literal)) + 1)=\(literal)"
        case "*=": return "contains(\(attribute), \(literal))"
        default: throw Failure(reason: "uses the unsupported attribute operator '\(operation)'")
        }
    }

    mutating func attributeValue() throws(Failure) -> String {
        if let quote = current, quote == "\"" || quote == "'" {
            index += 1
            var value = ""
            while let character = current, character != quote {
                value.append(character)
                index += 1
            }
            guard consume(quote) else { throw Failure(reason: "has an unclosed quote") }
            return value
        }
        // Unquoted values are read up to the bracket, so `[href$=.pdf]` works as people write it.
        var value = ""
        while let character = current, character != "]", !character.isWhitespace {
            value.append(character)
            index += 1
        }
        return try required(value, "a value in an attribute selector")
    }

    mutating func pseudoClass() throws(Failure) -> String {
        let name = identifier().lowercased()
        switch name {
        case "first-child": return "not(preceding-sibling::*)"
        case "last-child": return "not(following-sibling::*)"
        case "only-child": return "not(preceding-sibling::*) and not(following-sibling::*)"
        case "nth-child":
            let (a, b) = try nthArguments()
            return Self.nthCondition(a: a, b: b)
        case "not":
            guard consume("(") else { throw Failure(reason: "needs '(' after ':not'") }
            skipSpaces()
            let (element, conditions) = try compoundParts()
            skipSpaces()
            guard consume(")") else { throw Failure(reason: "has ':not(' without its closing ')'") }
            return "not(self::\(element)\(conditions))"
        default:
            throw Failure(reason: "uses the unsupported pseudo-class ':\(name)'")
        }
    }

    /// `an+b`, `odd`, `even` or a number.
    mutating func nthArguments() throws(Failure) -> (Int, Int) {
        guard consume("(") else { throw Failure(reason: "needs '(' after ':nth-child'") }
        var text = ""
        while let character = current, character != ")" {
            if !character.isWhitespace { text.append(character) }
            index += 1
        }
        guard consume(")") else { throw Failure(reason: "has ':nth-child(' without its closing ')'") }
        switch text.lowercased() {
        case "odd": return (2, 1)
        case "even": return (2, 0)
        default: break
        }
        guard let n = text.firstIndex(where: { $0 == "n" || $0 == "N" }) else {
            guard let b = Int(text), Self.nthRange.contains(b) else {
                throw Failure(reason: "has ':nth-child(\(text))', which is not an+b with numbers up to a million")
            }
            return (0, b)
        }
        let aText = String(text[..<n])
        let bText = String(text[text.index(after: n)...]).replacingOccurrences(of: "+", with: "")
        let a = aText.isEmpty || aText == "+" ? 1 : aText == "-" ? -1 : Int(aText)
        let b = bText.isEmpty ? 0 : Int(bText)
        guard let a, let b, Self.nthRange.contains(a), Self.nthRange.contains(b) else {
            throw Failure(reason: "has ':nth-child(\(text))', which is not an+b with numbers up to a million")
        }
        return (a, b)
    }

    /// Positions past a million are no page's; the bound also keeps `-a` from overflowing.
    static let nthRange = -1_000_000...1_000_000

    static func nthCondition(a: Int, b: Int) -> String {
        let position = "(count(preceding-sibling::*) + 1)"
        if a == 0 { return "\(position) = \(b)" }
        if a > 0 { return "\(position) >= \(b) and (\(position) - \(b)) mod \(a) = 0" }
        return "\(position) <= \(b) and (\(b) - \(position)) mod \(-a) = 0"
    }

    static func containsWord(_ attribute: String, _ word: String) -> String {
        "contains(concat(' ', normalize-space(\(attribute)), ' '), \(literal(" " + word + " ")))"
    }

    /// An XPath string literal for any text, quotes included.
    static func literal(_ text: String) -> String {
        if !text.contains("'") { return "'\(text)'" }
        if !text.contains("\"") { return "\"\(text)\"" }
        let parts = text.split(separator: "'", omittingEmptySubsequences: false).map { "'\($0)'" }
        return "concat(" + parts.joined(separator: ", \"'\", ") + ")"
    }

    mutating func identifier() -> String {
        var name = ""
        while let character = current, character.isLetter || character.isNumber || character == "-" || character == "_"
        {
            name.append(character)
            index += 1
        }
        return name
    }

    func required(_ value: String, _ what: String) throws(Failure) -> String {
        guard !value.isEmpty else { throw Failure(reason: "needs \(what)") }
        return value
    }

    mutating func consume(_ character: Character) -> Bool {
        guard current == character else { return false }
        index += 1
        return true
    }

    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = index
        while let character = current, character.isWhitespace { index += 1 }
        return index > start
    }
}
