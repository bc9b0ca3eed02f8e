/// One way of finding something on a page, as written in `feeds.yaml`: a CSS selector (the default),
/// raw XPath after `xpath:` (or starting with `/`, `./` or `(`, which no CSS selector does), or `preceding: SELECTOR` for the nearest matching element before the item
/// (the day heading above a post on an archive page). CSS selectors and `preceding:` may end in
/// `@attribute` (`a.title@href`) to take an attribute instead of the element.
public struct PageSelector: Sendable, Equatable, CustomStringConvertible {
    /// As the user wrote it, for messages.
    public let text: String
    /// What libxml2 evaluates, relative to the item (or to the page for `item` itself).
    public let xpath: String

    public var description: String { text }

    public enum Scope: Sendable { case page, item }

    public init(_ text: String, scope: Scope = .item) throws(RuleError) {
        self.text = text
        let trimmed = TextScan.trimmed(text)
        if let expression = Self.stripping("xpath:", from: trimmed) {
            guard !expression.isEmpty else { throw RuleError(selector: text, reason: "has no XPath after 'xpath:'") }
            xpath = expression
        } else if let css = Self.stripping("preceding:", from: trimmed) {
            guard scope == .item else {
                throw RuleError(selector: text, reason: "uses 'preceding:', which only makes sense inside an item")
            }
            // In document order the last of the preceding matches is the nearest one.
            xpath = "(" + (try Self.translate(css, start: "preceding::")) + ")[last()]"
        } else if trimmed.hasPrefix("/") || trimmed.hasPrefix("./") || trimmed.hasPrefix("(") {
            // No CSS selector starts like this, so it can only be XPath written without its prefix.
            xpath = trimmed
        } else {
            xpath = try Self.translate(trimmed, start: scope == .page ? "/descendant::" : "descendant::")
        }
    }

    /// A selector built from XPath that Tidings itself writes (defaults and discovery).
    init(xpath: String, text: String) {
        self.text = text
        self.xpath = xpath
    }

    private static func stripping(_ prefix: String, from text: String) -> String? {
        guard text.lowercased().hasPrefix(prefix) else { return nil }
        return TextScan.trimmed(String(text.dropFirst(prefix.count)))
    }

    private static func translate(_ css: String, start: String) throws(RuleError) -> String {
        do {
            return try CSSSelector.xpath(css, start: start)
        } catch {
            throw RuleError(selector: css, reason: error.reason)
        }
    }
}

/// A rule in `html:` that cannot be used as written.
public struct RuleError: Error, CustomStringConvertible, Equatable, Sendable {
    public var selector: String
    public var reason: String
    public var description: String { "'\(selector)' \(reason)" }

    public init(selector: String, reason: String) {
        self.selector = selector
        self.reason = reason
    }
}
