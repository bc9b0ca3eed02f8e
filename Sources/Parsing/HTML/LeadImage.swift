import Foundation

/// A post's lead image, for the pages' thumbnails: its first image enclosure, else the first image of its
/// content (or summary). Read from sanitised HTML, whose `<img>` carries `src` double-quoted and checked.
public enum LeadImage {
    public static func of(_ entry: ParsedEntry) -> String? {
        if let enclosure = entry.enclosures.first(where: { $0.type?.lowercased().hasPrefix("image/") == true }) {
            return enclosure.url
        }
        return (entry.content ?? entry.summary).flatMap(firstImage)
    }

    /// The `src` of the first `<img>` of sanitised HTML. Searched as bytes: Foundation's `range(of:)` over
    /// every stored article was a tenth of a cold refresh.
    static func firstImage(in html: String) -> String? {
        var html = html
        return html.withUTF8 { bytes -> String? in
            guard let tag = find(Array("<img ".utf8), in: bytes, from: 0),
                let end = bytes[tag...].firstIndex(of: UInt8(ascii: ">")),
                let src = find(Array("src=\"".utf8), in: bytes, from: tag), src < end
            else { return nil }
            let start = src + 5
            guard let close = bytes[start..<end].firstIndex(of: UInt8(ascii: "\"")), close > start else { return nil }
            return unescaped(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<close]), as: UTF8.self))
        }
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], needle.indices.allSatisfy({ bytes[index + $0] == needle[$0] }) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The sanitiser's escaping undone: it writes only these five.
    private static func unescaped(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
