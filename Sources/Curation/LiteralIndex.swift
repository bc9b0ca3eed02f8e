/// A quick test for patterns that are plain text — `word`, `two words|other`, `(?i)sponsored|giveaway`, as most
/// operators write them — over ASCII text: one pass over the text's bytes, looking up each position's first
/// two bytes, instead of ICU trying every alternative at every position (a hundred case-insensitive patterns
/// cost ICU about 100 µs a title). Text with other characters is left to ICU: case-insensitive matching
/// there folds more than ASCII letters.
struct LiteralIndex: Sendable {
    private struct Literal: Sendable {
        var bytes: [UInt8]
        var caseInsensitive: Bool
        /// The rule (an index into its rule set) whose key pattern this is one alternative of.
        var rule: Int
    }

    /// Literals by their first two bytes (lowercased for case-insensitive ones).
    private var byPrefix: [UInt16: [Literal]] = [:]

    var isEmpty: Bool { byPrefix.isEmpty }

    /// The alternatives of `pattern` when it is plain ASCII text, each at least two bytes; nil otherwise.
    static func literals(of pattern: String) -> (alternatives: [[UInt8]], caseInsensitive: Bool)? {
        var text = Substring(pattern)
        let caseInsensitive = text.hasPrefix("(?i)")
        if caseInsensitive { text = text.dropFirst(4) }
        let special: Set<UInt8> = Set(".^$*+?()[]{}\\#".utf8)
        var alternatives: [[UInt8]] = []
        for part in text.split(separator: "|", omittingEmptySubsequences: false) {
            let bytes = Array(part.utf8)
            guard bytes.count >= 2, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && !special.contains($0) }) else {
                return nil
            }
            alternatives.append(caseInsensitive ? bytes.map(lowered) : bytes)
        }
        return alternatives.isEmpty ? nil : (alternatives, caseInsensitive)
    }

    mutating func add(_ alternatives: [[UInt8]], caseInsensitive: Bool, rule: Int) {
        for bytes in alternatives {
            byPrefix[Self.key(bytes[0], bytes[1]), default: []].append(
                Literal(bytes: bytes, caseInsensitive: caseInsensitive, rule: rule))
        }
    }

    /// The rules one of whose literals occurs in `text`; nil when the text is not ASCII (ICU must decide).
    func matchingRules(in text: String) -> Set<Int>? {
        var text = text
        return text.withUTF8 { bytes -> Set<Int>? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var found: Set<Int> = []
            guard bytes.count >= 2 else { return found }
            for start in 0..<(bytes.count - 1) {
                let first = bytes[start]
                let second = bytes[start + 1]
                let exact = Self.key(first, second)
                let folded = Self.key(Self.lowered(first), Self.lowered(second))
                for key in exact == folded ? [exact] : [exact, folded] {
                    guard let candidates = byPrefix[key] else { continue }
                    for literal in candidates where !found.contains(literal.rule) {
                        if Self.occurs(literal, in: bytes, at: start) { found.insert(literal.rule) }
                    }
                }
            }
            return found
        }
    }

    private static func occurs(_ literal: Literal, in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard start + literal.bytes.count <= bytes.count else { return false }
        for (offset, byte) in literal.bytes.enumerated() {
            let other = bytes[start + offset]
            if (literal.caseInsensitive ? lowered(other) : other) != byte { return false }
        }
        return true
    }

    private static func key(_ first: UInt8, _ second: UInt8) -> UInt16 { UInt16(first) << 8 | UInt16(second) }

    private static func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
}
