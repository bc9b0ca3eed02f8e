/// C1 control characters (U+0080–U+009F) in a feed's text are nearly always windows-1252 punctuation
/// written as code points (`don&#146;t`, or bytes decoded as Latin-1): no one means a control character
/// in a title. Each becomes what windows-1252 means by that byte (’ “ ” – — … € ™), as browsers and the
/// established feed parsers read them; the five bytes windows-1252 leaves undefined are dropped.
enum WindowsC1 {
    static func repaired(_ text: String) -> String {
        var text = text
        guard text.withUTF8(occurs) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if (0x80...0x9F).contains(scalar.value) {
                if let mapped = table[Int(scalar.value - 0x80)] { result.append(mapped) }
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Whether UTF-8 `bytes` hold a C1 character: 0xC2 followed by 0x80–0x9F.
    static func occurs(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while let index = bytes[start...].firstIndex(of: 0xC2) {
            if index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
            start = index + 1
        }
        return false
    }

    /// windows-1252's 0x80–0x9F; nil for its five undefined bytes.
    static let table: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]
}
