import Checked
import Foundation

/// A date and time on the proleptic Gregorian calendar, as a wall clock shows it.
public struct CivilDate: Sendable, Equatable {
    public var year, month, day, hour, minute, second: Int
    /// 0 for Thursday (1970-01-01 was one) … 6 for Wednesday.
    public var weekday: Int
}

/// Calendar arithmetic done by hand (Howard Hinnant's algorithms), for every stage: Foundation's
/// `Calendar` rolls impossible dates over (February 30th becomes March 2nd) and costs far more per call.
public enum CivilCalendar {
    /// Days since 1970-01-01 of a calendar day.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Whether the day exists (no February 30th, no month 13).
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
    }

    /// The calendar date and time of `date` in `zone` (UTC when nil).
    public static func civil(_ date: Date, in zone: TimeZone? = nil) -> CivilDate {
        let offset = zone.map { $0.secondsFromGMT(for: date) } ?? 0
        let total = Int(Checked.unixSeconds(date)) + offset
        let days = Int(floor(Double(total) / 86_400))
        let secondsOfDay = total - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CivilDate(
            year: year, month: month, day: day, hour: secondsOfDay / 3600, minute: secondsOfDay % 3600 / 60,
            second: secondsOfDay % 60, weekday: ((days % 7) + 7) % 7)
    }

    /// Days since 1970-01-01 of the calendar day `date` falls on in `zone`: what posts are grouped by.
    public static func dayNumber(_ date: Date, in zone: TimeZone) -> Int {
        let seconds = Int(Checked.unixSeconds(date)) + zone.secondsFromGMT(for: date)
        return Int((Double(seconds) / 86_400).rounded(.down))
    }

    /// A UTC month as Unix seconds: its first second and the first second of the next month.
    public static func monthBounds(year: Int, month: Int) -> (start: Int64, end: Int64) {
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        return (
            Int64(days(year: year, month: month, day: 1)) * 86_400,
            Int64(days(year: next.0, month: next.1, day: 1)) * 86_400
        )
    }
}
