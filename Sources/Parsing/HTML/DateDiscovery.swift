import Foundation
import Time
import XML

/// Where pages keep their dates when no rule says: `<time datetime>`, `itemprop="datePublished"`,
/// the meta tags of Open Graph and friends, JSON-LD, and `/2026/03/12/` in a post's URL.
/// Each finding says where it came from, for `tidings preview`.
struct DateDiscovery {
    let dates: DateParser
    let now: Date

    /// A date inside one item of an index page, else in its link.
    func inItem(_ item: Node, link: String?) -> (Date, String)? {
        if let found = firstDate(item, "(.//time[@datetime])[1]", origin: "<time datetime> in the item") {
            return found
        }
        if let found = firstDate(item, "(.//*[@itemprop='datePublished'])[1]", origin: "itemprop=datePublished") {
            return found
        }
        return link.flatMap(Self.dateInURL).map { ($0, "the date in the link") }
    }

    /// The publication date of an article page.
    func inPage(_ document: Document, url: String?) -> (Date, String)? {
        for name in Self.metaNames {
            let xpath = "(//meta[@property='\(name)' or @name='\(name)' or @itemprop='\(name)'])[1]/@content"
            if let text = (try? document.evaluate("string(\(xpath))"))?.string, !text.isEmpty,
                let date = dates.parseHuman(text, now: now)
            {
                return (date, "<meta \(name)>")
            }
        }
        if let date = jsonLDDate(document) { return (date, "JSON-LD datePublished") }
        if let root = document.root, let found = firstDate(root, "(//time[@datetime])[1]", origin: "<time datetime>") {
            return found
        }
        return url.flatMap(Self.dateInURL).map { ($0, "the date in the URL") }
    }

    static let metaNames = [
        "article:published_time", "og:article:published_time", "datePublished", "pubdate", "publish-date",
        "date", "dc.date", "DC.date.issued", "dcterms.created", "parsely-pub-date", "sailthru.date",
    ]

    private func firstDate(_ context: Node, _ xpath: String, origin: String) -> (Date, String)? {
        guard let node = (try? context.evaluate(xpath))?.nodes.first,
            let date = dates.parseHuman(HTMLExtractor.dateText(of: node), now: now)
        else { return nil }
        return (date, origin)
    }

    private func jsonLDDate(_ document: Document) -> Date? {
        let scripts = (try? document.evaluate("//script[@type='application/ld+json']"))?.nodes ?? []
        for script in scripts {
            guard let object = try? JSONSerialization.jsonObject(with: Data(script.text.utf8)),
                let text = Self.find("datePublished", in: object, depth: 0),
                let date = dates.parseHuman(text, now: now)
            else { continue }
            return date
        }
        return nil
    }

    /// JSON-LD nests its objects (`@graph`, `mainEntity`); look a few levels down.
    private static func find(_ key: String, in value: Any, depth: Int) -> String? {
        guard depth < 6 else { return nil }
        if let object = value as? [String: Any] {
            if let text = object[key] as? String { return text }
            for child in object.values {
                if let found = find(key, in: child, depth: depth + 1) { return found }
            }
        } else if let array = value as? [Any] {
            for child in array {
                if let found = find(key, in: child, depth: depth + 1) { return found }
            }
        }
        return nil
    }

    /// `/2026/03/12/` or `/2026-03-12-` in a URL's path: midnight UTC of that day.
    static func dateInURL(_ url: String) -> Date? {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "_" })
        guard parts.count >= 3 else { return nil }
        for index in 0..<(parts.count - 2) {
            guard parts[index].count == 4, let year = Int(parts[index]), (1995...2100).contains(year),
                parts[index + 1].count == 2, let month = Int(parts[index + 1]), (1...12).contains(month),
                parts[index + 2].count == 2, let day = Int(parts[index + 2]),
                (1...CivilCalendar.daysIn(month: month, year: year)).contains(day)
            else { continue }
            let days = CivilCalendar.days(year: year, month: month, day: day)
            return Date(timeIntervalSince1970: Double(days) * 86_400)
        }
        return nil
    }
}
