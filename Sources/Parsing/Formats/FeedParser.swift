import Foundation
import Time
import XML

/// The parsing stage: bytes in, `ParsedFeed` out. Pure: no network, no file system, no clock
/// beyond what the caller passes.
public struct FeedParser: Sendable {
    let options: ParserOptions
    let dates: DateParser
    let sanitizer = HTMLSanitizer()

    public init(options: ParserOptions = ParserOptions()) {
        self.options = options
        self.dates = DateParser(naiveTimeZone: options.naiveTimeZone)
    }

    /// Parses one fetched document. With `rules` the document is read as an HTML page through them;
    /// otherwise the feed format is detected from the document itself.
    /// `now` is the fetch time, against which future dates are judged.
    public func parse(
        _ bytes: [UInt8], url: String?, contentType: String? = nil, rules: ExtractionRules? = nil, now: Date = Date()
    ) throws(ParseError) -> ParsedFeed {
        var feed = try read(bytes, url: url, contentType: contentType, rules: rules, now: now)
        feed.metadata.title = feed.metadata.title.map(WindowsC1.repaired)
        LinkPolicy.apply(to: &feed, documentURL: url)
        feed.entries = EntryPolicies(options: options, now: now).apply(to: feed.entries)
        return feed
    }

    private func read(
        _ bytes: [UInt8], url: String?, contentType: String?, rules: ExtractionRules?, now: Date
    ) throws(ParseError) -> ParsedFeed {
        guard Self.withoutBOM(bytes).contains(where: { !TextScan.isASCIIWhitespace($0) }) else { throw .empty }
        if let rules {
            let page: HTMLPage
            do {
                page = try HTMLPage(bytes, url: url, contentType: contentType, encoding: options.encoding)
            } catch {
                throw .notXML(reason: error.description)
            }
            var feed = try HTMLExtractor(dates: dates, sanitizer: sanitizer, now: now).extract(page, rules: rules)
            feed.warnings = page.warnings + feed.warnings
            feed.encoding = page.encodingDecision
            return feed
        }
        if Self.looksLikeJSON(bytes) {
            let charset = Charset.json(Array(Self.withoutBOM(bytes)))
            var feed = try JSONFeedParser(dates: dates, sanitizer: sanitizer)
                .parse(charset.bytes[...], documentURL: url)
            feed.warnings = charset.warnings + feed.warnings
            feed.encoding = charset.decision
            return feed
        }
        if Self.looksLikeHTML(bytes) { throw Self.htmlPageError(bytes, url: url, contentType: contentType) }
        let charset = Charset.decide(bytes, contentType: contentType, override: options.encoding, isHTML: false)
        var feed = try readXML(charset.bytes, encoding: charset.encoding, url: url)
        if !feed.warnings.isEmpty, let repaired = XMLRepair.repair(charset.bytes),
            let second = try? readXML(repaired, encoding: charset.encoding, url: url),
            second.entries.count > feed.entries.count
                || (second.entries.count == feed.entries.count && second.warnings.count <= feed.warnings.count)
        {
            // The repaired reading wins unless it lost entries or found more wrong: a repair (a `&#X41;`, a
            // bare `&`) holds even when the document is ill-formed for another reason too.
            let note = "repaired before reading: undeclared entities, bare ampersands or unescaped HTML"
            feed = ParsedFeed(metadata: second.metadata, entries: second.entries, warnings: feed.warnings + [note])
            feed.isRecovered = true
        }
        feed.warnings = charset.warnings + feed.warnings
        feed.encoding = charset.decision
        return feed
    }

    private func readXML(_ bytes: [UInt8], encoding: String?, url: String?) throws(ParseError) -> ParsedFeed {
        let document: Document
        do {
            document = try Document.xml(
                bytes, url: url, encoding: encoding, entityExpansionLimit: options.entityExpansionLimit)
        } catch .refused(let reason) {
            throw .refused(reason: reason)
        } catch {
            throw .notXML(reason: error.description)
        }
        guard let root = document.root else { throw .empty }
        var feed = try parseFeed(root: root, bytes: bytes, url: url)
        feed.warnings = document.warnings + feed.warnings
        feed.isRecovered = !document.warnings.isEmpty
        return feed
    }

    private func parseFeed(root: Node, bytes: [UInt8], url: String?) throws(ParseError) -> ParsedFeed {
        let format = try Self.format(of: root, bytes: bytes, url: url)
        switch format {
        case .atom03, .atom10:
            let (metadata, entries) = AtomParser(dates: dates, sanitizer: sanitizer)
                .parse(root: root, format: format, documentURL: url)
            return ParsedFeed(metadata: metadata, entries: entries)
        default:
            let (metadata, entries) = RSSParser(dates: dates, sanitizer: sanitizer)
                .parse(root: root, format: format, documentURL: url)
            return ParsedFeed(metadata: metadata, entries: entries)
        }
    }

    static func format(of root: Node, bytes: [UInt8], url: String?) throws(ParseError) -> FeedFormat {
        switch (root.name.lowercased(), root.namespaceURI) {
        case ("rss", _):
            switch root.attribute("version")?.trimmingCharacters(in: .whitespaces) {
            case "0.91": return .rss091
            case "0.92": return .rss092
            case "0.93": return .rss093
            case "0.94": return .rss094
            default: return .rss20
            }
        case ("rdf", Namespace.rdf):
            let isNetscape = root.elementChildren.contains {
                $0.namespaceURI == Namespace.rss090 || $0.namespaceURI == Namespace.rss090WithoutSlash
            }
            return isNetscape ? .rss090 : .rss10
        case ("feed", Namespace.atom03):
            return .atom03
        case ("feed", _) where root.attribute("version")?.trimmingCharacters(in: .whitespaces) == "0.3":
            // A namespace Tidings does not know, but the version says which Atom it is.
            return .atom03
        case ("feed", _):
            return .atom10
        case ("html", _):
            throw htmlPageError(bytes, url: url, contentType: nil)
        default:
            throw .unknownFormat(rootElement: root.name)
        }
    }

    /// The HTML-where-a-feed-was-expected error, naming the page's title and any feeds it advertises.
    static func htmlPageError(_ bytes: [UInt8], url: String?, contentType: String?) -> ParseError {
        guard let page = try? HTMLPage(bytes, url: url, contentType: contentType) else {
            return .htmlInsteadOfFeed(title: nil, advertisedFeeds: [])
        }
        return .htmlInsteadOfFeed(title: page.title, advertisedFeeds: FeedDiscovery.advertised(on: page).map(\.url))
    }

    /// A quick look at the first bytes: `<!DOCTYPE html` or `<html` means a page, whatever the server said.
    static func looksLikeHTML(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(512), as: UTF8.self).lowercased()
        guard let start = head.firstIndex(of: "<") else { return false }
        let rest = head[start...]
        return rest.hasPrefix("<!doctype html") || rest.hasPrefix("<html")
    }

    /// JSON Feed is the only format that starts with `{`.
    static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        withoutBOM(bytes).first { !TextScan.isASCIIWhitespace($0) } == UInt8(ascii: "{")
    }

    static func withoutBOM(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
    }
}
