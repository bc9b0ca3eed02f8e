import Checked
import Foundation
import Mustache
import Parsing
import Storage
import Time
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

    /// What a month page says before its posts: its days (with how many posts each) and how many sources
    /// its posts come from, from a light pass over the month's dates.
    struct MonthOverview {
        /// The days with posts (days since 1970 in the pages' zone), in the page's order.
        var days: [Int]
        var sourceCount: Int
        /// The sources with the most posts in the month, most first, and how many.
        var busiest: [(title: String, count: Int)]
    }

    /// How many sources the count line names.
    static let busiestShown = 5

    func overview(dates: [Int64], sourceCount: Int, busiest perSource: [String: Int]) -> MonthOverview {
        let days = Set(dates.map { CivilCalendar.dayNumber(Date(timeIntervalSince1970: TimeInterval($0)), in: zone) })
            .sorted { site.pages.dayOrder == .calendar ? $0 < $1 : $0 > $1 }
        let busiest = perSource.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(Self.busiestShown)
        return MonthOverview(
            days: days, sourceCount: sourceCount,
            busiest: busiest.map { ($0.key, $0.value) })
    }

    /// The digest page of one month; `previous` is the older month with entries, `next` the newer. The
    /// entries (in the page's day order, `month.count` of them) are read as the page is rendered, a day at
    /// a time.
    func monthPage(
        _ month: MonthCount, overview: MonthOverview, entries: some IteratorProtocol<StoredEntry>,
        previous: MonthCount?, next: MonthCount?
    ) -> String {
        let heading = Timestamp.monthHeading(year: month.year, month: month.month)
        var context = common(pageTitle: "\(heading) — \(site.title)", root: "../../")
        context["heading"] = heading
        let blogs = overview.sourceCount == 1 ? "1 source" : "\(Self.grouped(overview.sourceCount)) sources"
        context["countLine"] = "\(Self.countLine(month.count)) from \(blogs)"
        let more = overview.sourceCount - overview.busiest.count
        context["sourcesLine"] =
            overview.busiest.map { "\($0.title) \(Self.grouped($0.count))" }.joined(separator: " · ")
            + (more > 0 ? " · \(Self.grouped(more)) more" : "")
        context["dayLinks"] = overview.days.enumerated().map { index, day -> [String: Any] in
            let date = Date(timeIntervalSince1970: TimeInterval(day * 86_400))
            return [
                "anchor": Self.anchor(day), "label": String(CivilCalendar.civil(date).day),
                "last": index == overview.days.count - 1,
            ]
        }
        context["days"] = DaySections(entries, zone: zone) { day -> [String: Any] in
            [
                "anchor": Self.anchor(CivilCalendar.dayNumber(day[0].date, in: zone)),
                "dayHeading": Timestamp.dayHeading(day[0].date, in: zone),
                "datetime": Timestamp.day(day[0].date, in: zone),
                "posts": day.map { post($0, root: "../../") },
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

    static func anchor(_ dayNumber: Int) -> String {
        "d" + Timestamp.day(Date(timeIntervalSince1970: TimeInterval(dayNumber * 86_400)))
    }

    /// How many characters of description the index shows under each post.
    static let indexSummaryLength = 160

    /// How many months the index lists before pointing at the archive.
    static let indexMonths = 12

    func indexPage(latest: [StoredEntry], months: [MonthCount], sources: [SourceRecord]) -> String {
        var context = common(pageTitle: site.title, root: "")
        context["sourceCount"] = sources.count == 1 ? "1 source" : "\(Self.grouped(sources.count)) sources"
        context["posts"] = latest.map { entry in
            // One line of description each, as a blog's own index shows.
            var values = post(entry, root: "")
            if let excerpt = entry.excerpt {
                values["summary"] = PlainText.excerpt(excerpt, limit: Self.indexSummaryLength)
            }
            // The index dates each post; on a month page the day headings do.
            values["dayHeading"] = Timestamp.dayHeading(entry.date, in: zone)
            values["datetime"] = Timestamp.rfc3339(entry.date)
            return values
        }
        context["recentMonths"] = months.prefix(Self.indexMonths).map(monthLine)
        context["hasOlderMonths"] = months.count > Self.indexMonths
        context["blogroll"] = sources.sorted {
            $0.displayTitle.localizedStandardCompare($1.displayTitle) == .orderedAscending
        }
        .map { source -> [String: Any] in
            let siteHref = Checked.link(source.siteLink)
            return [
                "title": source.displayTitle, "hasSiteHref": siteHref != nil, "siteHref": siteHref ?? "",
                "feed": source.webFeedURL(site: site) ?? FeedPaths.source(source.key, .atom),
                "hasLastPost": source.lastPostAt != nil,
                "lastPost": source.lastPostAt.map { Timestamp.dayHeading($0, in: zone) } ?? "",
                "lastPostDatetime": source.lastPostAt.map { Timestamp.rfc3339($0) } ?? "",
            ]
        }
        return library.render(context, withTemplate: "index") ?? ""
    }

    func archivePage(months: [MonthCount]) -> String {
        var context = common(pageTitle: "Archive — \(site.title)", root: "")
        context["months"] = months.map(monthLine)
        context["monthCountLine"] = months.count == 1 ? "1 month" : "\(Self.grouped(months.count)) months"
        return library.render(context, withTemplate: "archive") ?? ""
    }

    func sourcesPage(sources: [SourceRecord], activity: [String: SourceActivity], months: [Int], now: Date)
        -> String
    {
        var context = common(pageTitle: "Sources — \(site.title)", root: "")
        let failing = sources.filter(\.isFailing).count
        context["sourceCount"] = sources.count == 1 ? "1 source" : "\(Self.grouped(sources.count)) sources"
        context["hasProblems"] = failing > 0
        context["problemCount"] = Self.grouped(failing)
        context["sources"] = sources.sorted {
            // The failing first, longest failing first; then by title.
            ($0.failingSince ?? .distantFuture, $0.displayTitle.lowercased())
                < ($1.failingSince ?? .distantFuture, $1.displayTitle.lowercased())
        }.map { source -> [String: Any] in
            let siteHref = Checked.link(source.siteLink)
            let own = activity[source.key] ?? SourceActivity()
            var notes: [String] = []
            if own.hidden > 0 { notes.append("\(Self.grouped(own.hidden)) hidden by filters") }
            if own.heldFromTheFront > 0 { notes.append("\(Self.grouped(own.heldFromTheFront)) held from the front page") }
            let counts = months.map { own.months[$0] ?? 0 }
            return [
                "title": source.displayTitle, "key": source.key, "hasSiteHref": siteHref != nil, "siteHref": siteHref ?? "",
                "feed": source.webFeedURL(site: site) ?? FeedPaths.source(source.key, .atom),
                "health": Self.health(source), "healthClass": source.isFailing ? "failing" : "ok",
                "hasLastPost": source.lastPostAt != nil,
                "lastPost": source.lastPostAt.map { Timestamp.dayHeading($0, in: zone) } ?? "",
                "lastPostDatetime": source.lastPostAt.map { Timestamp.rfc3339($0) } ?? "",
                "hasNotes": !notes.isEmpty, "notes": notes.joined(separator: " · "),
                "bars": Self.bars(counts, months: months),
                "chartLabel": "Posts per month, oldest first: " + counts.map(String.init).joined(separator: ", "),
            ]
        }
        return library.render(context, withTemplate: "sources") ?? ""
    }

    /// A source's health in words.
    static func health(_ source: SourceRecord) -> String {
        if let error = source.lastError {
            let since = source.failingSince.map { " since \(Timestamp.display($0))" } ?? ""
            let last = source.lastSuccessAt.map { "; last worked \(Timestamp.display($0))" } ?? "; it has never worked"
            return "Failing\(since): \(error)\(last)"
        }
        guard let success = source.lastSuccessAt else { return "Not fetched yet" }
        return "Working: last fetched \(Timestamp.display(success))"
    }

    /// Twelve bars, 8 units wide and 10 apart, scaled to the busiest month (a month with posts shows at least 2).
    static func bars(_ counts: [Int], months: [Int]) -> [[String: Any]] {
        let most = max(counts.max() ?? 0, 1)
        return zip(counts, months).enumerated().map { index, pair in
            let (count, month) = pair
            let height = count == 0 ? 0 : max(2, count * 24 / most)
            return [
                "x": index * 10, "y": 24 - height, "height": height,
                "label": "\(Timestamp.monthHeading(year: month / 100, month: month % 100)): \(Self.countLine(count))",
            ]
        }
    }

    private func monthLine(_ month: MonthCount) -> [String: Any] {
        [
            "href": Self.monthPath(month), "label": Timestamp.monthHeading(year: month.year, month: month.month),
            "countLine": Self.countLine(month.count),
        ]
    }

    private var zone: TimeZone { site.pages.timeZone }

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

    private func post(_ entry: StoredEntry, root: String) -> [String: Any] {
        let summary = entry.excerpt.map { PlainText.excerpt($0, limit: site.pages.summaryLength) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        // The article's length when it is known; a count of the summary's words would mislead.
        let length =
            entry.hasContent && entry.wordCount > 0 ? "... \(Self.grouped(entry.wordCount)) words" : "summary only"
        let image = Checked.link(entry.image)
        return [
            "title": entry.displayTitle, "link": entry.publicLink ?? "", "hasLink": entry.publicLink != nil,
            // Always a link, so a template needs no section for it (each tag costs, a million times over): a
            // post without one links to its day, a blog without a site to its feed here.
            "href": entry.publicLink ?? "#" + Self.anchor(CivilCalendar.dayNumber(entry.date, in: zone)),
            "source": entry.sourceTitle,
            "sourceHref": entry.publicSourceLink ?? root + FeedPaths.source(entry.sourceKey, .atom),
            "author": entry.author ?? "", "hasAuthor": entry.author != nil,
            // " · Ann", or nothing: the author with its separator, for templates that spend no section on it.
            "byline": entry.author.map { " · " + $0 } ?? "",
            "summary": site.pages.summaryLength > 0 ? summary ?? "" : "",
            "hasSummary": summary != nil && site.pages.summaryLength > 0,
            "lengthLabel": length,
            "image": image ?? "", "hasImage": image != nil,
        ]
    }

    private func common(pageTitle: String, root: String) -> [String: Any] {
        [
            "pageTitle": pageTitle, "site": site.title, "root": root, "language": site.pages.language,
            "generator": "\(Site.generatorName) \(Site.generatorVersion)", "search": site.pages.search,
        ]
    }
}

/// A month's entries (in the page's day order) as the template's day sections, made one day at a time as the
/// template walks them, so a page never holds more than one day's rows. Walked once: a template that
/// walks `days` twice sees it empty the second time.
final class DaySections: MustacheSequence {
    private var entries: any IteratorProtocol<StoredEntry>
    private var pending: StoredEntry?
    private let zone: TimeZone
    private let section: ([StoredEntry]) -> [String: Any]

    init(
        _ entries: some IteratorProtocol<StoredEntry>, zone: TimeZone,
        section: @escaping ([StoredEntry]) -> [String: Any]
    ) {
        self.entries = entries
        self.zone = zone
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
        let day = CivilCalendar.dayNumber(first.date, in: zone)
        var run = [first]
        pending = entries.next()
        while let entry = pending, CivilCalendar.dayNumber(entry.date, in: zone) == day {
            run.append(entry)
            pending = entries.next()
        }
        return run
    }
}
