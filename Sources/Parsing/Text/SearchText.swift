/// Text as the search index holds it. SQLite's `unicode61` tokenizer splits on spaces and punctuation and
/// folds case and diacritics (`cafe` finds `café`), but Chinese, Japanese and Korean are written without
/// spaces, so a whole sentence would be one token: every run of those scripts is written here as its
/// overlapping two-character words (`東京都` → `東京 京都`), which a query made the same way finds — a
/// two-character word as a token, a longer one as the phrase of its pairs. (FTS5's `trigram` tokenizer
/// would miss two-character queries.)
public enum SearchText {
    public static func indexed(_ text: String) -> String {
        guard mayHoldCJK(text), text.unicodeScalars.contains(where: isCJK) else { return text }
        var output = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []
        func flush() {
            guard !run.isEmpty else { return }
            output.append(" ")
            if run.count == 1 {
                output.append(run[0])
            } else {
                for index in 0..<(run.count - 1) {
                    if index > 0 { output.append(" ") }
                    output.append(run[index])
                    output.append(run[index + 1])
                }
            }
            output.append(" ")
            run.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if isCJK(scalar) {
                run.append(scalar)
            } else {
                flush()
                output.append(scalar)
            }
        }
        flush()
        return String(output)
    }

    /// The visible text of HTML the sanitiser wrote (well-formed, attributes in double quotes, escaped as
    /// XML): tags become spaces, references are decoded, whitespace is collapsed. One linear pass, no parser:
    /// the search index computes it whenever it writes or removes an entry, from the stored HTML, so what is
    /// removed is exactly what was written.
    public static func visibleText(ofSanitized html: String) -> String {
        var output: [UInt8] = []
        var bytes = Array(html.utf8)[...]
        output.reserveCapacity(bytes.count)
        var pendingSpace = false
        func emit(_ byte: UInt8) {
            if byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D {
                pendingSpace = !output.isEmpty
                return
            }
            if pendingSpace { output.append(0x20) }
            pendingSpace = false
            output.append(byte)
        }
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "<"):
                var quoted = false
                while let inner = bytes.popFirst() {
                    if inner == UInt8(ascii: "\"") { quoted.toggle() } else if inner == UInt8(ascii: ">"), !quoted { break }
                }
                emit(0x20)
            case UInt8(ascii: "&"):
                let end = bytes.prefix(12).firstIndex(of: UInt8(ascii: ";"))
                let name = end.map { String(decoding: bytes[bytes.startIndex..<$0], as: UTF8.self) }
                if let end, let decoded = reference(name ?? "") {
                    bytes = bytes[(end + 1)...]
                    for unit in decoded.utf8 { emit(unit) }
                } else {
                    emit(byte)
                }
            default:
                emit(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func reference(_ name: String) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }

    /// Indexed text made readable again (a snippet): overlapping pairs joined back (`東京 京都` → `東京都`), and
    /// the spaces put around runs of Han and kana taken out. `marks` are the characters a snippet put around
    /// matched words; they stay where they were.
    public static func restored(_ text: String, marks: Set<Character> = []) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index + 1 < words.count {
            let left = words[index].filter { !marks.contains($0) }
            let right = words[index + 1].filter { !marks.contains($0) }
            if left.count >= 2, right.count == 2, left.unicodeScalars.allSatisfy(isCJK),
                right.unicodeScalars.allSatisfy(isCJK), left.last == right.first
            {
                var joined = words[index + 1]
                if let overlap = joined.firstIndex(where: { !marks.contains($0) }) { joined.remove(at: overlap) }
                words[index] += joined
                words.remove(at: index + 1)
            } else {
                index += 1
            }
        }
        let characters = Array(words.joined(separator: " "))
        var result = ""
        for (position, character) in characters.enumerated() {
            if character == " " {
                let before = characters[..<position].last { !marks.contains($0) }
                let after = characters[(position + 1)...].first { !marks.contains($0) }
                if [before, after].contains(where: { $0.map(isUnspaced) ?? false }) { continue }
            }
            result.append(character)
        }
        return result
    }

    /// Han and kana, and their punctuation: written without spaces (Hangul is written with them).
    private static func isUnspaced(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            (isCJK(scalar) && !(0xAC00...0xD7AF).contains(scalar.value) && !(0x1100...0x11FF).contains(scalar.value)
                && !(0x3130...0x318F).contains(scalar.value)) || (0x3000...0x303F).contains(scalar.value)
                || (0xFF00...0xFF65).contains(scalar.value)
        }
    }

    /// Whether any UTF-8 lead byte could start a scalar `isCJK` accepts (U+1100–11FF, U+3000–D7FF, U+F900–FFFF,
    /// U+20000–2FFFF): a byte scan that spares most text, which is Latin, the scan by scalars.
    private static func mayHoldCJK(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.contains { $0 == 0xE1 || (0xE3...0xED).contains($0) || $0 == 0xEF || $0 == 0xF0 }
        }
    }

    /// Han, kana and Hangul: scripts written without spaces between words.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0x1100...0x11FF,
            0x3130...0x318F, 0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
