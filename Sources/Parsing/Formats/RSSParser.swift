import Foundation
import Time
import XML

/// RSS 0.9x, 2.0 and 1.0 (RDF). The dialects share their item vocabulary; only where items live differs.
struct RSSParser {
    let dates: DateParser
    let sanitizer: HTMLSanitizer

    /// RSS's own elements by their lowercased names, spelled as the specifications do: iTunes (and so many
    /// podcast feeds) accepts `<TiTlE>` or `<PUBDATE>`, and so does Tidings, for elements in no namespace or
    /// RSS 1.0's.
    static let canonicalNames: [String: String] = Dictionary(
        uniqueKeysWithValues: [
            "channel", "item", "title", "link", "description", "guid", "pubDate", "lastBuildDate", "author",
            "category", "enclosure", "comments", "source", "language", "ttl", "image", "url",
        ].map { ($0.lowercased(), $0) })

    static let spelledRight = Set(canonicalNames.values)

    /// The element's name, RSS's own spelled as the specifications do.
    static func name(of node: Node) -> String {
        switch node.namespaceURI {
        case nil, Namespace.rss10?, Namespace.rss090?, Namespace.rss090WithoutSlash?:
            let name = node.name
            // Nearly every feed spells them right: no lowercased copy for those.
            if spelledRight.contains(name) { return name }
            return canonicalNames[name.lowercased()] ?? name
        default:
            return node.name
        }
    }

    /// The first child that is RSS's element `name`, however its case is written.
    static func child(of node: Node, named name: String) -> Node? {
        node.firstChild(named: name) ?? node.elementChildren.first { Self.name(of: $0) == name }
    }

    func parse(root: Node, format: FeedFormat, documentURL: String?) -> (FeedMetadata, [ParsedEntry]) {
        let channel = Self.child(of: root, named: "channel")
        let channelLink = channel.flatMap { Self.child(of: $0, named: "link") }.map { $0.text }
        // Relative links resolve against xml:base where a document sets one, else the channel's link,
        // else the document's own URL.
        let documentBase = root.explicitBaseURI ?? documentURL
        let feedBase = URLResolver.resolve(channelLink, against: documentBase) ?? documentBase
        var metadata = FeedMetadata(format: format)
        if let channel {
            metadata.title = Self.child(of: channel, named: "title").flatMap { Self.plainTitle($0.text).nilIfEmpty }
            // The site's own link, when the document gives one: never the document's address.
            metadata.link = URLResolver.resolve(channelLink, against: documentBase)
            let updated =
                Self.child(of: channel, named: "lastBuildDate")
                ?? channel.elementChildren.first { $0.isElement("modified", namespace: Namespace.dcTerms) }
                ?? channel.elementChildren.first { $0.isElement("date", namespace: Namespace.dublinCore) }
                ?? Self.child(of: channel, named: "pubDate")
            metadata.updated = updated.flatMap { dates.parse($0.text) }
            metadata.updateInterval = UpdateInterval.of(channel: channel)
            metadata.hub = UpdateInterval.hub(in: channel, base: feedBase)
        }
        // RSS 0.9x/2.0 nest items in <channel>; RSS 1.0 and 0.90 put them beside it.
        let itemParent = format == .rss10 || format == .rss090 ? root : (channel ?? root)
        let entries = itemParent.elementChildren.filter { Self.name(of: $0) == "item" }.map { item in
            parseItem(item, feedBase: feedBase).finish(sanitizer: sanitizer, sourceURL: documentURL)
        }
        return (metadata, entries)
    }

    private func parseItem(_ item: Node, feedBase: String?) -> EntryDraft {
        var draft = EntryDraft()
        let itemBase = item.explicitBaseURI ?? feedBase
        draft.contentBase = itemBase
        var guidIsPermaLink = false
        // `dc:date` is the publication date of an item that has no other (RSS 1.0's usual one), and its
        // last change beside a `pubDate`.
        var dcDate: Date?
        // What podcast and media feeds give instead of a title or a description.
        var fallbackTitle: String?
        var fallbackSummary: String?
        for child in item.elementChildren {
            let namespace = child.namespaceURI
            switch (Self.name(of: child), namespace) {
            case ("title", _) where namespace != Namespace.media:
                draft.title = draft.title ?? Self.plainTitle(child.text)
            case ("link", nil), ("link", Namespace.rss10), ("link", Namespace.rss090),
                ("link", Namespace.rss090WithoutSlash):
                draft.link = draft.link ?? URLResolver.resolve(child.text, against: child.explicitBaseURI ?? itemBase)
            case ("guid", _):
                let value = TextScan.trimmed(child.text)
                draft.id = value.isEmpty ? nil : value
                // A guid is a permalink unless it says otherwise (RSS 2.0).
                guidIsPermaLink = child.attribute("isPermaLink")?.lowercased() != "false"
            case ("title", Namespace.media):
                fallbackTitle = fallbackTitle ?? Self.plainTitle(child.text).nilIfEmpty
            case ("thumbnail", Namespace.media):
                addThumbnail(child, base: itemBase, to: &draft)
            case ("description", Namespace.media), ("summary", Namespace.itunes):
                fallbackSummary = fallbackSummary ?? Self.plainDescription(child)
            case ("description", _):
                draft.summaryHTML = child.text
            case ("encoded", Namespace.content):
                draft.contentHTML = child.text
            case ("pubDate", _), ("issued", Namespace.dcTerms), ("published", Namespace.atom10):
                draft.published = draft.published ?? dates.parse(child.text)
            case ("date", Namespace.dublinCore):
                dcDate = dcDate ?? dates.parse(child.text)
            case ("modified", Namespace.dcTerms), ("updated", Namespace.atom10):
                draft.updated = draft.updated ?? dates.parse(child.text)
            case ("author", _) where child.firstChild(named: "name") != nil:
                // An Atom person inside RSS's author: its name, not its name and address run together.
                draft.author = draft.author ?? child.firstChild(named: "name").map { PlainText.collapsed($0.text) }
            case ("author", _), ("creator", Namespace.dublinCore):
                draft.author = draft.author ?? Self.authorName(child.text)
            case ("category", _), ("subject", Namespace.dublinCore):
                draft.categories.append(child.text)
            case ("content", Namespace.media), ("group", Namespace.media):
                addMediaContent(child, base: itemBase, to: &draft)
                for inner in child.elementChildren where inner.namespaceURI == Namespace.media {
                    switch inner.name {
                    case "title": fallbackTitle = fallbackTitle ?? Self.plainTitle(inner.text).nilIfEmpty
                    case "description": fallbackSummary = fallbackSummary ?? Self.plainDescription(inner)
                    case "thumbnail": addThumbnail(inner, base: itemBase, to: &draft)
                    default: continue
                    }
                }
            case ("enclosure", _):
                if let url = URLResolver.resolve(child.attribute("url"), against: itemBase) {
                    draft.enclosures.append(
                        Enclosure(
                            url: url, type: child.attribute("type"),
                            length: child.attribute("length").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }))
                }
            default:
                continue
            }
        }
        if draft.title?.isEmpty ?? true, let fallbackTitle { draft.title = fallbackTitle }
        if (draft.summaryHTML ?? "").allSatisfy(\.isWhitespace), let fallbackSummary {
            draft.summaryHTML = fallbackSummary
        }
        if let dcDate {
            if draft.published == nil {
                draft.published = dcDate
            } else if draft.updated == nil {
                draft.updated = dcDate
            }
        }
        if draft.link == nil, guidIsPermaLink, let id = draft.id, URLResolver.hasSafeScheme(id) {
            draft.link = id
        }
        if draft.id == nil, let about = item.attribute("about", namespace: Namespace.rdf) {
            draft.id = about
        }
        return draft
    }

    /// A `<media:thumbnail>` as an image enclosure (the post's picture on the pages), when its address says
    /// which kind of image it is: an enclosure's type is published, so it is not guessed beyond that.
    private func addThumbnail(_ node: Node, base: String?, to draft: inout EntryDraft) {
        guard let url = URLResolver.resolve(node.attribute("url"), against: base),
            !draft.enclosures.contains(where: { $0.url == url })
        else { return }
        let path = (URLComponents(string: url)?.path ?? "").lowercased()
        let types = [
            "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
        ]
        guard let type = types[String(path.split(separator: ".").last ?? "")] else { return }
        draft.enclosures.append(Enclosure(url: url, type: type, length: nil))
    }

    /// Media RSS `<media:content>` (alone or in a `<media:group>`) as enclosures, unless already listed.
    private func addMediaContent(_ node: Node, base: String?, to draft: inout EntryDraft) {
        let contents =
            node.name == "group"
            ? node.elementChildren.filter { $0.isElement("content", namespace: Namespace.media) } : [node]
        for content in contents {
            guard let url = URLResolver.resolve(content.attribute("url"), against: base),
                !draft.enclosures.contains(where: { $0.url == url })
            else { continue }
            draft.enclosures.append(
                Enclosure(
                    url: url, type: content.attribute("type"), length: content.attribute("fileSize").flatMap { Int($0) }
                ))
        }
    }

    /// RSS titles are often HTML in disguise ("&lt;b&gt;" or "AT&amp;amp;T"): read them as HTML once.
    static func plainTitle(_ raw: String) -> String {
        raw.contains("<") || raw.contains("&") ? PlainText.fromHTML(raw) : PlainText.collapsed(raw)
    }

    /// `media:description` and `itunes:summary` are plain text unless `type="html"` says otherwise: as HTML
    /// for the sanitiser, with blank lines as paragraph breaks.
    static func plainDescription(_ node: Node) -> String? {
        let text = TextScan.trimmed(node.text)
        guard !text.isEmpty else { return nil }
        if node.attribute("type")?.lowercased() == "html" { return text }
        return PlainText.paragraphs(text)
    }

    /// RSS 2.0's `<author>` is an e-mail address, often "jo@example.com (Jo Doe)": keep the name when given.
    static func authorName(_ raw: String) -> String {
        let trimmed = PlainText.collapsed(raw)
        if let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")"), trimmed[..<open].contains("@") {
            return String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        }
        return trimmed
    }
}

enum Namespace {
    static let atom10 = "http://www.w3.org/2005/Atom"
    static let atom03 = "http://purl.org/atom/ns#"
    static let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    static let rss10 = "http://purl.org/rss/1.0/"
    static let rss090 = "http://my.netscape.com/rdf/simple/0.9/"
    /// As some RSS 0.90 documents write it.
    static let rss090WithoutSlash = "http://my.netscape.com/rdf/simple/0.9"
    static let content = "http://purl.org/rss/1.0/modules/content/"
    static let dublinCore = "http://purl.org/dc/elements/1.1/"
    static let dcTerms = "http://purl.org/dc/terms/"
    static let media = "http://search.yahoo.com/mrss/"
    static let itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd"
    static let xhtml = "http://www.w3.org/1999/xhtml"
    static let syndication = "http://purl.org/rss/1.0/modules/syndication/"
}
