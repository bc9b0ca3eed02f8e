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

    /// The `src` of the first `<img>` of sanitised HTML.
    static func firstImage(in html: String) -> String? {
        guard let tag = html.range(of: "<img ") else { return nil }
        let rest = html[tag.upperBound...]
        guard let end = rest.firstIndex(of: ">"), let src = rest[..<end].range(of: "src=\"") else { return nil }
        let value = rest[src.upperBound..<end]
        guard let close = value.firstIndex(of: "\"") else { return nil }
        let url = String(value[..<close])
        return url.isEmpty ? nil : unescaped(url)
    }

    /// The sanitiser's escaping undone: it writes only these five.
    private static func unescaped(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
