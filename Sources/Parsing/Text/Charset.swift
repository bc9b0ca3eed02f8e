import Foundation
import XML

/// Decides which character encoding a document is in and, where libxml2 cannot be trusted to cope,
/// fixes the bytes before libxml2 sees them. Whatever comes in, the text that comes out is valid UTF-8.
///
/// The order is the careful readers': a per-source override, then the byte-order mark, then the
/// document's own declaration (`<?xml encoding?>`, or `<meta charset>` in HTML), then the HTTP charset,
/// then UTF-8. For XML this departs from RFC 7303, which ranks the HTTP charset above the document's
/// declaration: servers attach a default charset to every response far more often than documents
/// declare a wrong one, so trusting the server loses more feeds than it saves. (HTML keeps the HTML
/// standard's order, where the HTTP charset comes before `<meta>`.)
struct Charset {
    /// The name to hand to libxml2 as the document's encoding; nil lets libxml2 read the BOM itself.
    var encoding: String?
    /// The bytes to parse: the input, or its UTF-8 repair.
    var bytes: [UInt8]
    var warnings: [String] = []
    /// Which rule chose the encoding, in words (`tidings parse` shows it, so a user can see why text looks
    /// wrong).
    var decision = ""

    /// JSON is UTF-8 by definition (RFC 8259): only its repair applies, never a detected encoding.
    static func json(_ input: [UInt8]) -> Charset {
        utf8(input, because: "JSON is UTF-8")
    }

    static func decide(
        _ input: [UInt8], contentType: String?, override: String?, isHTML: Bool
    ) -> Charset {
        var charset = choose(input, contentType: contentType, override: override, isHTML: isHTML)
        if charset.decision.isEmpty { charset.decision = "\(charset.encoding ?? "Unicode") (its byte-order mark)" }
        return charset
    }

    private static func choose(
        _ input: [UInt8], contentType: String?, override: String?, isHTML: Bool
    ) -> Charset {
        if let override { return resolved(input, declared: override, source: "the source's encoding setting") }
        // A UTF-8 byte-order mark: UTF-8, its invalid bytes repaired like any UTF-8 document's.
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { return utf8(input, because: "its byte-order mark") }
        if hasUnicodeBOM(input) { return Charset(encoding: nil, bytes: input) }
        let http = contentType.flatMap(charsetParameter)
        if isHTML {
            if let http { return resolved(input, declared: http, source: "the HTTP charset") }
            if let meta = metaCharset(input) {
                return resolved(input, declared: meta, source: "the page's <meta charset>")
            }
        } else {
            if let declared = xmlDeclaredEncoding(input) {
                return resolved(input, declared: declared, source: "the XML declaration")
            }
            if looksLikeUTF16WithoutBOM(input) {
                return Charset(encoding: nil, bytes: input, decision: "UTF-16 (its first bytes)")
            }
            if let http { return resolved(input, declared: http, source: "the HTTP charset") }
        }
        return undeclared(input)
    }

    /// Nothing says: UTF-8 when the bytes are UTF-8; else what the charset detector recognises (EUC-JP,
    /// Big5, KOI8-R…); else UTF-8 with its invalid bytes read as windows-1252, the usual mislabelled
    /// Western document.
    private static func undeclared(_ input: [UInt8]) -> Charset {
        if String(validating: input, as: UTF8.self) != nil {
            return Charset(
                encoding: "UTF-8", bytes: input, decision: "UTF-8 (nothing declared, and the bytes are UTF-8)")
        }
        if input.lazy.filter({ $0 >= 0x80 }).count >= minimumForDetection,
            let detected = CharsetDetector.detect(input).map(canonical), recognisable.contains(detected),
            TextEncoding.isSupported(detected)
        {
            return Charset(
                encoding: detected, bytes: input,
                warnings: ["no encoding is declared and the bytes are not UTF-8; they read as \(detected)"],
                decision:
                    "\(detected) (nothing declared, the bytes are not UTF-8, and the charset detector recognised it)")
        }
        return utf8(input, because: "nothing declared")
    }

    /// The detector guesses from a few stray bytes too: below this many non-ASCII bytes it is not asked.
    static let minimumForDetection = 16

    /// What the detector is trusted with: scripts whose bytes it tells apart well (CJK, Cyrillic, Greek,
    /// Hebrew, Arabic, Thai). Its Latin guesses (ISO-8859-2 for a French café) are left to the windows-1252
    /// repair, which reads Western text right and loses nothing of the rest.
    static let recognisable: Set<String> = [
        "EUC-JP", "CP932", "SHIFT_JIS", "ISO-2022-JP", "CP949", "UHC", "EUC-KR", "ISO-2022-KR", "GB18030", "GBK",
        "BIG5-HKSCS", "BIG5", "EUC-TW", "HZ-GB-2312", "ISO-2022-CN", "KOI8-R", "KOI8-U", "WINDOWS-1251",
        "ISO-8859-5", "IBM866", "MAC-CYRILLIC", "ISO-8859-7", "WINDOWS-1253", "ISO-8859-8", "WINDOWS-1255",
        "ISO-8859-6", "WINDOWS-1256", "TIS-620",
    ]

    /// The encoding as libxml2 should read it: browsers' supersets for the labels that lie most.
    static func canonical(_ label: String) -> String {
        switch label.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(["\"", "'"])) {
        case "utf8", "utf-8", "unicode-1-1-utf-8": return "UTF-8"
        // Documents labelled Latin-1 or ASCII are windows-1252 in practice (curly quotes, the euro sign).
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "cp1252", "windows-1252", "x-cp1252":
            return "WINDOWS-1252"
        case "gb2312", "gb_2312-80", "x-gbk", "gbk", "cp936": return "GBK"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j": return "CP932"
        case "euc-jp", "x-euc-jp": return "EUC-JP"
        case "big5", "big5-hkscs", "x-x-big5": return "BIG5-HKSCS"
        case "euc-kr", "ks_c_5601-1987", "windows-949": return "CP949"
        case "koi8-r", "koi8r": return "KOI8-R"
        case let other: return other.uppercased()
        }
    }

    private static func resolved(_ input: [UInt8], declared: String, source: String) -> Charset {
        let encoding = canonical(declared)
        guard encoding != "UTF-8" else { return utf8(input, because: source) }
        guard TextEncoding.isSupported(encoding) else {
            var fallback = utf8(input, because: "\(source) names an unknown encoding")
            fallback.warnings.insert("\(source) names the unknown encoding '\(declared)'; read as UTF-8", at: 0)
            return fallback
        }
        return Charset(encoding: encoding, bytes: input, decision: "\(encoding) (\(source) says '\(declared)')")
    }

    /// UTF-8, with invalid bytes read as windows-1252: the usual mislabelled (or mixed) document.
    private static func utf8(_ input: [UInt8], because reason: String) -> Charset {
        if String(validating: input, as: UTF8.self) != nil {
            return Charset(encoding: "UTF-8", bytes: input, decision: "UTF-8 (\(reason))")
        }
        return Charset(
            encoding: "UTF-8", bytes: repairedUTF8(input),
            warnings: ["the document is not valid UTF-8; its invalid bytes were read as windows-1252"],
            decision: "UTF-8 (\(reason)), its invalid bytes read as windows-1252")
    }

    // MARK: Sniffing

    static func hasUnicodeBOM(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE])
            || bytes.starts(with: [0, 0, 0xFE, 0xFF])
    }

    static func looksLikeUTF16WithoutBOM(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x3C, 0x00, 0x3F, 0x00]) || bytes.starts(with: [0x00, 0x3C, 0x00, 0x3F])
    }

    /// `encoding="…"` from `<?xml … ?>` at the very start of the document.
    static func xmlDeclaredEncoding(_ bytes: [UInt8]) -> String? {
        guard bytes.starts(with: Array("<?xml".utf8)) else { return nil }
        let head = String(decoding: bytes.prefix(200), as: UTF8.self)
        guard let end = head.range(of: "?>") else { return nil }
        return attribute("encoding", in: head[..<end.lowerBound])
    }

    /// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">` near the top.
    static func metaCharset(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(2048), as: UTF8.self).lowercased()
        var rest = head[...]
        while let meta = rest.range(of: "<meta") {
            let tagEnd = rest[meta.upperBound...].firstIndex(of: ">") ?? rest.endIndex
            let tag = rest[meta.upperBound..<tagEnd]
            if let charset = attribute("charset", in: tag) { return charset }
            if let content = attribute("content", in: tag), let charset = charsetParameter(content) { return charset }
            rest = rest[tagEnd...]
        }
        return nil
    }

    /// `charset=…` in a Content-Type value.
    static func charsetParameter(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" {
                let value = pair[1].trimmingCharacters(in: .whitespaces.union(["\"", "'"]))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    private static func attribute(_ name: String, in text: Substring) -> String? {
        guard let range = text.range(of: name + "=") ?? text.range(of: name + " =") else { return nil }
        var value = text[range.upperBound...].drop { $0 == " " }
        guard let first = value.first else { return nil }
        if first == "\"" || first == "'" {
            value = value.dropFirst()
            return value.firstIndex(of: first).map { String(value[..<$0]) }
        }
        return String(value.prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" && $0 != ";" })
    }

    // MARK: Repair

    private static let windows1252: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// Keeps every valid UTF-8 sequence and reads each byte that is not part of one as windows-1252.
    static func repairedUTF8(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 8)
        var index = 0
        while index < input.count {
            let length = validSequenceLength(input, at: index)
            if length > 0 {
                output.append(contentsOf: input[index..<index + length])
                index += length
                continue
            }
            let byte = input[index]
            let scalar = byte >= 0x80 && byte <= 0x9F ? windows1252[Int(byte - 0x80)] : UInt32(byte)
            output.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            index += 1
        }
        return output
    }

    /// The length of the valid UTF-8 sequence starting at `index`, or 0 if there is none.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        let minimum: UInt32
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: (length, minimum) = (2, 0x80)
        case 0xE0...0xEF: (length, minimum) = (3, 0x800)
        case 0xF0...0xF4: (length, minimum) = (4, 0x10000)
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        var scalar = UInt32(lead) & (0xFF >> (length + 1))
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { return 0 }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return 0 }
        return length
    }
}
