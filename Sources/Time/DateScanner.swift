/// A cursor over a date's ASCII bytes, for the ISO 8601 grammar and for `date_format` patterns. Every
/// number it reads is bounded in length, so none can overflow.
struct DateScanner {
    private var bytes: ArraySlice<UInt8>

    init(_ text: String) { bytes = Array(text.utf8)[...] }

    var isAtEnd: Bool { bytes.isEmpty }

    var peekDigit: Bool { bytes.first.map(Self.isDigit) ?? false }

    mutating func skip(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, bytes.first == ascii else { return false }
        bytes = bytes.dropFirst()
        return true
    }

    mutating func skipSpaces() { bytes = bytes.drop { $0 == 0x20 } }

    /// Exactly `count` digits.
    mutating func digits(exactly count: Int) -> Int? {
        let digits = bytes.prefix(count)
        guard digits.count == count, digits.allSatisfy(Self.isDigit) else { return nil }
        bytes = bytes.dropFirst(count)
        return Self.value(digits)
    }

    /// Up to `max` digits (at least one); with `dropping`, any further digits are read and ignored.
    mutating func number(max: Int, dropping: Bool = false) -> Int? {
        let digits = bytes.prefix(max).prefix(while: Self.isDigit)
        guard !digits.isEmpty else { return nil }
        bytes = bytes.dropFirst(digits.count)
        if dropping { bytes = bytes.drop(while: Self.isDigit) }
        return Self.value(digits)
    }

    /// Fractional seconds as nanoseconds; digits past nine are read and dropped.
    mutating func fraction() -> Int? {
        let digits = bytes.prefix(while: Self.isDigit)
        guard !digits.isEmpty else { return nil }
        bytes = bytes.dropFirst(digits.count)
        var nanoseconds = Self.value(digits.prefix(9))
        for _ in min(digits.count, 9)..<9 { nanoseconds *= 10 }
        return nanoseconds
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    /// Text that must appear as written; a run of spaces matches any run of spaces and tabs.
    mutating func literal(_ literal: String) -> Bool {
        if literal.allSatisfy(\.isWhitespace) {
            let spaces = bytes.prefix { $0 == 0x20 || $0 == 0x09 }
            bytes = bytes.dropFirst(spaces.count)
            return !spaces.isEmpty
        }
        let expected = Array(literal.utf8)
        guard bytes.starts(with: expected) else { return false }
        bytes = bytes.dropFirst(expected.count)
        return true
    }

    /// A run of ASCII letters and a full stop after them, lowercased; nil when there is none.
    mutating func word() -> String? {
        let letters = bytes.prefix { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
        guard !letters.isEmpty else { return nil }
        bytes = bytes.dropFirst(letters.count)
        if bytes.first == UInt8(ascii: ".") { bytes = bytes.dropFirst() }
        return String(decoding: letters.map { $0 | 0x20 }, as: UTF8.self)
    }

    mutating func monthName() -> Int? {
        let saved = bytes
        guard let word = word(), let month = DateParser.monthNumber(Substring(word)) else {
            bytes = saved
            return nil
        }
        return month
    }

    mutating func amPm() -> Bool? {
        let letters = bytes.prefix(2).map { $0 | 0x20 }
        guard letters == Array("am".utf8) || letters == Array("pm".utf8) else { return nil }
        bytes = bytes.dropFirst(2)
        return letters[0] == UInt8(ascii: "p")
    }

    /// A zone as the date parser reads them (`Z`, `+0200`, `+02:00`, `GMT`, `EST`…): the rest of the word.
    mutating func zone() -> Int? {
        let word = bytes.prefix { $0 != 0x20 && $0 != 0x09 }
        guard let offset = ZoneOffset.named(Substring(String(decoding: word, as: UTF8.self).lowercased())) else {
            return nil
        }
        bytes = bytes.dropFirst(word.count)
        return offset
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func value(_ digits: ArraySlice<UInt8>) -> Int { digits.reduce(0) { $0 * 10 + Int($1 - 0x30) } }
}
