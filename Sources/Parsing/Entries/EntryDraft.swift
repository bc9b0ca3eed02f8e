import Foundation

/// An entry's fields as a format parser found them, before the decisions every format shares:
/// the id fallback, sanitising, plain-text titles and the word count.
struct EntryDraft {
    var id: String?
    var title: String?
    var link: String?
    var published: Date?
    var updated: Date?
    var author: String?
    /// HTML, not yet sanitised.
    var summaryHTML: String?
    var contentHTML: String?
    /// Already-sanitised HTML (the HTML extractor sanitises straight from the page's tree).
    var sanitizedSummary: SanitizedHTML?
    var sanitizedContent: SanitizedHTML?
    var categories: [String] = []
    var enclosures: [Enclosure] = []
    /// What relative URLs inside the summary and content resolve against.
    var contentBase: String?
    /// Where each field came from, for pages read through rules.
    var origins: [String: String] = [:]

    func finish(sanitizer: HTMLSanitizer, sourceURL: String?) -> ParsedEntry {
        let sanitizedSummary = sanitizedSummary ?? summaryHTML.map { sanitizer.sanitizeWithText($0, base: contentBase) }
        let sanitizedContent = sanitizedContent ?? contentHTML.map { sanitizer.sanitizeWithText($0, base: contentBase) }
        let title = title.map(WindowsC1.repaired)
        let author = author.map(WindowsC1.repaired)
        let summary = sanitizedSummary?.html
        let content = sanitizedContent?.html
        let contentText = sanitizedContent?.text ?? ""
        let summaryText = sanitizedSummary?.text ?? ""
        let countedText = contentText.isEmpty ? summaryText : contentText
        let describedText = summaryText.isEmpty ? contentText : summaryText
        let cleanTitle = title.map(PlainText.collapsed)?.nilIfEmpty
        let entryID =
            [id, link].compactMap { $0.map(TextScan.trimmed) }
            .first { !$0.isEmpty }
            ?? StableID.make(from: [
                cleanTitle ?? "", published.map { String($0.timeIntervalSince1970) } ?? "", sourceURL ?? "",
            ])
        var entry = ParsedEntry(
            id: entryID, title: cleanTitle, link: link, published: published, updated: updated,
            author: author.map(PlainText.collapsed)?.nilIfEmpty,
            summary: summary?.nilIfEmpty, content: content?.nilIfEmpty,
            categories: categories.map { PlainText.collapsed(WindowsC1.repaired($0)) }.filter { !$0.isEmpty },
            enclosures: enclosures,
            wordCount: WordCounter.count(countedText),
            excerpt: describedText.isEmpty ? nil : PlainText.excerpt(describedText, limit: ParsedEntry.excerptLength))
        entry.origins = origins
        entry.removed = (sanitizedSummary?.removed ?? [:]).merging(sanitizedContent?.removed ?? [:], uniquingKeysWith: +)
        return entry
    }
}

/// Ids for entries that carry neither id nor link.
enum StableID {
    static func make(from parts: [String]) -> String { "tidings:" + Fingerprint.of(parts) }
}
