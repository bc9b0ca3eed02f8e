internal import CLibXML2

/// Refuses documents whose internal DTD declares entities that would expand to an absurd size when
/// read: the exponential "billion laughs" (libxml2 itself halts those with an entity-loop error) and the
/// quadratic blow-up (one large entity referenced many times), which libxml2 lets through when entities
/// are not substituted. Nearly every feed has no internal subset at all, so the common case costs nothing.
struct EntityGuard {
    let limit: Int

    func check(_ document: xmlDocPtr) throws(XMLError) {
        guard let subset = document.pointee.intSubset else { return }
        var sizes: [String: Int] = [:]
        var declarations: [String: String] = [:]
        var node = subset.pointee.children
        while let current = node {
            if current.pointee.type == XML_ENTITY_DECL {
                let entity = UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlEntity.self)
                if let name = entity.pointee.name, entity.pointee.etype == XML_INTERNAL_GENERAL_ENTITY {
                    declarations[String(cString: name)] = entity.pointee.content.map { String(cString: $0) } ?? ""
                }
            }
            node = current.pointee.next
        }
        guard !declarations.isEmpty else { return }
        var total = 0
        try walk(xmlDocGetRootElement(document)) { name throws(XMLError) in
            total += try size(of: name, declarations, &sizes, inProgress: [])
            if total > limit { throw refusal }
        }
    }

    private var refusal: XMLError {
        .refused(
            "the document's DTD declares entities that expand past \(limit) bytes (an entity-expansion attack)"
        )
    }

    /// The expanded size of an entity, following the references in its replacement text.
    private func size(
        of name: String, _ declarations: [String: String], _ sizes: inout [String: Int], inProgress: Set<String>
    ) throws(XMLError) -> Int {
        if let known = sizes[name] { return known }
        guard let content = declarations[name] else { return 1 }  // predefined or undeclared
        guard !inProgress.contains(name) else { throw refusal }
        var total = 0
        var remainder = Substring(content)
        while let ampersand = remainder.firstIndex(of: "&") {
            total += remainder.distance(from: remainder.startIndex, to: ampersand)
            let rest = remainder[remainder.index(after: ampersand)...]
            guard let semicolon = rest.firstIndex(of: ";") else { break }
            let reference = String(rest[..<semicolon])
            if !reference.hasPrefix("#") {
                total += try size(of: reference, declarations, &sizes, inProgress: inProgress.union([name]))
                if total > limit { throw refusal }
            }
            remainder = rest[rest.index(after: semicolon)...]
        }
        total += remainder.count
        sizes[name] = total
        return total
    }

    /// Calls `visit` with the name of every entity reference in the tree, without descending into them.
    private func walk(_ root: xmlNodePtr?, _ visit: (String) throws(XMLError) -> Void) throws(XMLError) {
        var stack: [xmlNodePtr] = root.map { [$0] } ?? []
        while let node = stack.popLast() {
            if node.pointee.type == XML_ENTITY_REF_NODE {
                if let name = node.pointee.name { try visit(String(cString: name)) }
                continue
            }
            var child = node.pointee.children
            while let current = child {
                stack.append(current)
                child = current.pointee.next
            }
        }
    }
}
