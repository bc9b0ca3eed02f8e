/// Escaping for text written into XML or HTML by hand. It also drops the characters XML 1.0 forbids
/// (most C0 controls, lone surrogates, U+FFFE/U+FFFF), which other people's feeds do contain and which
/// would make a whole output feed ill-formed.
public enum XMLEscape {
    public static func text(_ text: String) -> String {
        escape(text, quotes: false)
    }

    public static func attribute(_ text: String) -> String {
        escape(text, quotes: true)
    }

    /// For HTML templates, whose attributes may be quoted either way: escapes `'` as well.
    public static func html(_ text: String) -> String {
        escape(text, quotes: true, apostrophes: true)
    }

    /// Appends escaped UTF-8 text to `output`, for writers that build their result as bytes.
    public static func appendText(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        append(bytes, quotes: false, to: &output)
    }

    public static func appendAttribute(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, quotes: true, to: &output) }
    }

    /// Works on UTF-8 bytes and returns the input itself when nothing needs escaping, the usual case.
    private static func escape(_ text: String, quotes: Bool, apostrophes: Bool = false) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            var clean = true
            for index in bytes.indices
            where needsWork(bytes, index, quotes: quotes) || (apostrophes && bytes[index] == 0x27) {
                clean = false
                break
            }
            if clean { return String(decoding: bytes, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + bytes.count / 8)
            append(bytes, quotes: quotes, apostrophes: apostrophes, to: &output)
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Copies clean runs in one go and escapes or drops the bytes between them.
    private static func append(
        _ bytes: UnsafeBufferPointer<UInt8>, quotes: Bool, apostrophes: Bool = false, to output: inout [UInt8]
    ) {
        var start = 0
        var index = 0
        while index < bytes.count {
            guard needsWork(bytes, index, quotes: quotes) || (apostrophes && bytes[index] == 0x27) else {
                index += 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            switch bytes[index] {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
            case 0x0A: output.append(contentsOf: "&#10;".utf8)
            case 0x09: output.append(contentsOf: "&#9;".utf8)
            case 0x0D: output.append(contentsOf: "&#13;".utf8)
            case 0x00..<0x20: break  // not allowed in XML 1.0
            default: index += 2  // U+FFFE and U+FFFF (EF BF BE/BF) are not characters
            }
            index += 1
            start = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
    }

    /// Whether a byte must be escaped or dropped. Tab, newline and return need work only in attributes.
    @inline(__always)
    private static func needsWork(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, quotes: Bool) -> Bool {
        let byte = bytes[index]
        if byte >= 0x20 {
            if byte == 0x26 || byte == 0x3C || byte == 0x3E { return true }
            if quotes && byte == 0x22 { return true }
            return byte == 0xEF && index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE
        }
        return quotes || !(byte == 0x09 || byte == 0x0A || byte == 0x0D)
    }

    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
