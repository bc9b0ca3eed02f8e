/// Byte-level text helpers for the hot paths. `Character`-based loops pay for grapheme breaking on every
/// character and Foundation's trimming bridges through UTF-16; over a large feed those dominate the
/// parse, so these work on UTF-8 directly. Whitespace here is ASCII whitespace and U+00A0 (no-break
/// space), which is what markup is separated by in practice.
enum TextScan {
    /// Runs of whitespace become one space; the ends are trimmed.
    static func collapsed(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            var pendingSpace = false
            var index = 0
            while index < bytes.count {
                let width = whitespaceWidth(bytes, at: index)
                if width > 0 {
                    pendingSpace = !output.isEmpty
                    index += width
                    continue
                }
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                output.append(bytes[index])
                index += 1
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The text without leading and trailing whitespace.
    static func trimmed(_ text: String) -> String {
        var contiguous = text
        return contiguous.withUTF8 { bytes -> String in
            let (start, end) = trimmedRange(bytes)
            if start == 0 && end == bytes.count { return text }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    /// UTF-8 bytes as a string without leading and trailing whitespace.
    static func trimmedString(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { bytes in
            let (start, end) = trimmedRange(bytes)
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    private static func trimmedRange(_ bytes: UnsafeBufferPointer<UInt8>) -> (start: Int, end: Int) {
        var start = 0
        var end = bytes.count
        while start < end, whitespaceWidth(bytes, at: start) > 0 { start += whitespaceWidth(bytes, at: start) }
        while end > start {
            if isASCIIWhitespace(bytes[end - 1]) {
                end -= 1
            } else if end - start >= 2, bytes[end - 2] == 0xC2, bytes[end - 1] == 0xA0 {
                end -= 2
            } else {
                break
            }
        }
        return (start, end)
    }

    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    /// 1 for ASCII whitespace, 2 for U+00A0, 0 otherwise.
    @inline(__always)
    static func whitespaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if isASCIIWhitespace(byte) { return 1 }
        if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 { return 2 }
        return 0
    }
}
