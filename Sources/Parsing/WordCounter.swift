/// Counts words the way a reader would: runs of letters and digits, except in Chinese, Japanese and
/// Korean text, where each character counts as a word because those scripts do not separate words by spaces.
public enum WordCounter {
    public static func count(_ text: String) -> Int {
        var words = 0
        var inWord = false
        var previousWasDigit = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isDigit: Bool
            let isLetter: Bool
            if value < 0x80 {
                // ASCII, nearly all of most feeds: no Unicode property lookups.
                isDigit = value >= 0x30 && value <= 0x39
                isLetter = (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A
            } else if isCJK(scalar) {
                words += 1
                inWord = false
                previousWasDigit = false
                continue
            } else {
                isDigit = scalar.properties.numericType != nil
                isLetter = scalar.properties.isAlphabetic
            }
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
        return words
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
