import Foundation
import Parsing
import Time

/// A feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1). The blog is credited in `authors`, which
/// readers show, and described in full in the `_tidings` extension object. Written by hand, keys in a fixed
/// order: the same store gives the same bytes, and Foundation's encoder was a third of the time of 30,000
/// per-source feeds.
enum JSONFeedWriter {
    static func render(_ channel: FeedChannel, site: Site) -> String {
        let json = JSONText()
        json.object {
            json.field("version", "https://jsonfeed.org/version/1.1")
            json.field("title", channel.title)
            json.field("home_page_url", channel.homePage)
            json.field("feed_url", channel.url(.json, site: site))
            json.field("description", channel.description)
            json.array("items", channel.items) { item(json: json, $0) }
        }
        return json.text + "\n"
    }

    private static func item(json: JSONText, _ item: FeedItem) {
        json.object {
            json.field("id", item.id)
            json.field("url", item.link)
            json.field("title", item.title)
            // One of content_html and content_text is required: the summary stands in when there is no content.
            json.field("content_html", item.contentHTML ?? item.summaryHTML ?? "")
            if item.contentHTML != nil { json.field("summary", item.summaryHTML.map(PlainText.fromHTML)) }
            json.field("date_published", Timestamp.rfc3339(item.published))
            json.field("date_modified", Timestamp.rfc3339(item.updated))
            json.array("authors", [item.credit]) { name in json.object { json.field("name", name) } }
            if !item.categories.isEmpty { json.array("tags", item.categories) { json.value($0) } }
            if !item.enclosures.isEmpty {
                json.array("attachments", item.enclosures) { enclosure in
                    json.object {
                        json.field("url", enclosure.url)
                        json.field("mime_type", enclosure.type ?? "application/octet-stream")
                        if let size = enclosure.length, size > 0 { json.field("size_in_bytes", size) }
                    }
                }
            }
            if let blog = item.blog {
                json.key("_tidings")
                json.object {
                    json.key("source")
                    json.object {
                        json.field("key", blog.key)
                        json.field("title", blog.title)
                        json.field("home_page_url", blog.siteLink)
                        json.field("feed_url", blog.feedURL)
                    }
                }
            }
        }
    }
}

/// JSON text built in order, indented by two spaces; nil values are left out with their key. A class, so
/// the nested closures that write an object's members can write to it.
final class JSONText {
    private(set) var text = ""
    /// For each open object or array, whether it has a member yet.
    private var open: [Bool] = []
    /// A key was just written: its value follows on the same line.
    private var afterKey = false

    func object(_ body: () -> Void) {
        container("{", "}", body)
    }

    func array<T>(_ name: String, _ values: [T], _ element: (T) -> Void) {
        key(name)
        container("[", "]") { for value in values { element(value) } }
    }

    func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        beginValue()
        string(value)
    }

    func field(_ name: String, _ value: Int) {
        key(name)
        beginValue()
        text += String(value)
    }

    /// A string as an array element.
    func value(_ value: String) {
        beginValue()
        string(value)
    }

    func key(_ name: String) {
        beginValue()
        string(name)
        text += ": "
        afterKey = true
    }

    private func container(_ opening: String, _ closing: String, _ body: () -> Void) {
        beginValue()
        text += opening
        open.append(false)
        body()
        let hadMembers = open.removeLast()
        if hadMembers { newline() }
        text += closing
    }

    /// A comma and a new line before every member but the first; nothing after a key.
    private func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let hasMembers = open.last else { return }
        if hasMembers { text += "," }
        open[open.count - 1] = true
        newline()
    }

    private func newline() {
        text += "\n" + String(repeating: "  ", count: open.count)
    }

    private func string(_ value: String) {
        text += Self.quoted(value)
    }

    /// A JSON string literal.
    static func quoted(_ value: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(value.utf8.count + 2)
        appendQuoted(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends a JSON string literal. Clean runs of UTF-8 are copied whole: bodies are most of a feed's bytes.
    static func appendQuoted(_ value: String, to output: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            // No reserveCapacity: called for many values into one buffer, exact reservations would be quadratic.
            output.append(0x22)
            var start = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let isSeparator =
                    byte == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C || isSeparator else {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                switch byte {
                case 0x22: output.append(contentsOf: #"\""#.utf8)
                case 0x5C: output.append(contentsOf: #"\\"#.utf8)
                case 0x0A: output.append(contentsOf: #"\n"#.utf8)
                case 0x0D: output.append(contentsOf: #"\r"#.utf8)
                case 0x09: output.append(contentsOf: #"\t"#.utf8)
                case 0xE2:
                    // U+2028 and U+2029, which JavaScript takes for line ends: escaped for readers that eval.
                    output.append(contentsOf: (bytes[index + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8)
                    index += 2
                default:
                    let hex = String(byte, radix: 16)
                    output.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
                index += 1
                start = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
            output.append(0x22)
        }
    }
}
