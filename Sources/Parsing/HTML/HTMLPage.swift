import XML

/// An HTML page as Tidings reads every page: the charset decided by `Charset` (BOM, `<meta charset>`,
/// HTTP header), libxml2's forgiving HTML parser, and the base its relative links resolve against
/// (the page's `<base href>`, as in a browser, else its URL).
struct HTMLPage {
    let document: Document
    let baseURL: String?
    /// What deciding the charset had to repair or assume.
    let warnings: [String]
    /// Which encoding the page was read in, and why.
    let encodingDecision: String

    init(_ bytes: [UInt8], url: String?, contentType: String?, encoding override: String? = nil) throws(XMLError) {
        let charset = Charset.decide(bytes, contentType: contentType, override: override, isHTML: true)
        document = try Document.html(charset.bytes, url: url, encoding: charset.encoding)
        let baseHref = (try? document.evaluate("string(/html/head/base/@href)"))?.string
        baseURL = URLResolver.resolve(baseHref, against: url) ?? url
        warnings = charset.warnings
        encodingDecision = charset.decision
    }

    var title: String? {
        (try? document.evaluate("string(/html/head/title)"))?.string.map(PlainText.collapsed)?.nilIfEmpty
    }
}
