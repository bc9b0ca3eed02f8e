import XML

/// Writes XML by hand, escaping every text and attribute, so the output is well-formed by construction.
struct XMLBuilder {
    private(set) var output = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    private var depth = 0

    /// `<?xml-stylesheet type="text/xsl" href="…"?>`, before the root element: a browser opening the feed
    /// shows it through the stylesheet; feed readers ignore it.
    mutating func stylesheet(_ href: String) {
        output += "<?xml-stylesheet type=\"text/xsl\" href=\"\(XMLEscape.attribute(href))\"?>\n"
    }

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        indent()
        output += "<" + name + Self.render(attributes) + ">\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        indent()
        output += "</" + name + ">\n"
    }

    /// `<name attributes>text</name>`; nothing at all when `text` is nil.
    mutating func element(_ name: String, _ text: String?, _ attributes: [(String, String)] = []) {
        guard let text else { return }
        indent()
        output += "<" + name + Self.render(attributes) + ">" + XMLEscape.text(text) + "</" + name + ">\n"
    }

    mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        indent()
        output += "<" + name + Self.render(attributes) + "/>\n"
    }

    private mutating func indent() {
        output += String(repeating: "  ", count: depth)
    }

    private static func render(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(XMLEscape.attribute($0.1))\"" }.joined()
    }
}
