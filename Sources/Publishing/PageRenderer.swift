import Foundation
import Mustache
import Storage
import XML

/// Mustache's own HTML escaping looks every character up in a dictionary, which was a third of the time
/// taken to render a month of 8,000 posts; this escapes the same characters working on UTF-8 bytes (and
/// drops the control characters no HTML page should carry). Every template gets it through a pragma.
struct FastHTML: MustacheContentType {
    func escapeText(_ text: String) -> String {
        XMLEscape.html(text)
    }

    static let pragma: String = {
        MustacheContentTypes.register(FastHTML(), named: "TIDINGS_HTML")
        return "{{% CONTENT_TYPE: TIDINGS_HTML}}\n"
    }()
}

/// Renders the HTML pages: the monthly digests and the index. Builds plain dictionaries for the
/// templates so every key a template reads is present (Mustache would otherwise look it up in an
/// enclosing context and show a neighbour's value).
struct PageRenderer {
    let site: Site
    private let library: MustacheLibrary

    init(site: Site) throws(PublishError) {
        self.site = site
        var library = MustacheLibrary()
        let templates = site.templates
        for (name, text) in templates.texts.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(FastHTML.pragma + text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                // The pragma is a line of its own before the template's first.
                throw .template(
                    file: templates.origin(of: name), line: max(1, error.context.lineNumber - 1),
                    reason: "\(error.error) near “\(error.context.line.trimmingCharacters(in: .whitespaces))”")
            } catch {
                throw .template(file: templates.origin(of: name), line: nil, reason: "\(error)")
            }
        }
        for name in Templates.pages where library.getTemplate(named: name) == nil {
            throw .template(file: templates.origin(of: name), line: nil, reason: "it is missing")
        }
        self.library = library
    }

    /// The digest page of one month; `previous` is the older month with entries, `next` the newer. The
    /// entries (newest first, `month.count` of them) are read as the page is rendered, a day at a time.
    func monthPage(
        _ month: MonthCount, entries: some IteratorProtocol<StoredEntry>, previous: MonthCount?, next: MonthCount?
    ) -> String {
        let heading = Timestamp.monthHeading(year: month.year, month: month.month)
        var context = common(pageTitle: "\(heading) — \(site.title)", root: "../../")
        context["heading"] = heading
        context["countLine"] = Self.countLine(month.count)
        context["days"] = DaySections(entries) { day -> [String: Any] in
            [
                "dayHeading": Timestamp.dayHeading(day[0].date), "datetime": Timestamp.day(day[0].date),
                "posts": day.map(post),
            ]
        }
        context["hasPrevious"] = previous != nil
        context["previousHref"] = previous.map { "../../" + Self.monthPath($0) } ?? ""
        context["previousLabel"] = previous.map { Timestamp.monthHeading(year: $0.year, month: $0.month) } ?? ""
        context["hasNext"] = next != nil
        context["nextHref"] = next.map { "../../" + Self.monthPath($0) } ?? ""
        context["nextLabel"] = next.map { Timestamp.monthHeading(year: $0.year, month: $0.month) } ?? ""
        return library.render(context, withTemplate: "month") ?? ""
    }

    func indexPage(latest: [StoredEntry], months: [MonthCount], sourceCount: Int) -> String {
        var context = common(pageTitle: site.title, root: "")
        context["sourceCount"] = sourceCount == 1 ? "1 source" : "\(sourceCount) sources"
        context["posts"] = latest.map { entry -> [String: Any] in
            var values = post(entry)
            let civil = Timestamp.civil(entry.date)
            values["monthHref"] = Self.monthPath(MonthCount(year: civil.year, month: civil.month, count: 0))
            values["monthLabel"] = Timestamp.monthHeading(year: civil.year, month: civil.month)
            return values
        }
        context["months"] = months.map { month -> [String: Any] in
            [
                "href": Self.monthPath(month), "label": Timestamp.monthHeading(year: month.year, month: month.month),
                "countLine": Self.countLine(month.count),
            ]
        }
        return library.render(context, withTemplate: "index") ?? ""
    }

    /// Where a month's page lives, relative to the output folder.
    static func monthPath(_ month: MonthCount) -> String {
        monthFolder(month) + "/index.html"
    }

    /// `2026/03`: the folder of a month's page.
    static func monthFolder(_ month: MonthCount) -> String {
        String(format: "%04d/%02d", month.year, month.month)
    }

    static func countLine(_ count: Int) -> String {
        count == 1 ? "1 post" : "\(grouped(count)) posts"
    }

    /// "2,829": thousands separated by commas, as the seed pages show word counts.
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }

    private func post(_ entry: StoredEntry) -> [String: Any] {
        [
            "title": entry.title ?? "(untitled)", "link": entry.publicLink ?? "", "hasLink": entry.publicLink != nil,
            "source": entry.sourceTitle, "author": entry.author ?? "", "hasAuthor": entry.author != nil,
            "summary": entry.excerpt ?? "",
            "hasSummary": entry.excerpt != nil, "words": Self.grouped(entry.wordCount), "hasWords": entry.wordCount > 0,
            "dayHeading": Timestamp.dayHeading(entry.date), "datetime": Timestamp.rfc3339(entry.date),
        ]
    }

    private func common(pageTitle: String, root: String) -> [String: Any] {
        [
            "pageTitle": pageTitle, "site": site.title, "root": root,
            "generator": "\(Site.generatorName) \(Site.generatorVersion)",
        ]
    }
}

/// A month's entries (newest first) as the template's day sections, made one day at a time as the
/// template walks them, so a page never holds more than one day's rows. Walked once: a template that
/// walks `days` twice sees it empty the second time.
final class DaySections: MustacheSequence {
    private var entries: any IteratorProtocol<StoredEntry>
    private var pending: StoredEntry?
    private let section: ([StoredEntry]) -> [String: Any]

    init(_ entries: some IteratorProtocol<StoredEntry>, section: @escaping ([StoredEntry]) -> [String: Any]) {
        self.entries = entries
        self.section = section
        pending = self.entries.next()
    }

    struct Iterator: IteratorProtocol {
        let sections: DaySections
        func next() -> [String: Any]? { sections.nextDay().map(sections.section) }
    }

    func makeIterator() -> Iterator { Iterator(sections: self) }

    /// The entries of the next UTC day, reading one entry beyond it.
    private func nextDay() -> [StoredEntry]? {
        guard let first = pending else { return nil }
        let day = Self.dayNumber(first.date)
        var run = [first]
        pending = entries.next()
        while let entry = pending, Self.dayNumber(entry.date) == day {
            run.append(entry)
            pending = entries.next()
        }
        return run
    }

    private static func dayNumber(_ date: Date) -> Double {
        (date.timeIntervalSince1970 / 86_400).rounded(.down)
    }
}
