/// Counts words the way a reader would: runs of letters and digits, except in Chinese, Japanese and
/// Korean text, where each character counts as a word because those scripts do not separate words by spaces.
public enum WordCounter {
    public static func count(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var counter = Counter()
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    // ASCII, nearly all of most feeds: no decoding, no Unicode property lookups, and the
                    // common case, a letter inside a word, decided first.
                    let isLetter = (byte | 0x20) &- 0x61 < 26
                    if isLetter && counter.inWord {
                        // Most bytes: the rest of a word. Skip to its end without touching the state.
                        index += 1
                        while index < bytes.count, (bytes[index] | 0x20) &- 0x61 < 26 { index += 1 }
                        counter.previousWasDigit = false
                        continue
                    }
                    counter.step(UInt32(byte), isLetter: isLetter, isDigit: byte &- 0x30 < 10)
                    index += 1
                    continue
                }
                var decoder = UTF8()
                var iterator = UnsafeBufferPointer(rebasing: bytes[index..<min(index + 4, bytes.count)]).makeIterator()
                guard case .scalarValue(let scalar) = decoder.decode(&iterator) else {
                    counter.step(0xFFFD, isLetter: false, isDigit: false)
                    index += 1
                    continue
                }
                index += UTF8.width(scalar)
                if isCJK(scalar) {
                    counter.countStandalone()
                } else {
                    counter.step(
                        scalar.value, isLetter: scalar.properties.isAlphabetic,
                        isDigit: scalar.properties.numericType != nil)
                }
            }
            return counter.words
        }
    }

    /// The word-boundary state machine.
    private struct Counter {
        var words = 0
        var inWord = false
        var previousWasDigit = false

        mutating func step(_ value: UInt32, isLetter: Bool, isDigit: Bool) {
            if isLetter || isDigit {
                if !inWord { words += 1 }
                inWord = true
            } else if inWord && (value == 0x27 || value == 0x2019 || value == 0x2D) {
                // Joiners inside a word: "don't", "well-known".
            } else if inWord && previousWasDigit && (value == 0x2E || value == 0x2C) {
                // Inside a number: "0.91", "1,000".
            } else {
                inWord = false
            }
            previousWasDigit = isDigit
        }

        /// A Chinese, Japanese or Korean character: a word of its own.
        mutating func countStandalone() {
            words += 1
            inWord = false
            previousWasDigit = false
        }
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF,  // Hiragana, Katakana
            0x3400...0x4DBF,  // CJK Extension A
            0x4E00...0x9FFF,  // CJK Unified Ideographs
            0xAC00...0xD7AF,  // Hangul syllables
            0xF900...0xFAFF,  // CJK Compatibility Ideographs
            0x20000...0x2FA1F:  // CJK Extensions B–F and supplements
            return true
        default:
            return false
        }
    }
}
