import Foundation
import XML

/// Entries out of an HTML page through `ExtractionRules`, with libxml2's forgiving HTML parser and XPath.
struct HTMLExtractor {
    let dates: DateParser
    let sanitizer: HTMLSanitizer

    func extract(_ document: Document, rules: ExtractionRules, documentURL: String?) throws(ParseError) -> ParsedFeed {
        // A page's `<base href>` decides what its relative links mean, as in a browser.
        let baseHref = (try? document.evaluate("string(/html/head/base/@href)"))?.string
        let documentURL = URLResolver.resolve(baseHref, against: documentURL) ?? documentURL
        let items = try evaluate(rules.item, field: "item", document: document, context: nil).nodes
        var warnings: [String] = []
        if items.isEmpty {
            warnings.append("the html rule 'item' (\(rules.item)) matched nothing on the page")
        }
        var entries: [ParsedEntry] = []
        for item in items {
            let draft = try extractItem(item, rules: rules, document: document, documentURL: documentURL)
            guard draft.title != nil || draft.link != nil else { continue }
            entries.append(draft.finish(sanitizer: sanitizer, sourceURL: documentURL))
        }
        let title = try? document.evaluate("string(/html/head/title)").string
        let metadata = FeedMetadata(
            title: title.map(PlainText.collapsed)?.nilIfEmpty, link: documentURL, format: .html)
        return ParsedFeed(metadata: metadata, entries: entries, warnings: warnings)
    }

    private func extractItem(
        _ item: Node, rules: ExtractionRules, document: Document, documentURL: String?
    ) throws(ParseError) -> EntryDraft {
        var draft = EntryDraft()
        draft.contentBase = documentURL
        let titleNode = try first(rules.title ?? ExtractionRules.defaultTitle, field: "title", document, item)
        draft.title = titleNode.map(PlainText.text(of:))
        let linkNode = try first(rules.link ?? ExtractionRules.defaultLink, field: "link", document, item)
        draft.link = linkNode.flatMap { URLResolver.resolve($0.text, against: documentURL) }
        if let rule = rules.summary, let node = try first(rule, field: "summary", document, item) {
            draft.sanitizedSummary = html(of: node, base: documentURL)
        }
        if let rule = rules.content, let node = try first(rule, field: "content", document, item) {
            draft.sanitizedContent = html(of: node, base: documentURL)
        }
        if let rule = rules.date, let node = try first(rule, field: "date", document, item) {
            draft.published = dates.parse(node.attribute("datetime") ?? node.text)
        }
        if let rule = rules.author, let node = try first(rule, field: "author", document, item) {
            draft.author = PlainText.text(of: node)
        }
        return draft
    }

    private func html(of node: Node, base: String?) -> SanitizedHTML {
        if node.kind == .element { return sanitizer.sanitize(children: node.children, base: base) }
        let text = PlainText.collapsed(node.text)
        return SanitizedHTML(html: XMLEscape.text(text), text: text)
    }

    private func first(_ rule: String, field: String, _ document: Document, _ item: Node) throws(ParseError) -> Node? {
        try evaluate(rule, field: field, document: document, context: item).nodes.first
    }

    private func evaluate(_ rule: String, field: String, document: Document, context: Node?) throws(ParseError)
        -> XPathValue
    {
        do {
            return try document.evaluate(rule, context: context)
        } catch {
            throw .invalidRule(field: field, expression: rule)
        }
    }
}
