import Checked
import Foundation
import Storage
import Time
import XML

/// The feeds a site publishes, as channels for the writers: the combined feed, one feed per source, and
/// the feed of the monthly digests.
struct FeedSet {
    let site: Site

    func combined(_ latest: [StoredEntry], sources: [String: SourceRecord]) -> FeedChannel {
        FeedChannel(
            title: site.title, description: "The latest posts of \(site.title), gathered by \(Site.generatorName)",
            path: "feed", homePage: site.baseURL,
            items: latest.map { FeedItem($0, source: sources[$0.sourceKey], site: site) })
    }

    func source(_ record: SourceRecord, entries: [StoredEntry]) -> FeedChannel {
        FeedChannel(
            title: record.displayTitle,
            description: "The latest posts of \(record.displayTitle), as \(site.title) gathered them",
            path: "sources/\(record.key)", homePage: Checked.link(record.siteLink) ?? site.baseURL,
            items: entries.map { FeedItem($0, source: record, site: site) })
    }

    /// How many posts a digest entry lists; the month's page has them all.
    static let digestListLength = 100
    /// How many months the digest feed carries.
    static let digestMonths = 12

    /// One entry per month, newest first: the month's posts as a list, linking to the month's page. The
    /// current month's entry says "so far" and is updated in place as posts arrive; its id is the page's
    /// address, so it becomes the finished month's entry without a second one.
    func digest(_ months: [MonthCount], now: Date, newest: (MonthCount) throws -> [StoredEntry]) rethrows
        -> FeedChannel
    {
        let current = CivilCalendar.civil(now)
        var items: [FeedItem] = []
        for month in months.prefix(Self.digestMonths) {
            let entries = try newest(month)
            guard let first = entries.first else { continue }
            let isCurrent = month.year == current.year && month.month == current.month
            let heading = Timestamp.monthHeading(year: month.year, month: month.month)
            let page = site.baseURL + PageRenderer.monthPath(month)
            var item = FeedItem(
                id: page, title: "\(heading)\(isCurrent ? " so far" : ""): \(PageRenderer.countLine(month.count))",
                link: page,
                published: isCurrent
                    ? first.date
                    : Date(
                        timeIntervalSince1970: TimeInterval(CivilCalendar.monthBounds(year: month.year, month: month.month).end)
                    ),
                updated: entries.map(\.lastChanged).max() ?? first.date, credit: site.title)
            item.contentHTML = Self.list(entries, month: month, page: page)
            items.append(item)
        }
        return FeedChannel(
            title: "\(site.title): monthly digest",
            description: "One message a month: every post of the month on \(site.title)",
            path: "digest", homePage: site.baseURL, items: items)
    }

    private static func list(_ entries: [StoredEntry], month: MonthCount, page: String) -> String {
        var html = "<ul>"
        for entry in entries {
            let title = XMLEscape.text(entry.displayTitle)
            let line = entry.publicLink.map { "<a href=\"\(XMLEscape.attribute($0))\">\(title)</a>" } ?? title
            html += "<li>\(line) — \(XMLEscape.text(entry.sourceTitle))</li>"
        }
        html += "</ul>"
        if month.count > entries.count {
            html +=
                "<p><a href=\"\(XMLEscape.attribute(page))\">and \(PageRenderer.grouped(month.count - entries.count)) more</a></p>"
        }
        return html
    }
}
