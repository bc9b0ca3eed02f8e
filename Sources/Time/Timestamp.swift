import Checked
import Foundation

/// The date formats the outputs and messages use, in UTC unless a zone is given, formatted by hand: `DateFormatter` is slow and
/// locale-sensitive, and these formats are fixed by their specs.
public enum Timestamp {
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    private static let weekdayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday

    /// RFC 3339, as Atom and JSON Feed want: `2026-03-12T10:00:00Z`.
    public static func rfc3339(_ date: Date) -> String {
        let c = CivilCalendar.civil(date)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    /// RFC 822 as RSS 2.0 wants: `Thu, 12 Mar 2026 10:00:00 +0000`.
    public static func rfc822(_ date: Date) -> String {
        let c = CivilCalendar.civil(date)
        let month = String(monthNames[c.month - 1].prefix(3))
        return "\(weekdayNames[c.weekday]), \(pad(c.day)) \(month) \(pad(c.year, 4)) "
            + "\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) +0000"
    }

    /// "March 12, 2026", the digest's day headings.
    public static func dayHeading(_ date: Date, in zone: TimeZone? = nil) -> String {
        let c = CivilCalendar.civil(date, in: zone)
        return "\(monthNames[c.month - 1]) \(c.day), \(c.year)"
    }

    /// "March 2026".
    public static func monthHeading(year: Int, month: Int) -> String {
        "\(monthNames[month - 1]) \(year)"
    }

    /// "2026-03-12 10:00:00 UTC", for messages and the status table.
    public static func display(_ date: Date) -> String {
        let c = CivilCalendar.civil(date)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day)) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) UTC"
    }

    /// "2026-03-12", for `<time datetime>` and grouping by day.
    public static func day(_ date: Date, in zone: TimeZone? = nil) -> String {
        let c = CivilCalendar.civil(date, in: zone)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))"
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
