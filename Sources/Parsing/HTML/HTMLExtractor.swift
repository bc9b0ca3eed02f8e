import Foundation
import Time
import XML

/// Entries out of an HTML page through `ExtractionRules`, with libxml2's forgiving HTML parser and XPath.
struct HTMLExtractor {
    let dates: DateParser
    let sanitizer: HTMLSanitizer
    /// The fetch time: relative dates ("3 days ago") and dates without a year are read against it.
    let now: Date

    func extract(_ page: HTMLPage, rules: ExtractionRules) throws(ParseError) -> ParsedFeed {
        let document = page.document
        let documentURL = page.baseURL
        let items = try nodes(rules.item, field: "item", document: document, context: nil)
        var warnings: [String] = []
        if items.isEmpty {
            warnings.append("the html rule 'item' (\(rules.item)) matched nothing on the page")
        }
        var entries: [ParsedEntry] = []
        var matched: Set<String> = []
        for item in items {
            let draft = try extractItem(item, rules: rules, document: document, documentURL: documentURL)
            matched.formUnion(draft.origins.keys)
            guard draft.title != nil || draft.link != nil else { continue }
            entries.append(draft.finish(sanitizer: sanitizer, sourceURL: documentURL))
        }
        if !items.isEmpty {
            for (field, selectors) in rules.named where !selectors.isEmpty && !matched.contains(field) {
                let tried = selectors.map { "'\($0)'" }.joined(separator: ", ")
                warnings.append(
                    "the html rule '\(field)' (\(tried)) matched nothing in any of the \(items.count) items")
            }
        }
        let metadata = FeedMetadata(title: page.title, link: documentURL, format: .html)
        return ParsedFeed(metadata: metadata, entries: entries, warnings: warnings)
    }

    private func extractItem(
        _ item: Node, rules: ExtractionRules, document: Document, documentURL: String?
    ) throws(ParseError) -> EntryDraft {
        var draft = EntryDraft()
        draft.contentBase = documentURL
        let context = Context(document: document, item: item)
        if let (node, origin) = try first(rules.title, "title", context, defaults: ExtractionRules.defaultTitle) {
            draft.title = PlainText.text(of: node).nilIfEmpty
            draft.origins["title"] = origin
        }
        if let (node, origin) = try first(rules.link, "link", context, defaults: ExtractionRules.defaultLink),
            let link = URLResolver.resolve(Self.linkText(of: node), against: documentURL)
        {
            draft.link = link
            draft.origins["link"] = origin
        }
        if let (node, origin) = try first(rules.summary, "summary", context) {
            draft.sanitizedSummary = html(of: node, base: documentURL)
            draft.origins["summary"] = origin
        }
        if let (node, origin) = try first(rules.content, "content", context) {
            draft.sanitizedContent = html(of: node, base: documentURL)
            draft.origins["content"] = origin
        }
        try readDate(into: &draft, rules: rules, context: context)
        if let (node, origin) = try first(rules.author, "author", context) {
            draft.author = PlainText.text(of: node).nilIfEmpty
            draft.origins["author"] = origin
        }
        if let (node, origin) = try first(rules.image, "image", context),
            let url = URLResolver.resolve(Self.imageSource(of: node), against: documentURL),
            URLResolver.hasSafeScheme(url)
        {
            draft.enclosures.append(Enclosure(url: url, type: Self.imageType(of: url)))
            draft.origins["image"] = origin
        }
        try readCategories(into: &draft, rules: rules, context: context)
        try readID(into: &draft, rules: rules, context: context)
        return draft
    }

    private struct Context {
        let document: Document
        let item: Node
    }

    // MARK: Fields

    private func readDate(into draft: inout EntryDraft, rules: ExtractionRules, context: Context) throws(ParseError) {
        if !rules.date.isEmpty {
            for selector in rules.date {
                for node in try nodes(selector, field: "date", document: context.document, context: context.item) {
                    guard let date = dates.parseHuman(Self.dateText(of: node), format: rules.dateFormat, now: now)
                    else { continue }
                    draft.published = date
                    draft.origins["date"] = "rule 'date' (\(selector))"
                    return
                }
            }
            return
        }
        // No rule: look where pages usually put dates.
        if let (date, origin) = DateDiscovery(dates: dates, now: now).inItem(context.item, link: draft.link) {
            draft.published = date
            draft.origins["date"] = origin
        }
    }

    private func readCategories(into draft: inout EntryDraft, rules: ExtractionRules, context: Context)
        throws(ParseError)
    {
        for selector in rules.categories {
            let found = try nodes(selector, field: "categories", document: context.document, context: context.item)
                .map { PlainText.text(of: $0) }.filter { !$0.isEmpty }
            guard !found.isEmpty else { continue }
            draft.categories = found
            draft.origins["categories"] = "rule 'categories' (\(selector))"
            return
        }
    }

    private func readID(into draft: inout EntryDraft, rules: ExtractionRules, context: Context) throws(ParseError) {
        switch rules.id {
        case .automatic:
            return
        case .link:
            draft.id = draft.link
            draft.origins["id"] = "the link"
        case .selector(let selectors):
            if let (node, origin) = try first(selectors, "id", context) {
                draft.id = TextScan.trimmed(node.text).nilIfEmpty
                draft.origins["id"] = origin
            }
        }
    }

    // MARK: Reading nodes

    private func html(of node: Node, base: String?) -> SanitizedHTML {
        if node.kind == .element { return sanitizer.sanitize(children: node.children, base: base) }
        let text = PlainText.collapsed(node.text)
        return SanitizedHTML(html: XMLEscape.text(text), text: text)
    }

    /// An element stands for its `href` (or its first link's), an attribute or text for itself.
    static func linkText(of node: Node) -> String? {
        guard node.kind == .element else { return node.text }
        if let href = node.attribute("href") { return href }
        return (try? node.evaluate("string((.//a/@href)[1])"))?.string?.nilIfEmpty
    }

    private static func imageSource(of node: Node) -> String? {
        guard node.kind == .element else { return node.text }
        let image = node.name == "img" ? node : (try? node.evaluate("(.//img)[1]"))?.nodes.first
        return image.flatMap { $0.attribute("data-src") ?? $0.attribute("src") }
    }

    private static func imageType(of url: String) -> String? {
        let path = url.split(separator: "?").first.map(String.init)?.lowercased() ?? ""
        let types = [
            ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
            ".webp": "image/webp", ".avif": "image/avif", ".svg": "image/svg+xml",
        ]
        return types.first { path.hasSuffix($0.key) }?.value
    }

    /// `<time datetime>` and `<meta content>` carry machine-readable dates beside what readers see.
    static func dateText(of node: Node) -> String {
        guard node.kind == .element else { return node.text }
        return node.attribute("datetime") ?? node.attribute("content") ?? node.text
    }

    /// The first node the first matching selector finds, with a note of which rule it was; without rules
    /// for the field, the first node of Tidings' `defaults`.
    private func first(
        _ selectors: [PageSelector], _ field: String, _ context: Context, defaults: [PageSelector] = []
    ) throws(ParseError) -> (Node, String)? {
        let (candidates, isDefault) = selectors.isEmpty ? (defaults, true) : (selectors, false)
        for selector in candidates {
            if let node = try nodes(selector, field: field, document: context.document, context: context.item).first {
                return (node, isDefault ? "default: \(selector)" : "rule '\(field)' (\(selector))")
            }
        }
        return nil
    }

    private func nodes(_ selector: PageSelector, field: String, document: Document, context: Node?) throws(ParseError)
        -> [Node]
    {
        do {
            return try document.evaluate(selector.xpath, context: context).nodes
        } catch {
            throw .invalidRule(field: field, expression: selector.text)
        }
    }
}
