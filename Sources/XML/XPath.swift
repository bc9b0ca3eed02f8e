internal import CLibXML2

/// What an XPath expression evaluates to.
public enum XPathValue {
    case nodes([Node])
    case string(String)
    case number(Double)
    case boolean(Bool)

    /// The value as text: a node-set gives its first node's text, as XPath's `string()` does.
    public var string: String? {
        switch self {
        case .nodes(let nodes): return nodes.first?.text
        case .string(let value): return value
        case .number(let value): return value.isNaN ? nil : String(value)
        case .boolean(let value): return String(value)
        }
    }

    public var nodes: [Node] {
        if case .nodes(let nodes) = self { return nodes }
        return []
    }
}

extension Document {
    /// Evaluates `expression` with `context` as the context node (the document when nil).
    /// `namespaces` maps prefixes to URIs for the expression.
    public func evaluate(
        _ expression: String, context: Node? = nil, namespaces: [String: String] = [:]
    ) throws(XMLError) -> XPathValue {
        tidings_xml_silence_errors()
        guard let xpath = xmlXPathNewContext(pointer) else { throw .invalidXPath(expression) }
        defer { xmlXPathFreeContext(xpath) }
        for (prefix, uri) in namespaces {
            xmlXPathRegisterNs(xpath, prefix, uri)
        }
        if let context { xpath.pointee.node = context.pointer }
        guard let result = xmlXPathEvalExpression(expression, xpath) else { throw .invalidXPath(expression) }
        defer { xmlXPathFreeObject(result) }
        switch result.pointee.type {
        case XPATH_NODESET:
            return .nodes(nodes(in: result.pointee.nodesetval))
        case XPATH_STRING:
            return .string(result.pointee.stringval.map { String(cString: $0) } ?? "")
        case XPATH_NUMBER:
            return .number(result.pointee.floatval)
        case XPATH_BOOLEAN:
            return .boolean(result.pointee.boolval != 0)
        default:
            return .nodes([])
        }
    }

    private func nodes(in set: xmlNodeSetPtr?) -> [Node] {
        guard let set, let table = set.pointee.nodeTab else { return [] }
        return (0..<Int(set.pointee.nodeNr)).compactMap { index in
            table[index].map { Node(document: self, pointer: $0) }
        }
    }
}

extension Node {
    /// Evaluates `expression` with this node as the context node.
    public func evaluate(_ expression: String) throws(XMLError) -> XPathValue {
        try document.evaluate(expression, context: self)
    }
}
