import Foundation
import Time
import XML

/// The article body of a post's own page: the element a `content` selector names, else the block a
/// readability-style score picks as the main text (paragraph text counted up to its containers, class
/// and id names as hints, links discounted), so navigation, sidebars and comments stay out.
public struct ArticleExtractor: Sendable {
    let sanitizer = HTMLSanitizer()
    let dates: DateParser

    public init(options: ParserOptions = ParserOptions()) {
        dates = DateParser(naiveTimeZone: options.naiveTimeZone)
    }

    public struct Article: Sendable, Equatable {
        public var content: SanitizedHTML
        /// The page's publication date, when it states one.
        public var published: Date?
        /// "rule 'content' (…)" or "the main text block (<div class="post-body">)".
        public var origin: String
    }

    public func extract(
        _ page: [UInt8], url: String?, contentType: String?, selectors: [PageSelector] = [], now: Date = Date()
    ) -> Article? {
        guard let page = try? HTMLPage(page, url: url, contentType: contentType),
            let (node, origin) = body(of: page.document, selectors: selectors)
        else { return nil }
        let content = sanitizer.sanitize(children: node.children, base: page.baseURL)
        guard !content.text.isEmpty else { return nil }
        let published = DateDiscovery(dates: dates, now: now).inPage(page.document, url: url)?.0
        return Article(content: content, published: published, origin: origin)
    }

    /// With selectors, the first element the first matching one finds (and nothing when none matches:
    /// the user said where the article is); without, the main text block.
    private func body(of document: Document, selectors: [PageSelector]) -> (Node, String)? {
        if !selectors.isEmpty {
            for selector in selectors {
                if let node = (try? document.evaluate(selector.xpath))?.nodes.first(where: { $0.kind == .element }) {
                    return (node, "rule 'content' (\(selector))")
                }
            }
            return nil
        }
        guard let node = mainBlock(of: document) else { return nil }
        var label = "<" + node.name
        if let id = node.attribute("id") { label += " id=\"\(id)\"" }
        if let classes = node.attribute("class") { label += " class=\"\(classes)\"" }
        return (node, "the main text block (\(label)>)")
    }

    /// The container holding the most paragraph text, scored as readability does.
    func mainBlock(of document: Document) -> Node? {
        let paragraphs = (try? document.evaluate("//body//p | //body//pre | //body//td[not(.//p)]"))?.nodes ?? []
        var scores: [Int: (node: Node, score: Double)] = [:]
        for paragraph in paragraphs {
            let text = PlainText.text(of: paragraph)
            let length = text.count
            guard length >= 25 else { continue }
            let points = 1 + Double(text.filter { $0 == "," }.count) + min(Double(length / 100), 3)
            var ancestor = paragraph.parent
            for share in [1.0, 0.5] {
                guard let node = ancestor, node.name != "body", node.name != "html" else { break }
                let current = scores[node.identity]?.score ?? Self.initialScore(node)
                scores[node.identity] = (node, current + points * share)
                ancestor = node.parent
            }
        }
        let ranked = scores.values.map { ($0.node, $0.score * (1 - Self.linkDensity($0.node))) }
        return ranked.max { $0.1 < $1.1 }?.0
    }

    private static func initialScore(_ node: Node) -> Double {
        var score: Double
        switch node.name {
        case "article", "main": score = 10
        case "div", "section": score = 5
        case "pre", "td", "blockquote": score = 3
        case "address", "ol", "ul", "dl", "dd", "dt", "li", "form", "aside", "nav", "footer": score = -3
        default: score = 0
        }
        let hints = ((node.attribute("class") ?? "") + " " + (node.attribute("id") ?? "")).lowercased()
        if positiveHints.contains(where: hints.contains) { score += 25 }
        if negativeHints.contains(where: hints.contains) { score -= 25 }
        return score
    }

    static let positiveHints = ["article", "body", "content", "entry", "main", "post", "text", "blog", "story"]
    static let negativeHints = [
        "comment", "meta", "footer", "footnote", "nav", "sidebar", "menu", "share", "social", "related", "sponsor",
        "banner", "promo", "widget", "masthead",
    ]

    /// The share of a block's text that sits inside links: menus are nearly all links, articles are not.
    private static func linkDensity(_ node: Node) -> Double {
        let total = PlainText.text(of: node).count
        guard total > 0 else { return 1 }
        let links = ((try? node.evaluate(".//a"))?.nodes ?? []).reduce(0) { $0 + PlainText.text(of: $1).count }
        return min(1, Double(links) / Double(total))
    }
}
