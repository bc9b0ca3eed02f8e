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
            let mask = mask(quotes: quotes, apostrophes: apostrophes)
            guard let first = firstNeedingWork(bytes, from: 0, mask: mask) else {
                return String(decoding: bytes, as: UTF8.self)
            }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + bytes.count / 8)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<first]))
            append(UnsafeBufferPointer(rebasing: bytes[first...]), mask: mask, to: &output)
            return String(decoding: output, as: UTF8.self)
        }
    }

    private static func append(
        _ bytes: UnsafeBufferPointer<UInt8>, quotes: Bool, apostrophes: Bool = false, to output: inout [UInt8]
    ) {
        append(bytes, mask: mask(quotes: quotes, apostrophes: apostrophes), to: &output)
    }

    /// Copies clean runs in one go and escapes or drops the bytes between them.
    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, mask: UInt8, to output: inout [UInt8]) {
        var start = 0
        while let index = firstNeedingWork(bytes, from: start, mask: mask) {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            var next = index + 1
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
            default: next += 2  // U+FFFE and U+FFFF (EF BF BE/BF) are not characters
            }
            start = next
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
    }

    /// What each byte needs, as bits: 1 in text, 2 in an attribute, 4 in an HTML attribute (which escapes
    /// `'` too). 0xEF is marked everywhere: it may start U+FFFE or U+FFFF, checked when met.
    private static let work: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in 0..<0x20 { table[byte] = [0x09, 0x0A, 0x0D].contains(byte) ? 0b110 : 0b111 }
        for byte in [0x26, 0x3C, 0x3E, 0xEF] { table[byte] = 0b111 }
        table[0x22] = 0b110
        table[0x27] = 0b100
        return table
    }()

    private static func mask(quotes: Bool, apostrophes: Bool) -> UInt8 {
        apostrophes ? 0b100 : quotes ? 0b010 : 0b001
    }

    /// The index of the first byte from `start` that must be escaped or dropped: one table lookup per byte.
    @inline(__always)
    private static func firstNeedingWork(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, mask: UInt8) -> Int? {
        work.withUnsafeBufferPointer { work in
            var index = start
            while index < bytes.count {
                let byte = bytes[index]
                if work[Int(byte)] & mask != 0 {
                    if byte != 0xEF { return index }
                    if index + 2 < bytes.count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE { return index }
                }
                index += 1
            }
            return nil
        }
    }

    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
