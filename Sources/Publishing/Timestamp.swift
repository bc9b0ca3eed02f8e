import Checked
import Foundation

/// The date formats the outputs use, all in UTC, formatted by hand: `DateFormatter` is slow and
/// locale-sensitive, and these formats are fixed by their specs.
public enum Timestamp {
    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    private static let weekdayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday

    struct Civil {
        var year, month, day, hour, minute, second, weekday: Int
    }

    /// The calendar date and time of `date` in `zone` (UTC when nil).
    static func civil(_ date: Date, in zone: TimeZone? = nil) -> Civil {
        let offset = zone.map { $0.secondsFromGMT(for: date) } ?? 0
        let total = Int(Checked.unixSeconds(date)) + offset
        let days = Int(floor(Double(total) / 86_400))
        let secondsOfDay = total - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ((days % 7) + 7) % 7
        return Civil(
            year: year, month: month, day: day, hour: secondsOfDay / 3600, minute: secondsOfDay % 3600 / 60,
            second: secondsOfDay % 60, weekday: weekday)
    }

    /// RFC 3339, as Atom and JSON Feed want: `2026-03-12T10:00:00Z`.
    static func rfc3339(_ date: Date) -> String {
        let c = civil(date)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    /// RFC 822 as RSS 2.0 wants: `Thu, 12 Mar 2026 10:00:00 +0000`.
    static func rfc822(_ date: Date) -> String {
        let c = civil(date)
        let month = String(monthNames[c.month - 1].prefix(3))
        return "\(weekdayNames[c.weekday]), \(pad(c.day)) \(month) \(pad(c.year, 4)) "
            + "\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) +0000"
    }

    /// "March 12, 2026", the digest's day headings.
    static func dayHeading(_ date: Date, in zone: TimeZone? = nil) -> String {
        let c = civil(date, in: zone)
        return "\(monthNames[c.month - 1]) \(c.day), \(c.year)"
    }

    /// "March 2026".
    static func monthHeading(year: Int, month: Int) -> String {
        "\(monthNames[month - 1]) \(year)"
    }

    /// "2026-03-12 10:00:00 UTC", for messages and the status table.
    public static func display(_ date: Date) -> String {
        let c = civil(date)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day)) \(pad(c.hour)):\(pad(c.minute)):\(pad(c.second)) UTC"
    }

    /// Days since 1970-01-01 of the calendar day `date` falls on in `zone`: what posts are grouped by.
    static func dayNumber(_ date: Date, in zone: TimeZone) -> Int {
        let seconds = Int(Checked.unixSeconds(date)) + zone.secondsFromGMT(for: date)
        return Int((Double(seconds) / 86_400).rounded(.down))
    }

    /// "2026-03-12", for `<time datetime>` and grouping by day.
    static func day(_ date: Date, in zone: TimeZone? = nil) -> String {
        let c = civil(date, in: zone)
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))"
    }

    private static func pad(_ value: Int, _ width: Int = 2) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
