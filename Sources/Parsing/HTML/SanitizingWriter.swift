import XML

/// The sanitiser's writer: it receives an HTML document as start, end and text events (from libxml2's
/// HTML parser, or from a walk over an already parsed page) and writes the allowed markup and the
/// visible text as bytes, in one pass.
final class SanitizingWriter: HTMLEventHandler {
    private let policy: HTMLSanitizer
    private let base: String?
    private var html: [UInt8] = []
    /// The visible text, whitespace not yet collapsed.
    private var text: [UInt8] = []
    private var frames: [Frame] = []
    /// How many open elements are being dropped with their content; nothing inside them is written.
    private var dropping = 0

    /// What closing an element must do.
    private struct Frame {
        var closingTag: String?
        var isBlock: Bool
        var drops: Bool
    }

    init(policy: HTMLSanitizer, base: String?, expectedSize: Int) {
        self.policy = policy
        self.base = base
        html.reserveCapacity(expectedSize)
        text.reserveCapacity(expectedSize)
    }

    /// What was taken out, by kind: elements dropped with their content, event handlers, unsafe links.
    private(set) var removed: [String: Int] = [:]

    func startElement(_ name: String, attributes: [HTMLAttribute]) {
        let rule = HTMLSanitizer.rules[name] ?? .unwrapped
        if dropping > 0 || rule.action == .drop {
            if dropping == 0 { removed[name, default: 0] += 1 }
            dropping += 1
            frames.append(Frame(closingTag: nil, isBlock: false, drops: true))
            return
        }
        if rule.isBlock { breakText() }
        if name == "iframe" { return startEmbed(attributes) }
        var closingTag: String?
        switch rule.action {
        case .keep, .keepVoid:
            guard let kept = policy.allowedAttributes(attributes, element: name, base: base) else {
                removed[name == "img" ? "image (tracking pixel or no source)" : name, default: 0] += 1
                dropping += 1
                frames.append(Frame(closingTag: nil, isBlock: rule.isBlock, drops: true))
                return
            }
            if kept.count < attributes.count { countRemovedAttributes(attributes, kept: kept) }
            writeStartTag(name, attributes: kept, void: rule.action == .keepVoid)
            if rule.action == .keep { closingTag = name }
        case .unwrap, .drop:
            break
        }
        frames.append(Frame(closingTag: closingTag, isBlock: rule.isBlock, drops: false))
    }

    /// A player kept (its fallback content dropped), a link to what another frame showed, or nothing.
    private func startEmbed(_ attributes: [HTMLAttribute]) {
        var closingTag: String?
        switch Embed.decide(attributes, base: base) {
        case .player(let kept):
            writeStartTag("iframe", attributes: kept, void: false)
            closingTag = "iframe"
        case .link(let url, let host):
            removed["iframe (replaced by a link)", default: 0] += 1
            writeStartTag("a", attributes: [.init(name: "href", value: url), .init(name: "rel", value: "noopener noreferrer")], void: false)
            var label = "Embedded content from \(host)"
            label.withUTF8 { XMLEscape.appendText($0, to: &html) }
            html.append(contentsOf: "</a>".utf8)
        case .none:
            removed["iframe", default: 0] += 1
        }
        dropping += 1
        frames.append(Frame(closingTag: closingTag, isBlock: false, drops: true))
    }

    func endElement() {
        guard let frame = frames.popLast() else { return }
        if frame.drops { dropping -= 1 }
        if let tag = frame.closingTag {
            html.append(contentsOf: "</".utf8)
            html.append(contentsOf: tag.utf8)
            html.append(UInt8(ascii: ">"))
        }
        if frame.isBlock && dropping == 0 { breakText() }
    }

    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard dropping == 0 else { return }
        // Text is where windows-1252 punctuation written as C1 code points shows, whether the document held
        // the character or a reference to it.
        guard !WindowsC1.occurs(in: bytes) else {
            var repaired = WindowsC1.repaired(String(decoding: bytes, as: UTF8.self))
            repaired.withUTF8 { append($0) }
            return
        }
        append(bytes)
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Moved out and back (not copied), so the appends pay no exclusivity checks on a class's storage.
        var html = self.html
        self.html = []
        XMLEscape.appendText(bytes, to: &html)
        self.html = html
        text.append(contentsOf: bytes)
    }

    /// The markup with its ends trimmed, and the collapsed text.
    func result() -> SanitizedHTML {
        Self.collapseInPlace(&text)
        return SanitizedHTML(
            html: TextScan.trimmedString(html), text: String(decoding: text, as: UTF8.self), removed: removed)
    }

    /// Event handlers and links to `javascript:` and the like, among the attributes that did not survive.
    private func countRemovedAttributes(_ attributes: [HTMLAttribute], kept: [HTMLAttribute]) {
        for attribute in attributes where attribute.name.hasPrefix("on") {
            removed["event handler", default: 0] += 1
        }
        for attribute in attributes where attribute.name == "href" || attribute.name == "src" {
            guard !kept.contains(where: { $0.name == attribute.name }) else { continue }
            let scheme = attribute.value.drop { $0 == " " }.prefix(11).lowercased()
            if scheme.hasPrefix("javascript:") || scheme.hasPrefix("vbscript:") || scheme.hasPrefix("data:") {
                removed["unsafe link", default: 0] += 1
            }
        }
    }

    private func writeStartTag(_ name: String, attributes: [HTMLAttribute], void: Bool) {
        html.append(UInt8(ascii: "<"))
        html.append(contentsOf: name.utf8)
        for attribute in attributes {
            html.append(UInt8(ascii: " "))
            html.append(contentsOf: attribute.name.utf8)
            html.append(contentsOf: "=\"".utf8)
            XMLEscape.appendAttribute(WindowsC1.repaired(attribute.value), to: &html)
            html.append(UInt8(ascii: "\""))
        }
        html.append(contentsOf: void ? " />".utf8 : ">".utf8)
    }

    /// Block elements separate words even when the markup has no space between them.
    private func breakText() {
        text.append(0x20)
    }

    /// Text is kept raw while the document streams past (one copy per text event) and collapsed once,
    /// in place, at the end: far cheaper than deciding every byte on the way in.
    private static func collapseInPlace(_ text: inout [UInt8]) {
        let count = text.withUnsafeMutableBufferPointer { bytes -> Int in
            var write = 0
            var pending = false
            var read = 0
            while read < bytes.count {
                let width = TextScan.whitespaceWidth(UnsafeBufferPointer(bytes), at: read)
                if width > 0 {
                    pending = write > 0
                    read += width
                    continue
                }
                if pending {
                    bytes[write] = 0x20
                    write += 1
                    pending = false
                }
                bytes[write] = bytes[read]
                write += 1
                read += 1
            }
            return write
        }
        text.removeLast(text.count - count)
    }
}
