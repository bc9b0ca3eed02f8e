import Checked
import Foundation
import Time
import XML

/// JSON Feed 1.0 and 1.1 (jsonfeed.org). Read leniently: publishers put numbers where strings belong
/// and 1.0's `author` beside 1.1's `authors`.
struct JSONFeedParser {
    let dates: DateParser
    let sanitizer: HTMLSanitizer

    func parse(_ bytes: ArraySlice<UInt8>, documentURL: String?) throws(ParseError) -> ParsedFeed {
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw ParseError.invalidJSON(reason: "the top level is not an object")
            }
            object = parsed
        } catch let error as ParseError {
            throw error
        } catch {
            throw .invalidJSON(reason: Self.reason(error))
        }
        let version = Self.string(object["version"]) ?? ""
        guard let (format, warning) = Self.format(version: version, hasItems: object["items"] is [Any]) else {
            throw .invalidJSON(reason: "no JSON Feed \"version\" (expected https://jsonfeed.org/version/1.1)")
        }
        let home = URLResolver.resolve(Self.string(object["home_page_url"]), against: documentURL)
        let base = home ?? documentURL
        let feedAuthor = Self.author(object)
        let metadata = FeedMetadata(
            title: Self.string(object["title"]).map(PlainText.collapsed)?.nilIfEmpty, link: home,
            format: format)
        let items = object["items"] as? [Any] ?? []
        let entries = items.compactMap { $0 as? [String: Any] }.map { item in
            var draft = entry(item, base: base)
            draft.author = draft.author ?? feedAuthor
            return draft.finish(sanitizer: sanitizer, sourceURL: documentURL)
        }
        return ParsedFeed(metadata: metadata, entries: entries, warnings: warning.map { [$0] } ?? [])
    }

    /// The version a document declares, with a warning when it is not the URL the specification asks for.
    /// What every JSON Feed reader accepts is accepted: an object with `items` whose `version` mentions
    /// jsonfeed (`jsonfeed 1.1`, the URL without its scheme) or is a bare version number (`1`, `1.0`, `1.1`).
    static func format(version: String, hasItems: Bool) -> (FeedFormat, String?)? {
        let trimmed = version.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed.contains("jsonfeed.org/version/") { return (trimmed.hasSuffix("/1") ? .json10 : .json11, nil) }
        guard hasItems else { return nil }
        // The number it ends with: "1.1", "v1", "JSON Feed 1.0".
        let number = String(trimmed.reversed().prefix { $0.isASCII && ($0.isNumber || $0 == ".") }.reversed())
        let isNumber = Double(number) != nil && number.first?.isNumber == true
        let mentionsJSONFeed = trimmed.replacingOccurrences(of: " ", with: "").contains("jsonfeed")
        guard mentionsJSONFeed || (isNumber && number.count == trimmed.count) else { return nil }
        let format: FeedFormat = ["1", "1.0"].contains(number) ? .json10 : .json11
        let named = format == .json10 ? "https://jsonfeed.org/version/1" : "https://jsonfeed.org/version/1.1"
        return (format, "\"version\" is \"\(version)\", not a JSON Feed version URL; read as \(named)")
    }

    private func entry(_ item: [String: Any], base: String?) -> EntryDraft {
        var draft = EntryDraft()
        draft.contentBase = base
        draft.id = Self.string(item["id"])
        draft.link = URLResolver.resolve(Self.string(item["url"]) ?? Self.string(item["external_url"]), against: base)
        draft.title = Self.string(item["title"])
        draft.published = Self.string(item["date_published"]).flatMap(dates.parse)
        draft.updated = Self.string(item["date_modified"]).flatMap(dates.parse)
        if draft.published == nil { draft.published = draft.updated }
        draft.author = Self.author(item)
        draft.summaryHTML = Self.string(item["summary"]).map(XMLEscape.text)
        draft.contentHTML =
            Self.string(item["content_html"]) ?? Self.string(item["content_text"]).map(PlainText.paragraphs)
        draft.categories = (item["tags"] as? [Any] ?? []).compactMap(Self.string)
        draft.enclosures = (item["attachments"] as? [Any] ?? []).compactMap { value -> Enclosure? in
            guard let attachment = value as? [String: Any],
                let url = URLResolver.resolve(Self.string(attachment["url"]), against: base)
            else { return nil }
            return Enclosure(
                url: url, type: Self.string(attachment["mime_type"]),
                length: Self.size(attachment["size_in_bytes"]))
        }
        return draft
    }

    static func author(_ object: [String: Any]) -> String? {
        let authors = (object["authors"] as? [Any] ?? []) + [object["author"] as Any]
        return authors.lazy.compactMap { ($0 as? [String: Any]).flatMap { string($0["name"]) } }.first
    }

    /// A size in bytes, when it is a whole number an `Int` can hold (`1e300` and `-5` are no sizes).
    static func size(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber, let size = Checked.int(number.doubleValue), size >= 0 else { return nil }
        return size
    }

    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    private static func reason(_ error: any Error) -> String {
        let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return description ?? "not valid JSON"
    }
}
