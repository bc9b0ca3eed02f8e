/// Counts words the way a reader would: runs of letters and digits, except in Chinese, Japanese and
/// Korean text, where each character counts as a word because those scripts do not separate words by spaces.
public enum WordCounter {
    public static func count(_ text: String) -> Int {
        var words = 0
        var inWord = false
        var previousWasDigit = false
        for scalar in text.unicodeScalars {
            let isDigit = scalar.properties.numericType != nil
            if isCJK(scalar) {
                words += 1
                inWord = false
            } else if scalar.properties.isAlphabetic || isDigit {
                if !inWord { words += 1 }
                inWord = true
            } else if inWord && (scalar == "'" || scalar == "’" || scalar == "-") {
                // Joiners inside a word: "don't", "well-known".
            } else if inWord && previousWasDigit && (scalar == "." || scalar == ",") {
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
