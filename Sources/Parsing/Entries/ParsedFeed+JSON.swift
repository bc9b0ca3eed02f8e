import Foundation

extension ParsedFeed {
    /// The feed as the JSON `tidings parse --json` prints and golden files hold: keys sorted, dates in
    /// RFC 3339 UTC, absent values as null.
    public var jsonText: String {
        var feed: [String: Any] = [
            "title": metadata.title ?? NSNull(), "link": metadata.link ?? NSNull(),
            "format": metadata.format.rawValue, "updated": Self.json(metadata.updated),
        ]
        // Present only when the feed gives them, so most documents' JSON stays as it was.
        if let interval = metadata.updateInterval { feed["update_interval_seconds"] = interval.components.seconds }
        if let hub = metadata.hub { feed["hub"] = hub }
        if let encoding { feed["encoding"] = encoding }
        let object: [String: Any] = [
            "feed": feed,
            "entries": entries.map(Self.json),
            "warnings": warnings,
        ]
        let data = try? JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }

    private static func json(_ entry: ParsedEntry) -> [String: Any] {
        [
            "id": entry.id, "title": entry.title ?? NSNull(), "link": entry.link ?? NSNull(),
            "published": json(entry.published), "updated": json(entry.updated), "author": entry.author ?? NSNull(),
            "summary": entry.summary ?? NSNull(), "content": entry.content ?? NSNull(), "categories": entry.categories,
            "enclosures": entry.enclosures.map { enclosure -> [String: Any] in
                ["url": enclosure.url, "type": enclosure.type ?? NSNull(), "length": enclosure.length ?? NSNull()]
            },
            "word_count": entry.wordCount,
        ]
    }

    private static func json(_ date: Date?) -> Any {
        guard let date else { return NSNull() }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
