import Foundation
import XML

/// Cleans other people's HTML before it reaches a reader: an allowlist of elements and attributes applied
/// to what libxml2's HTML parser reads (never to the raw text), URLs made absolute and limited to safe
/// schemes. `SanitizingWriter` applies it as the parser reports elements and text.
/// Its output is well-formed: every element closed, every text and attribute escaped.
public struct HTMLSanitizer: Sendable {
    public init() {}

    /// Elements removed together with everything inside them.
    static let droppedWithContent: Set<String> = [
        "script", "style", "object", "applet", "form", "frame", "frameset", "noscript", "template",
        "head", "title", "svg", "math", "button", "select", "textarea", "canvas", "dialog",
    ]
    /// Void elements that are removed; anything a forgiving parser nested inside them is kept, because it
    /// was really the markup that followed them.
    static let droppedVoid: Set<String> = ["embed", "input", "meta", "link", "base", "param", "keygen"]
    static let allowed: Set<String> = [
        "a", "abbr", "acronym", "address", "b", "bdi", "bdo", "big", "blockquote", "br", "caption", "center",
        "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
        "picture", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "source", "span", "strike", "strong",
        "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul",
        "iframe", "video", "audio", "track",
        "var", "wbr",
    ]
    static let voidElements: Set<String> = ["br", "hr", "img", "wbr", "col", "source", "track"]
    static let globalAttributes: Set<String> = ["title", "lang", "dir"]
    static let elementAttributes: [String: Set<String>] = [
        "a": ["href"], "img": ["src", "alt", "width", "height", "srcset", "sizes"],
        "source": ["src", "srcset", "type", "media"],
        // Never `autoplay`, `controls` or `preload` as written: see `mediaAttributes`.
        "video": ["src", "poster", "width", "height", "loop", "muted", "playsinline"], "audio": ["src", "loop", "muted"],
        "track": ["src", "kind", "srclang", "label", "default"],
        "td": ["colspan", "rowspan", "align"], "th": ["colspan", "rowspan", "align", "scope"], "col": ["span"],
        "colgroup": ["span"], "ol": ["start", "reversed", "type"], "li": ["value"], "time": ["datetime"],
        "q": ["cite"], "blockquote": ["cite"], "del": ["cite", "datetime"], "ins": ["cite", "datetime"],
        "abbr": ["title"], "details": ["open"],
    ]
    /// Global and per-element attributes together, built once rather than for every element.
    static let permittedAttributes: [String: Set<String>] = elementAttributes.mapValues {
        $0.union(globalAttributes)
    }
    static let urlAttributes: Set<String> = ["href", "src", "cite", "poster"]
    /// What every kept `<video>` and `<audio>` gets: the reader's own controls, and nothing loaded (nothing
    /// played, nobody told) until the reader presses play.
    static let mediaAttributes = [HTMLAttribute(name: "controls", value: ""), HTMLAttribute(name: "preload", value: "none")]

    /// What the sanitiser does with an element, worked out once per name from the sets above.
    struct ElementRule {
        enum Action { case keep, keepVoid, unwrap, drop }
        var action: Action
        /// Whether its start and end separate words in the visible text.
        var isBlock: Bool

        static let unwrapped = ElementRule(action: .unwrap, isBlock: false)
    }

    static let rules: [String: ElementRule] = {
        var rules: [String: ElementRule] = [:]
        for name in allowed.union(droppedWithContent).union(droppedVoid).union(PlainText.blockElements) {
            let action: ElementRule.Action
            if droppedWithContent.contains(name) {
                action = .drop
            } else if droppedVoid.contains(name) || !allowed.contains(name) {
                // Unknown or structural elements (article, section, font, …) are unwrapped, keeping their
                // text; so are removed void elements, whose "content" is really the markup after them.
                action = .unwrap
            } else {
                action = voidElements.contains(name) ? .keepVoid : .keep
            }
            rules[name] = ElementRule(action: action, isBlock: PlainText.blockElements.contains(name))
        }
        return rules
    }()

    /// Sanitises an HTML fragment; `base` makes relative URLs absolute.
    public func sanitize(_ html: String, base: String?) -> String {
        sanitizeWithText(html, base: base).html
    }

    /// The sanitised HTML and, from the same pass, its visible text (for word counts and excerpts),
    /// so the result need not be parsed a second time.
    public func sanitizeWithText(_ html: String, base: String?) -> SanitizedHTML {
        // Plain text (most summaries) needs no parse: nothing to remove, nothing to decode.
        if !html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) {
            let plain = WindowsC1.repaired(html)
            return SanitizedHTML(html: XMLEscape.text(TextScan.trimmed(plain)), text: TextScan.collapsed(plain))
        }
        // The fragment is parsed as the body of a page, so text before any element is not put in a
        // paragraph and nothing in the fragment can change how it is decoded.
        var document: [UInt8] = []
        document.reserveCapacity(html.utf8.count + Self.fragmentPrefix.count)
        document.append(contentsOf: Self.fragmentPrefix)
        document.append(contentsOf: html.utf8)
        let writer = SanitizingWriter(policy: self, base: base, expectedSize: html.utf8.count)
        document.withUnsafeBufferPointer { HTMLStream.parse($0, into: writer) }
        return writer.result()
    }

    private static let fragmentPrefix = Array("<html><body>".utf8)

    /// Sanitises nodes of an already parsed page, as the HTML extraction rules produce them.
    public func sanitize(children nodes: [Node], base: String?) -> SanitizedHTML {
        let writer = SanitizingWriter(policy: self, base: base, expectedSize: 4096)
        for node in nodes { replay(node, into: writer) }
        return writer.result()
    }

    /// Feeds a parsed tree to the writer as the events the HTML parser would have sent.
    private func replay(_ node: Node, into writer: SanitizingWriter) {
        switch node.kind {
        case .text:
            var text = node.text
            text.withUTF8 { writer.characters($0) }
        case .element:
            writer.startElement(
                node.name, attributes: node.attributes.map { HTMLAttribute(name: $0.name, value: $0.value) })
            node.forEachChild { replay($0, into: writer) }
            writer.endElement()
        default:
            return
        }
    }

    /// The attributes that survive, in a stable order; nil when the element itself must go
    /// (an image with no usable source, a tracking pixel).
    func allowedAttributes(_ attributes: [HTMLAttribute], element name: String, base: String?) -> [HTMLAttribute]? {
        if attributes.isEmpty && name != "img" && name != "video" && name != "audio" { return [] }
        var values: [String: String] = [:]
        var order: [String] = []
        let permitted = Self.permittedAttributes[name] ?? Self.globalAttributes
        for raw in attributes {
            var attribute = raw.name
            let value = raw.value
            // Lazy-loading placeholders: the real image is in data-src / data-srcset.
            if name == "img" || name == "source", attribute == "data-src" || attribute == "data-srcset" {
                attribute = String(attribute.dropFirst(5))
            } else if attribute == "src" || attribute == "srcset",
                attributes.contains(where: { $0.name == "data-" + attribute })
            {
                continue
            }
            guard permitted.contains(attribute), values[attribute] == nil else { continue }
            guard let clean = cleanValue(value, attribute: attribute, element: name, base: base) else { continue }
            values[attribute] = clean
            order.append(attribute)
        }
        if name == "img" {
            guard values["src"] != nil || values["srcset"] != nil else { return nil }
            if values["width"] == "1" && values["height"] == "1" { return nil }
        }
        var result = order.map { HTMLAttribute(name: $0, value: values[$0]!) }
        if name == "a", values["href"] != nil {
            result.append(HTMLAttribute(name: "rel", value: "noopener noreferrer"))
        }
        if name == "video" || name == "audio" { result += Self.mediaAttributes }
        return result
    }

    /// `2x`, `1.5x` or `480w`: the only descriptors a srcset candidate may carry.
    static func isSrcsetDescriptor(_ text: String) -> Bool {
        guard let unit = text.last, unit == "x" || unit == "w", text.count > 1 else { return false }
        return text.dropLast().allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
    }

    private func cleanValue(_ value: String, attribute: String, element: String, base: String?) -> String? {
        if attribute == "srcset" {
            // Split by scalars, as a browser does: as Characters, a comma followed by a combining mark is one
            // character and would smuggle the next candidate's URL through unchecked as a "descriptor".
            let candidates = value.unicodeScalars.split(separator: ",").compactMap { candidate -> String? in
                let parts = candidate.split(whereSeparator: { $0.properties.isWhitespace }).map {
                    String(String.UnicodeScalarView($0))
                }
                guard let first = parts.first, let url = URLResolver.resolve(first, against: base),
                    URLResolver.hasSafeScheme(url),
                    parts.dropFirst().allSatisfy(Self.isSrcsetDescriptor)
                else { return nil }
                return ([url] + parts.dropFirst()).joined(separator: " ")
            }
            return candidates.isEmpty ? nil : candidates.joined(separator: ", ")
        }
        guard Self.urlAttributes.contains(attribute) else { return value }
        let trimmed = TextScan.trimmed(value)
        if element == "img", attribute == "src", trimmed.lowercased().hasPrefix("data:image/") {
            return trimmed
        }
        guard let url = URLResolver.resolve(trimmed, against: base) else { return nil }
        if attribute == "href", url.hasPrefix("#") { return url }
        guard URLResolver.hasSafeScheme(url, allowingMail: attribute == "href") else { return nil }
        return attribute == "href" ? TrackingParameters.removed(from: url) : url
    }

}

/// Sanitised HTML with the visible text it shows.
public struct SanitizedHTML: Sendable, Equatable {
    public var html: String
    /// Whitespace collapsed.
    public var text: String
    /// What was taken out, by kind ("script", "iframe", "event handler", "unsafe link"…), for `explain`.
    public var removed: [String: Int] = [:]
}
