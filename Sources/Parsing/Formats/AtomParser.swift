import Foundation
import Time
import XML

/// Atom 1.0 (RFC 4287) and its predecessor 0.3, whose differences are a namespace, a few element names
/// (`issued`/`modified`) and `mode` on text constructs.
struct AtomParser {
    let dates: DateParser
    let sanitizer: HTMLSanitizer

    func parse(root: Node, format: FeedFormat, documentURL: String?) -> (FeedMetadata, [ParsedEntry]) {
        let namespace = root.namespaceURI
        var metadata = FeedMetadata(format: format)
        var feedAuthor: String?
        for child in root.elementChildren where child.namespaceURI == namespace {
            switch child.name {
            case "title": metadata.title = Self.plainText(of: child).nilIfEmpty
            case "link" where Self.isAlternate(child) && Self.address(of: child) != nil:
                metadata.link = metadata.link ?? URLResolver.resolve(Self.address(of: child), against: child.baseURI)
            case "updated", "modified": metadata.updated = dates.parse(child.text)
            case "author": feedAuthor = Self.personName(child)
            case "link" where child.attribute("rel") == "hub":
                metadata.hub = metadata.hub ?? URLResolver.resolve(child.attribute("href"), against: child.baseURI)
            default: continue
            }
        }
        metadata.updateInterval = UpdateInterval.of(channel: root)
        let entries = root.elementChildren.filter { $0.name == "entry" && $0.namespaceURI == namespace }.map { entry in
            var draft = parseEntry(entry, namespace: namespace)
            draft.author = draft.author ?? feedAuthor
            return draft.finish(sanitizer: sanitizer, sourceURL: documentURL)
        }
        return (metadata, entries)
    }

    private func parseEntry(_ entry: Node, namespace: String?) -> EntryDraft {
        var draft = EntryDraft()
        draft.contentBase = entry.baseURI
        // Atom 0.3's `created` is when the entry was written, `issued` when it was published: `issued` wins,
        // wherever each comes in the entry.
        var created: Date?
        for child in entry.elementChildren {
            guard child.namespaceURI == namespace else {
                if child.isElement("encoded", namespace: Namespace.content) { draft.contentHTML = child.text }
                continue
            }
            switch child.name {
            case "id": draft.id = Self.entryID(child)
            case "title": draft.title = Self.plainText(of: child)
            case "link": readLink(child, into: &draft)
            case "published", "issued": draft.published = draft.published ?? dates.parse(child.text)
            case "created": created = created ?? dates.parse(child.text)
            case "updated", "modified": draft.updated = dates.parse(child.text)
            case "author":
                // Several authors: every name, in order.
                if let name = Self.personName(child) { draft.author = draft.author.map { "\($0), \(name)" } ?? name }
            case "summary": draft.summaryHTML = Self.html(of: child)
            case "content":
                draft.contentHTML = Self.html(of: child)
                draft.contentBase = child.baseURI
            case "category":
                if let term = child.attribute("label") ?? child.attribute("term") { draft.categories.append(term) }
            default: continue
            }
        }
        draft.published = draft.published ?? created
        // An entry with only `updated` was still published then, as far as a reader can tell.
        if draft.published == nil { draft.published = draft.updated }
        // A podcast's entry may link only to its episode: the enclosure is then the entry's link.
        if draft.link == nil { draft.link = draft.enclosures.first?.url }
        return draft
    }

    private func readLink(_ link: Node, into draft: inout EntryDraft) {
        // A link without an address (or with an empty one) links nowhere, not to the document itself.
        guard let raw = Self.address(of: link), let href = URLResolver.resolve(raw, against: link.baseURI) else { return }
        if Self.isAlternate(link) {
            // The first alternate wins; later ones are translations or other formats.
            if draft.link == nil { draft.link = href }
        } else if link.attribute("rel") == "enclosure" {
            draft.enclosures.append(
                Enclosure(url: href, type: link.attribute("type"), length: link.attribute("length").flatMap { Int($0) })
            )
        }
    }

    /// A link's address: its `href`, or (as some Atom 0.3 feeds write it) its text; nil when it has neither.
    static func address(of link: Node) -> String? {
        if let href = link.attribute("href") { return TextScan.trimmed(href).isEmpty ? nil : href }
        let text = TextScan.trimmed(link.text)
        return text.isEmpty ? nil : text
    }

    /// An entry's id; a relative one (`/posts/1`) resolved against the `xml:base` the document sets, as any
    /// relative IRI in Atom is. Ids with a scheme (`tag:`, `urn:`, `https:`) are kept exactly as written.
    static func entryID(_ node: Node) -> String {
        let id = TextScan.trimmed(node.text)
        guard !id.isEmpty, !hasScheme(id), let base = node.explicitBaseURI,
            let resolved = URLResolver.resolve(id, against: base)
        else { return id }
        return resolved
    }

    private static func hasScheme(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), let first = text.first, first.isASCII, first.isLetter else {
            return false
        }
        return text[..<colon].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }

    /// A person construct's name; the e-mail address only when no name is given.
    static func personName(_ person: Node) -> String? {
        let name = person.firstChild(named: "name").map { PlainText.collapsed($0.text) }
        if let name, !name.isEmpty { return name }
        return person.firstChild(named: "email").map { PlainText.collapsed($0.text) }?.nilIfEmpty
    }

    static func isAlternate(_ link: Node) -> Bool {
        let rel = link.attribute("rel") ?? "alternate"
        return rel == "alternate" || rel == "http://www.iana.org/assignments/relation/alternate"
    }

    /// An Atom text construct as HTML: `text` is escaped, `html` is taken as is, `xhtml` is serialised.
    static func html(of construct: Node) -> String? {
        if construct.attribute("src") != nil { return nil }
        if isBase64(construct) { return decodedBase64(construct) }
        switch kind(of: construct) {
        case .xhtml:
            let container = construct.elementChildren.first { $0.isElement("div", namespace: Namespace.xhtml) }
            return (container ?? construct).innerXML
        case .html:
            return construct.text
        case .text:
            return XMLEscape.text(construct.text)
        }
    }

    static func plainText(of construct: Node) -> String {
        // Atom 0.3's `mode="base64"` on a title as on content: the decoded text, never the base64.
        if isBase64(construct) { return decodedBase64(construct).map(PlainText.fromHTML) ?? "" }
        switch kind(of: construct) {
        case .html: return PlainText.fromHTML(construct.text)
        case .xhtml, .text: return PlainText.text(of: construct)
        }
    }

    /// Content in base64: Atom 0.3's `mode="base64"`, or Atom 1.0 content of a media type that is neither
    /// text nor XML.
    private static func isBase64(_ construct: Node) -> Bool {
        let type = mediaType(construct)
        let isBinaryType =
            type.contains("/") && !type.hasPrefix("text/") && !type.hasSuffix("+xml")
            && !type.hasSuffix("/xml")
        return construct.attribute("mode")?.lowercased() == "base64" || isBinaryType
    }

    /// Base64 content as HTML: text types decoded (HTML kept as HTML, other text escaped); anything else (an
    /// image, `application/octet-stream`) left out rather than shown as base64.
    private static func decodedBase64(_ construct: Node) -> String? {
        let type = mediaType(construct)
        let isHTML = ["html", "text/html", "xhtml", "application/xhtml+xml"].contains(type)
        guard isHTML || !type.contains("/") || type.hasPrefix("text/") else { return nil }
        let compact = construct.text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: compact), let text = String(data: data, encoding: .utf8) else {
            return nil
        }
        return isHTML ? text : XMLEscape.text(text)
    }

    private static func mediaType(_ construct: Node) -> String {
        construct.attribute("type")?.lowercased().trimmingCharacters(in: .whitespaces) ?? "text"
    }

    private enum ConstructKind { case text, html, xhtml }

    private static func kind(of construct: Node) -> ConstructKind {
        let type = construct.attribute("type")?.lowercased() ?? "text"
        let mode = construct.attribute("mode")?.lowercased()
        if type == "xhtml" || type == "application/xhtml+xml" || mode == "xml" { return .xhtml }
        if type == "html" || type == "text/html" || mode == "escaped" { return .html }
        return .text
    }
}
