import Checked
import Foundation

/// Turns the date strings feeds and pages carry into UTC instants.
///
/// Two grammars cover nearly everything published: ISO 8601 / RFC 3339 / W3CDTF (`2026-03-12T10:00:00Z`,
/// partial `2026-03`, basic `20260312T100000Z`) and the RFC 822 family with its real-world variants
/// (`Thu, 12 Mar 2026 10:00 GMT`, no weekday, two-digit years, lowercase or full month names, military
/// zones), which also reads human dates on pages (`March 12, 2026`, `12 March 2026`).
/// What cannot be read is nil: never a guessed date, never a crash. Every date returned lies within years
/// 1 to 9999 (`Checked.earliest`…`Checked.latest`), so later arithmetic on it cannot overflow.
public struct DateParser: Sendable {
    /// The zone of timestamps that carry no offset; UTC when nil.
    public var naiveTimeZone: TimeZone?

    public init(naiveTimeZone: TimeZone? = nil) {
        self.naiveTimeZone = naiveTimeZone
    }

    public func parse(_ text: String) -> Date? {
        readMachine(text).flatMap(Checked.date)
    }

    private func readMachine(_ text: String) -> Date? {
        let trimmed = Self.trimmed(text)
        guard !trimmed.isEmpty, trimmed.utf8.count < 100 else { return nil }
        if let first = trimmed.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"),
            let date = parseISO8601(trimmed)
        {
            return date
        }
        return parseTextual(trimmed)
    }

    // MARK: ISO 8601

    private func parseISO8601(_ text: String) -> Date? {
        var scanner = DateScanner(text)
        guard let year = scanner.digits(exactly: 4) else { return nil }
        let extended = scanner.skip("-")
        var month = 1
        var day = 1
        if scanner.isAtEnd { return components(year, 1, 1, 0, 0, 0, 0, offset: 0) }
        guard let parsedMonth = scanner.digits(exactly: 2) else { return nil }
        month = parsedMonth
        if scanner.isAtEnd { return components(year, month, 1, 0, 0, 0, 0, offset: 0) }
        if extended { guard scanner.skip("-") else { return nil } }
        guard let parsedDay = scanner.digits(exactly: 2) else { return nil }
        day = parsedDay
        if scanner.isAtEnd { return components(year, month, day, 0, 0, 0, 0, offset: nil) }
        guard scanner.skip("T") || scanner.skip("t") || scanner.skip(" ") else { return nil }
        guard let hour = scanner.digits(exactly: 2) else { return nil }
        let extendedTime = scanner.skip(":")
        guard let minute = scanner.digits(exactly: 2) else { return nil }
        var second = 0
        var nanoseconds = 0
        if extendedTime ? scanner.skip(":") : scanner.peekDigit {
            guard let parsedSecond = scanner.digits(exactly: 2) else { return nil }
            second = parsedSecond
            if scanner.skip(".") || scanner.skip(",") {
                guard let fraction = scanner.fraction() else { return nil }
                nanoseconds = fraction
            }
        }
        scanner.skipSpaces()
        let offset: Int?
        if scanner.isAtEnd {
            offset = nil
        } else if scanner.skip("Z") || scanner.skip("z") {
            offset = 0
        } else if let sign = scanner.sign() {
            guard let hours = scanner.digits(exactly: 2) else { return nil }
            _ = scanner.skip(":")
            guard let seconds = ZoneOffset.seconds(sign: sign, hours: hours, minutes: scanner.digits(exactly: 2) ?? 0)
            else { return nil }
            offset = seconds
        } else {
            return nil
        }
        scanner.skipSpaces()
        guard scanner.isAtEnd else { return nil }
        return components(year, month, day, hour, minute, second, nanoseconds, offset: offset)
    }

    // MARK: RFC 822 and human dates

    /// Dates as pages show them to people: everything `parse` reads, plus relative dates ("3 days ago",
    /// "yesterday") and dates without a year ("Mar 12"), which are taken as the latest such day not after
    /// `now`. With `format` (a Unicode date pattern such as `d MMMM yyyy`) only that format is read.
    public func parseHuman(_ text: String, format: String? = nil, now: Date) -> Date? {
        readHuman(text, format: format, now: now).flatMap(Checked.date)
    }

    private func readHuman(_ text: String, format: String?, now: Date) -> Date? {
        let trimmed = Self.trimmed(text)
        if let format { return parse(trimmed, format: format) }
        if let date = parse(trimmed) { return date }
        if let date = Self.relative(trimmed.lowercased(), now: now) { return date }
        guard trimmed.utf8.count < 100 else { return nil }
        let year = CivilCalendar.civil(now, in: naiveTimeZone).year
        guard let date = parseTextual(trimmed, assumedYear: year) else { return nil }
        // "Dec 30" read in January is last December's.
        return date.timeIntervalSince(now) > 86_400 ? parseTextual(trimmed, assumedYear: year - 1) : date
    }

    private func parse(_ text: String, format: String) -> Date? {
        guard text.utf8.count < 100, let pattern = DatePattern(format), let reading = pattern.read(text) else {
            return nil
        }
        return components(
            reading.year, reading.month, reading.day, reading.hour, reading.minute, reading.second, 0,
            offset: reading.offset)
    }

    /// "3 days ago", "an hour ago", "yesterday", "today", "just now".
    private static func relative(_ text: String, now: Date) -> Date? {
        switch text {
        case "just now", "now", "today": return now
        case "yesterday": return now.addingTimeInterval(-86_400)
        default: break
        }
        let words = text.split(separator: " ")
        guard words.count == 3, words[2] == "ago" else { return nil }
        let count = ["a": 1, "an": 1, "one": 1][String(words[0])] ?? Int(words[0])
        var unit = words[1]
        if unit.hasSuffix("s") { unit = unit.dropLast() }
        let seconds: [Substring: Double] = [
            "second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600, "day": 86_400,
            "week": 604_800, "month": 2_629_746, "year": 31_556_952,
        ]
        // "99999999999 years ago" is no date: beyond the calendar's range, it is nil like any nonsense.
        guard let count, count >= 0, count <= 100_000, let length = seconds[unit] else { return nil }
        return Checked.date(now.addingTimeInterval(-Double(count) * length))
    }

    private func parseTextual(_ text: String, assumedYear: Int? = nil) -> Date? {
        let tokens = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" })
        var year: Int?
        var month: Int?
        var day: Int?
        var time: (Int, Int, Int)?
        var offset: Int?
        for raw in tokens {
            var token = Substring(raw)
            if token.hasSuffix(".") { token = token.dropLast() }
            if token.isEmpty || Self.isWeekday(token) || Self.noise.contains(String(token)) { continue }
            if year == nil, month == nil, day == nil, let (d, m, y) = Self.dayMonthYear(token) {
                (day, month, year) = (d, m, y)
                continue
            }
            if month == nil, let value = Self.monthNumber(token) {
                month = value
            } else if time == nil, token.contains(":") {
                guard let parsed = Self.clock(token) else { return nil }
                time = parsed
            } else if token.allSatisfy(\.isNumber), let number = Int(token) {
                if token.count == 4, year == nil {
                    year = number
                } else if token.count <= 2, day == nil, (1...31).contains(number) {
                    day = number
                } else if token.count == 2, year == nil {
                    year = Self.fullYear(twoDigits: number)
                } else {
                    return nil
                }
            } else if day == nil, let value = Self.ordinalDay(token) {
                day = value
            } else if offset == nil, year != nil || time != nil, let zone = ZoneOffset.named(token) {
                offset = zone
            } else {
                return nil
            }
        }
        guard let year = year ?? assumedYear, let month, let day else { return nil }
        let (hour, minute, second) = time ?? (0, 0, 0)
        return components(year, month, day, hour, minute, second, 0, offset: offset)
    }

    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    /// Words that appear around dates on pages and carry nothing ("Posted on March 12, 2026 at 10:00").
    private static let noise: Set<String> = ["on", "at", "posted", "published", "updated", "the", "of"]

    private static func isWeekday(_ token: Substring) -> Bool {
        token.count >= 3 && token.allSatisfy(\.isLetter) && weekdays.contains(String(token.prefix(3)))
            && monthNumber(token) == nil
    }

    /// RFC 2822's rule for two-digit years: 00–49 are 2000–2049, 50–99 are 1950–1999.
    static func fullYear(twoDigits year: Int) -> Int {
        year < 50 ? 2000 + year : 1900 + year
    }

    /// The month a lowercase name or abbreviation names ("mar", "march", "sept").
    static func monthNumber(_ token: Substring) -> Int? {
        guard token.count >= 3, token.first?.isLetter == true else { return nil }
        let prefix = String(token.prefix(3))
        guard let index = months.firstIndex(of: prefix) else { return nil }
        // "Mar" and "March" but not "marathon"; "Sept" is a common abbreviation.
        let full = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december",
        ][index]
        guard full.hasPrefix(token) || token == "sept" else { return nil }
        return index + 1
    }

    /// RFC 850's date, as old HTTP servers send it: `06-nov-94`.
    private static func dayMonthYear(_ token: Substring) -> (Int, Int, Int)? {
        let parts = token.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count <= 2, let day = Int(parts[0]), let month = monthNumber(parts[1]),
            parts[2].count == 2 || parts[2].count == 4, let year = Int(parts[2])
        else { return nil }
        return (day, month, parts[2].count == 2 ? fullYear(twoDigits: year) : year)
    }

    private static func ordinalDay(_ token: Substring) -> Int? {
        for suffix in ["st", "nd", "rd", "th"] where token.hasSuffix(suffix) {
            if let value = Int(token.dropLast(2)), (1...31).contains(value) { return value }
        }
        return nil
    }

    private static func clock(_ token: Substring) -> (Int, Int, Int)? {
        var text = token
        var pm: Bool?
        if text.hasSuffix("pm") || text.hasSuffix("am") {
            pm = text.hasSuffix("pm")
            text = text.dropLast(2)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        guard let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        var second = 0
        if parts.count == 3 {
            guard let parsed = Int(parts[2].prefix(while: \.isNumber)) else { return nil }
            second = parsed
        }
        var adjusted = hour
        if let pm {
            guard (1...12).contains(hour) else { return nil }
            adjusted = hour % 12 + (pm ? 12 : 0)
        }
        return (adjusted, minute, second)
    }

    // MARK: Calendar arithmetic

    /// Builds the instant from civil components at `offset` seconds east of UTC, or in the naive time zone
    /// when nil (using that zone's offset on that date, so summer time is right). Impossible dates
    /// (February 30th) are refused rather than rolled over as `Calendar` would.
    private func components(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ nanoseconds: Int,
        offset: Int?
    ) -> Date? {
        guard (1...9999).contains(year), CivilCalendar.isValid(year: year, month: month, day: day),
            (0...24).contains(hour), (0...59).contains(minute),
            (0...60).contains(second), hour < 24 || minute == 0 && second == 0
        else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let local =
            TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + min(second, 59))
            + TimeInterval(nanoseconds) / 1e9
        if let offset { return Date(timeIntervalSince1970: local - TimeInterval(offset)) }
        guard let zone = naiveTimeZone else { return Date(timeIntervalSince1970: local) }
        let guess = Date(
            timeIntervalSince1970: local - TimeInterval(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local))))
        return Date(timeIntervalSince1970: local - TimeInterval(zone.secondsFromGMT(for: guess)))
    }

    /// The text without leading and trailing ASCII whitespace and no-break spaces.
    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == "\u{A0}" || ($0.isASCII && $0.isWhitespace) }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return first == text.startIndex && last == text.index(before: text.endIndex) ? text : String(text[first...last])
    }
}
