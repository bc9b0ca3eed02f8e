import XML

/// A second chance for feeds that libxml2's recover mode reads wrongly. Publishers' three usual mistakes
/// are undeclared HTML entities (`&nbsp;`), bare ampersands (`Tom & Jerry`) and HTML pasted unescaped
/// into `<description>`, whose unclosed tags make recover mode nest every later item inside the first.
/// This rewrites those, and only those, before parsing again.
///
/// It works on the bytes, one pass each, in time linear in the document: an earlier version worked on a
/// `String` of Latin-1 scalars with Foundation's `range(of:)`, which re-read the rest of a non-ASCII
/// document at every item (13.5 s for a 2.7 MB feed, minutes at 6 MB). Any ASCII-compatible encoding
/// survives untouched outside the edits, since every byte the edits look for is ASCII.
enum XMLRepair {
    /// Elements whose text is HTML, so raw markup inside them can be wrapped in CDATA unchanged.
    static let htmlTextElements: [[UInt8]] = ["description", "content:encoded", "summary", "content"].map {
        Array($0.utf8)
    }

    /// The repaired document, or nil when there is nothing this can repair (an encoding it cannot
    /// safely edit byte-wise, such as UTF-16).
    static func repair(_ bytes: [UInt8]) -> [UInt8]? {
        guard !Charset.looksLikeUTF16WithoutBOM(bytes), !bytes.starts(with: [0xFE, 0xFF]),
            !bytes.starts(with: [0xFF, 0xFE])
        else { return nil }
        return repairAmpersands(in: wrapRawMarkup(in: bytes))
    }

    /// `<description>unclosed <b>bold</description>` → `<description><![CDATA[unclosed <b>bold]]></description>`.
    static func wrapRawMarkup(in text: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(text.count + text.count / 16)
        var position = 0
        // An element whose closing tag was not found after some point has none after any later point either:
        // remembering that keeps a document full of unclosed elements linear.
        var unclosedFrom: [Int: Int] = [:]
        while let open = nextHTMLTextElement(in: text, from: position) {
            result += text[position..<open.contentStart]
            let closeTag = Array("</".utf8) + htmlTextElements[open.name] + [UInt8(ascii: ">")]
            let close =
                (unclosedFrom[open.name].map { open.contentStart >= $0 } ?? false)
                ? nil : ByteSearch.find(closeTag, in: text, from: open.contentStart)
            guard let close else {
                unclosedFrom[open.name] = min(unclosedFrom[open.name] ?? .max, open.contentStart)
                position = open.contentStart
                continue
            }
            let inner = text[open.contentStart..<close]
            if inner.contains(UInt8(ascii: "<")) && !startsWithCDATA(inner) {
                result += Array("<![CDATA[".utf8)
                appendEscapingCDATAEnd(inner, to: &result)
                result += Array("]]>".utf8)
            } else {
                result += inner
            }
            result += closeTag
            position = close + closeTag.count
        }
        result += text[position...]
        return result
    }

    /// The next opening tag of an HTML-text element that is not XHTML (Atom's `type="xhtml"` holds real
    /// markup): the element's index in `htmlTextElements` and where its content starts.
    private static func nextHTMLTextElement(in text: [UInt8], from start: Int) -> (name: Int, contentStart: Int)? {
        var index = start
        while let lessThan = ByteSearch.find(UInt8(ascii: "<"), in: text, from: index) {
            let afterBracket = lessThan + 1
            for (number, name) in htmlTextElements.enumerated() where hasPrefix(text, name, at: afterBracket) {
                let afterName = afterBracket + name.count
                guard afterName < text.count else { continue }
                let next = text[afterName]
                guard
                    next == UInt8(ascii: ">") || next == UInt8(ascii: " ") || next == UInt8(ascii: "\t")
                        || next == UInt8(ascii: "\n"),
                    let end = ByteSearch.find(UInt8(ascii: ">"), in: text, from: afterName)
                else { continue }
                let attributes = text[afterName..<end]
                if attributes.last == UInt8(ascii: "/") || ByteSearch.contains(Array("xhtml".utf8), in: attributes) {
                    break
                }
                return (number, end + 1)
            }
            index = afterBracket
        }
        return nil
    }

    /// Undeclared HTML entities become character references; ampersands that start no reference are escaped.
    static func repairAmpersands(in text: [UInt8]) -> [UInt8] {
        let declared = declaredEntities(in: text)
        var result: [UInt8] = []
        result.reserveCapacity(text.count + text.count / 32)
        var position = 0
        while let ampersand = ByteSearch.find(UInt8(ascii: "&"), in: text, from: position) {
            result += text[position..<ampersand]
            var end = ampersand + 1
            while end < text.count, end - ampersand <= 32, isNameByte(text[end]) { end += 1 }
            let name = text[(ampersand + 1)..<end]
            let terminated = end < text.count && text[end] == UInt8(ascii: ";")
            if terminated, name.starts(with: Array("#X".utf8)), isXMLReference(name) {
                // `&#X41;`: HTML allows the capital X, XML does not.
                result += Array("&#x".utf8) + name.dropFirst(2) + [UInt8(ascii: ";")]
                position = end + 1
            } else if terminated, !name.isEmpty, isXMLReference(name) || declared.contains(Array(name)) {
                result += text[ampersand...end]
                position = end + 1
            } else if terminated, !name.isEmpty,
                let codePoint = HTMLEntity.codePoint(named: String(decoding: name, as: UTF8.self))
            {
                result += Array("&#\(codePoint);".utf8)
                position = end + 1
            } else {
                result += Array("&amp;".utf8)
                position = ampersand + 1
            }
        }
        result += text[position...]
        return result
    }

    /// Names declared by `<!ENTITY name …>` in the document's own DTD, read once.
    private static func declaredEntities(in text: [UInt8]) -> Set<[UInt8]> {
        let marker = Array("<!ENTITY ".utf8)
        var names: Set<[UInt8]> = []
        var index = 0
        while let found = ByteSearch.find(marker, in: text, from: index) {
            var start = found + marker.count
            while start < text.count, text[start] == UInt8(ascii: " ") { start += 1 }
            var end = start
            while end < text.count, isNameByte(text[end]) { end += 1 }
            if end > start, end < text.count, text[end] == UInt8(ascii: " ") { names.insert(Array(text[start..<end])) }
            index = end
        }
        return names
    }

    /// Letters, digits and `#`, the bytes of a reference's name (ASCII only: no entity name has more).
    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "#")
    }

    private static func isXMLReference(_ name: ArraySlice<UInt8>) -> Bool {
        if name.first == UInt8(ascii: "#") {
            let digits = name.dropFirst()
            if digits.first == UInt8(ascii: "x") || digits.first == UInt8(ascii: "X") {
                let hex = digits.dropFirst()
                return !hex.isEmpty && hex.allSatisfy { Character(Unicode.Scalar($0)).isHexDigit }
            }
            return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        return [Array("amp".utf8), Array("lt".utf8), Array("gt".utf8), Array("quot".utf8), Array("apos".utf8)]
            .contains(Array(name))
    }

    private static func startsWithCDATA(_ inner: ArraySlice<UInt8>) -> Bool {
        let trimmed = inner.drop { TextScan.isASCIIWhitespace($0) }
        return trimmed.starts(with: Array("<![CDATA[".utf8))
    }

    /// Copies `inner`, splitting any `]]>` so it cannot end the CDATA section early.
    private static func appendEscapingCDATAEnd(_ inner: ArraySlice<UInt8>, to result: inout [UInt8]) {
        let end = Array("]]>".utf8)
        var position = inner.startIndex
        while let found = ByteSearch.find(end, in: inner, from: position) {
            result += inner[position..<found]
            result += Array("]]]]><![CDATA[>".utf8)
            position = found + end.count
        }
        result += inner[position...]
    }

    private static func hasPrefix(_ text: [UInt8], _ prefix: [UInt8], at index: Int) -> Bool {
        index + prefix.count <= text.count && text[index..<(index + prefix.count)].elementsEqual(prefix)
    }
}

/// Byte searches over arrays and slices (memchr for single bytes).
enum ByteSearch {
    static func find<C: RandomAccessCollection>(_ byte: UInt8, in text: C, from start: C.Index) -> C.Index?
    where C.Element == UInt8 {
        text[start...].firstIndex(of: byte)
    }

    /// The first index of `needle` at or after `start`. Needles here are short tags, so the naive search is
    /// linear in practice: it jumps between occurrences of the first byte.
    static func find<C: RandomAccessCollection>(_ needle: [UInt8], in text: C, from start: C.Index) -> C.Index?
    where C.Element == UInt8, C.Index == Int {
        guard let first = needle.first else { return start }
        var index = start
        while let candidate = text[index...].firstIndex(of: first) {
            guard candidate + needle.count <= text.endIndex else { return nil }
            if text[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }

    static func contains(_ needle: [UInt8], in text: ArraySlice<UInt8>) -> Bool {
        find(needle, in: text, from: text.startIndex) != nil
    }
}
