internal import CLibXML2

/// One node of a parsed document: an element, text, or attribute. A value that keeps its document alive.
public struct Node {
    public enum Kind: Sendable, Equatable {
        case element, attribute, text, comment, other
    }

    let document: Document
    let pointer: xmlNodePtr

    init(document: Document, pointer: xmlNodePtr) {
        self.document = document
        self.pointer = pointer
    }

    /// Stable for the document's lifetime: for keeping scores or marks per node.
    public var identity: Int { Int(bitPattern: pointer) }

    public var kind: Kind {
        switch pointer.pointee.type {
        case XML_ELEMENT_NODE: return .element
        case XML_ATTRIBUTE_NODE: return .attribute
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: return .text
        case XML_COMMENT_NODE: return .comment
        default: return .other
        }
    }

    /// The local name, without prefix (HTML names are lowercase already).
    public var name: String {
        guard let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    public var namespaceURI: String? {
        guard kind == .element || kind == .attribute, let ns = pointer.pointee.ns, let href = ns.pointee.href else {
            return nil
        }
        return String(cString: href)
    }

    /// True when this is an element with the given local name and namespace (`nil` matches no namespace).
    public func isElement(_ localName: String, namespace: String?) -> Bool {
        kind == .element && name == localName && namespaceURI == namespace
    }

    public var parent: Node? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return Node(document: document, pointer: parent)
    }

    /// All child nodes, text included, in document order.
    public var children: [Node] {
        var result: [Node] = []
        var child = pointer.pointee.children
        while let current = child {
            result.append(Node(document: document, pointer: current))
            child = current.pointee.next
        }
        return result
    }

    /// Calls `body` with each child in document order, without building an array.
    @inlinable
    public func forEachChild(_ body: (Node) throws -> Void) rethrows {
        var child = firstChild
        while let current = child {
            try body(current)
            child = current.nextSibling
        }
    }

    public var firstChild: Node? {
        pointer.pointee.children.map { Node(document: document, pointer: $0) }
    }

    public var nextSibling: Node? {
        pointer.pointee.next.map { Node(document: document, pointer: $0) }
    }

    public var elementChildren: [Node] {
        children.filter { $0.kind == .element }
    }

    public func firstChild(named localName: String) -> Node? {
        var child = pointer.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, let name = current.pointee.name,
                String(cString: name) == localName
            {
                return Node(document: document, pointer: current)
            }
            child = current.pointee.next
        }
        return nil
    }

    /// The attribute's value, by local name and optional namespace URI.
    public func attribute(_ localName: String, namespace: String? = nil) -> String? {
        guard kind == .element else { return nil }
        let value: UnsafeMutablePointer<xmlChar>?
        if let namespace {
            value = xmlGetNsProp(pointer, localName, namespace)
        } else {
            value = xmlGetNoNsProp(pointer, localName)
        }
        guard let value else { return nil }
        defer { tidings_xml_free(value) }
        return String(cString: value)
    }

    /// Every attribute of an element, in document order.
    public var attributes: [(name: String, value: String)] {
        var result: [(String, String)] = []
        var attribute = pointer.pointee.properties
        while let current = attribute {
            let name = current.pointee.name.map { String(cString: $0) } ?? ""
            var value = ""
            if let content = xmlNodeGetContent(UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self)) {
                value = String(cString: content)
                tidings_xml_free(content)
            }
            result.append((name, value))
            attribute = current.pointee.next
        }
        return result
    }

    /// The text of this node and all its descendants, entities decoded, as libxml2 reads it.
    public var text: String {
        if kind == .text, let content = pointer.pointee.content {
            return String(cString: content)
        }
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { tidings_xml_free(content) }
        return String(cString: content)
    }

    /// The base URI in effect at this node: `xml:base` attributes up the tree, then the document URL.
    public var baseURI: String? {
        guard let base = xmlNodeGetBase(pointer.pointee.doc, pointer) else { return nil }
        defer { tidings_xml_free(base) }
        return String(cString: base)
    }

    /// The base URI when an `xml:base` attribute on this node or an ancestor sets one; nil otherwise, so a
    /// caller can fall back to a base of its own (RSS's channel link) before the document URL.
    public var explicitBaseURI: String? {
        var node: Node? = self
        while let current = node {
            if current.attribute("base", namespace: "http://www.w3.org/XML/1998/namespace") != nil { return baseURI }
            node = current.parent
        }
        return nil
    }

    /// The node's children serialised as markup, for XHTML content carried inside a feed.
    public var innerXML: String {
        var result = ""
        for child in children { result += child.outerXML }
        return result
    }

    public var outerXML: String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, pointer.pointee.doc, pointer, 0, 0)
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }
}
