import Foundation
import XML

/// Plain text out of markup: for titles, digest summaries and word counts.
public enum PlainText {
    /// Plain text as HTML: escaped, with blank lines as paragraph breaks (JSON Feed's `content_text`,
    /// `itunes:summary`).
    static func paragraphs(_ text: String) -> String {
        text.components(separatedBy: "\n\n").map { "<p>" + XMLEscape.text($0) + "</p>" }.joined()
    }

    /// Elements after which a reader sees a break, so their words must not run together.
    static let blockElements: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td",
        "th", "table", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt", "dl",
    ]
    static let invisibleElements: Set<String> = ["script", "style", "noscript", "template", "head", "title"]

    /// The visible text of an HTML fragment, entities decoded once and whitespace collapsed.
    public static func fromHTML(_ html: String) -> String {
        guard html.contains("<") || html.contains("&") else { return collapsed(html) }
        guard let body = Document.htmlFragment(html)?.body else { return collapsed(html) }
        return text(of: body)
    }

    /// The visible text under a node, whitespace collapsed. The node itself is never skipped, even when it
    /// is named like an invisible element (Atom's `<title>`).
    public static func text(of node: Node) -> String {
        guard node.kind == .element else { return collapsed(node.text) }
        var output = ""
        for child in node.children { append(child, to: &output) }
        return collapsed(output)
    }

    private static func append(_ node: Node, to output: inout String) {
        switch node.kind {
        case .text:
            output += node.text
        case .element:
            let name = node.name.lowercased()
            if invisibleElements.contains(name) { return }
            let isBlock = blockElements.contains(name)
            if isBlock { output += " " }
            for child in node.children { append(child, to: &output) }
            if isBlock { output += " " }
        default:
            return
        }
    }

    /// Runs of whitespace (including non-breaking spaces) become one space; the ends are trimmed.
    public static func collapsed(_ text: String) -> String { TextScan.collapsed(text) }

    /// The first `limit` characters of `text`, cut at a word boundary and marked with an ellipsis.
    public static func excerpt(_ text: String, limit: Int) -> String {
        // Only the first `limit` characters are looked at: counting a whole article's characters is slow.
        guard let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex), end < text.endIndex
        else { return text }
        let cut = text[..<end]
        let boundary = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<boundary]).trimmingCharacters(in: .punctuationCharacters.union(.whitespaces)) + "…"
    }
}

extension String {
    /// nil for an empty string, so "no title" is one value, not two.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
