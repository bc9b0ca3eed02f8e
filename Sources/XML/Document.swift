internal import CLibXML2

/// A parsed XML or HTML document. It owns the libxml2 tree; every `Node` keeps its document alive.
public final class Document {
    let pointer: xmlDocPtr
    /// Problems libxml2 recovered from, in words a user can act on.
    public let warnings: [String]

    init(pointer: xmlDocPtr, warnings: [String]) {
        self.pointer = pointer
        self.warnings = warnings
    }

    deinit { xmlFreeDoc(pointer) }

    /// The most bytes a document's internal entities may expand to when read.
    public static let defaultEntityExpansionLimit = 1_000_000

    /// Parses XML from memory without touching the network or the file system: no DTD loading, no
    /// external entities, and libxml2's default limits (no `XML_PARSE_HUGE`: nesting deeper than 256
    /// elements, or text nodes past 10 MB, stop the parse). Ill-formed input is recovered where possible
    /// and the problem reported in `warnings`; entity attacks and absurd nesting are refused.
    public static func xml(
        _ bytes: [UInt8], url: String? = nil, encoding: String? = nil,
        entityExpansionLimit: Int = defaultEntityExpansionLimit
    ) throws(XMLError) -> Document {
        var options = Int32(
            XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
                | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_COMPACT.rawValue)
        // An encoding chosen by the caller wins over the document's own declaration.
        if encoding != nil { options |= Int32(XML_PARSE_IGNORE_ENC.rawValue) }
        tidings_xml_silence_errors()
        guard let context = xmlNewParserCtxt() else { throw .unparsable(reason: "out of memory", line: nil) }
        defer { xmlFreeParserCtxt(context) }
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                xmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), url, encoding, options)
            }
        }
        let problem = lastError(of: context)
        guard let document, xmlDocGetRootElement(document) != nil else {
            if let document { xmlFreeDoc(document) }
            throw .unparsable(reason: problem?.message ?? "no root element", line: problem?.line)
        }
        if let problem,
            problem.code == Int32(XML_ERR_ENTITY_LOOP.rawValue) || problem.message.hasPrefix("Excessive depth")
        {
            xmlFreeDoc(document)
            throw .refused(
                problem.code == Int32(XML_ERR_ENTITY_LOOP.rawValue)
                    ? "the document's entities refer to each other without end or expand too far (an entity-expansion attack, such as billion laughs)"
                    : "the document nests elements deeper than 256 levels")
        }
        do {
            try EntityGuard(limit: entityExpansionLimit).check(document)
        } catch {
            xmlFreeDoc(document)
            throw error
        }
        var warnings: [String] = []
        if context.pointee.wellFormed == 0, let problem {
            warnings.append("recovered from ill-formed XML at line \(problem.line): \(problem.message)")
        }
        return Document(pointer: document, warnings: warnings)
    }

    /// Parses an HTML page the way browsers forgive it; never fails on markup, only on empty input.
    public static func html(_ bytes: [UInt8], url: String? = nil, encoding: String? = nil) throws(XMLError) -> Document
    {
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_COMPACT.rawValue)
        tidings_xml_silence_errors()
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(chars.count), url, encoding, options)
            }
        }
        guard let document, xmlDocGetRootElement(document) != nil else {
            if let document { xmlFreeDoc(document) }
            throw .unparsable(reason: "the HTML page is empty", line: nil)
        }
        return Document(pointer: document, warnings: [])
    }

    /// Parses an HTML fragment (a feed's `description`, say) into a document whose `<body>` holds it.
    public static func htmlFragment(_ html: String) -> Document? {
        let wrapped = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + html + "</body></html>"
        return try? Document.html(Array(wrapped.utf8), encoding: "UTF-8")
    }

    public var root: Node? {
        xmlDocGetRootElement(pointer).map { Node(document: self, pointer: $0) }
    }

    /// The `<body>` of an HTML document.
    public var body: Node? {
        root?.firstChild(named: "body")
    }

    private static func lastError(of context: xmlParserCtxtPtr) -> (message: String, line: Int, code: Int32)? {
        let error = context.pointee.lastError
        guard error.code != 0, let message = error.message else { return nil }
        let text = String(cString: message).trimmingWhitespace()
        return (text, Int(error.line), error.code)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
