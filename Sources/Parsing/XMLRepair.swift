import XML

/// A second chance for feeds that libxml2's recover mode reads wrongly. Publishers' three usual mistakes
/// are undeclared HTML entities (`&nbsp;`), bare ampersands (`Tom & Jerry`) and HTML pasted unescaped
/// into `<description>`, whose unclosed tags make recover mode nest every later item inside the first.
/// This rewrites those, and only those, before parsing again.
enum XMLRepair {
    /// Elements whose text is HTML, so raw markup inside them can be wrapped in CDATA unchanged.
    static let htmlTextElements = ["description", "content:encoded", "summary", "content"]

    /// The repaired document, or nil when there is nothing this can repair (an encoding it cannot
    /// safely edit byte-wise, such as UTF-16). Works on bytes read one-to-one as Latin-1 characters,
    /// so any ASCII-compatible encoding survives untouched outside the edits.
    static func repair(_ bytes: [UInt8]) -> [UInt8]? {
        guard !Charset.looksLikeUTF16WithoutBOM(bytes), !bytes.starts(with: [0xFE, 0xFF]),
            !bytes.starts(with: [0xFF, 0xFE])
        else { return nil }
        var text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        text = wrapRawMarkup(in: text)
        text = repairAmpersands(in: text)
        return text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }

    /// `<description>unclosed <b>bold</description>` → `<description><![CDATA[unclosed <b>bold]]></description>`.
    static func wrapRawMarkup(in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = nextHTMLTextElement(in: rest) {
            result += rest[..<open.contentStart]
            let closeTag = "</\(open.name)>"
            guard let close = rest[open.contentStart...].range(of: closeTag) else {
                rest = rest[open.contentStart...]
                continue
            }
            let inner = rest[open.contentStart..<close.lowerBound]
            if inner.contains("<") && !inner.trimmingPrefixWhitespace.hasPrefix("<![CDATA[") {
                result += "<![CDATA[" + inner.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
            } else {
                result += inner
            }
            result += closeTag
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    /// The next opening tag of an HTML-text element that is not XHTML (Atom's `type="xhtml"` holds real markup).
    private static func nextHTMLTextElement(in text: Substring) -> (name: String, contentStart: String.Index)? {
        var search = text
        while let lessThan = search.firstIndex(of: "<") {
            let afterBracket = search[search.index(after: lessThan)...]
            for name in htmlTextElements where afterBracket.hasPrefix(name) {
                let afterName = afterBracket.dropFirst(name.count)
                guard let next = afterName.first, next == ">" || next == " " || next == "\t" || next == "\n",
                    let end = afterName.firstIndex(of: ">")
                else { continue }
                let attributes = afterName[..<end]
                if attributes.hasSuffix("/") || attributes.contains("xhtml") { break }
                return (name, text.index(after: end))
            }
            search = afterBracket
        }
        return nil
    }

    /// Undeclared HTML entities become character references; ampersands that start no reference are escaped.
    static func repairAmpersands(in text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            let name = after.prefix { $0.isLetter || $0.isNumber || $0 == "#" }
            let terminated = after.dropFirst(name.count).first == ";"
            if terminated, !name.isEmpty, isXMLReference(name) {
                result += "&" + name + ";"
                rest = after.dropFirst(name.count + 1)
            } else if terminated, let codePoint = HTMLEntity.codePoint(named: String(name)) {
                result += "&#\(codePoint);"
                rest = after.dropFirst(name.count + 1)
            } else if terminated, !name.isEmpty, text.contains("<!ENTITY \(name) ") {
                result += "&" + name + ";"  // declared in the document's own DTD
                rest = after.dropFirst(name.count + 1)
            } else {
                result += "&amp;"
                rest = after
            }
        }
        return result + rest
    }

    private static func isXMLReference(_ name: Substring) -> Bool {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                return digits.count > 1 && digits.dropFirst().allSatisfy(\.isHexDigit)
            }
            return !digits.isEmpty && digits.allSatisfy(\.isNumber)
        }
        return ["amp", "lt", "gt", "quot", "apos"].contains(name)
    }
}

extension Substring {
    fileprivate var trimmingPrefixWhitespace: Substring { drop { $0.isWhitespace } }
}
