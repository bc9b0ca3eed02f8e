import Foundation
import Storage
import Time

/// Where a stored post appears in the output folder, for `tidings explain`.
public enum PostLocation {
    /// Its month page with the anchor of its day: "2026/03/index.html#d2026-03-12". The month is the UTC
    /// month of its date, as the pages are grouped; the day is the one the pages show it under.
    public static func monthPage(of entry: StoredEntry, pages: PageSettings) -> String {
        let month = CivilCalendar.civil(entry.date)
        let folder = PageRenderer.monthFolder(MonthCount(year: month.year, month: month.month, count: 0))
        return "\(folder)/index.html#" + PageRenderer.anchor(CivilCalendar.dayNumber(entry.date, in: pages.timeZone))
    }

    /// Its source's own feeds.
    public static func sourceFeed(of key: String) -> String { "sources/\(key).atom" }
}
