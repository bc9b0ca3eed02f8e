import Foundation
import Time
import Testing

@Suite struct DateParserTests {
    static let utc: [(String, String)] = [
        // RFC 822 and its real-world variants
        ("Thu, 12 Mar 2026 10:00:00 GMT", "2026-03-12T10:00:00Z"),
        ("Thu, 12 Mar 2026 10:00:00 +0200", "2026-03-12T08:00:00Z"),
        ("12 Mar 2026 10:00:00 -0500", "2026-03-12T15:00:00Z"),
        ("Thu, 12 Mar 26 10:00 EST", "2026-03-12T15:00:00Z"),
        ("thu, 12 mar 2026 10:00:00 pdt", "2026-03-12T17:00:00Z"),
        ("Thu,12 Mar 2026 10:00:00 Z", "2026-03-12T10:00:00Z"),
        ("  Thu, 12  Mar  2026 10:00:00 UT ", "2026-03-12T10:00:00Z"),
        ("Thu, 12 March 2026 10:00:00 +00:00", "2026-03-12T10:00:00Z"),
        ("Thu, 12 Mar 2026 10:00:00 N", "2026-03-12T09:00:00Z"),
        ("Thu, 12 Mar 2026 10:00:00 A", "2026-03-12T11:00:00Z"),
        ("Thu, 5 Mar 1998 10:00:00 GMT", "1998-03-05T10:00:00Z"),
        ("Wed, 02 Oct 02 08:00:00 EST", "2002-10-02T13:00:00Z"),
        // Human dates on pages
        ("March 12, 2026", "2026-03-12T00:00:00Z"),
        ("12 March 2026", "2026-03-12T00:00:00Z"),
        ("Posted on March 2nd, 2026", "2026-03-02T00:00:00Z"),
        ("Sept 3, 2025", "2025-09-03T00:00:00Z"),
        // ISO 8601 / RFC 3339 / W3CDTF
        ("2026-03-12T10:00:00Z", "2026-03-12T10:00:00Z"),
        ("2026-03-12T10:00:00.123456Z", "2026-03-12T10:00:00Z"),
        ("2026-03-12T12:00:00+02:00", "2026-03-12T10:00:00Z"),
        ("2026-03-12T12:00:00+0200", "2026-03-12T10:00:00Z"),
        ("2026-03-12 10:00:00", "2026-03-12T10:00:00Z"),
        ("2026-03-12T10:00", "2026-03-12T10:00:00Z"),
        ("20260312T100000Z", "2026-03-12T10:00:00Z"),
        ("2026-03-12", "2026-03-12T00:00:00Z"),
        ("2026-03", "2026-03-01T00:00:00Z"),
        ("2026", "2026-01-01T00:00:00Z"),
    ]

    @Test(arguments: utc)
    func readsDate(_ input: String, _ expected: String) {
        let parsed = DateParser().parse(input)
        #expect(parsed.map(Self.format) == expected, "\(input)")
    }

    @Test(arguments: [
        "", "yesterday", "32 Mar 2026", "2026-02-30", "2026-13-01", "Thu, 12 Foo 2026 10:00:00 GMT",
        "2026-03-12T25:00:00Z", "12:00", "not a date at all 2026", "2026-03-12T10:00:00+99:00",
    ])
    func refusesNonsense(_ input: String) {
        #expect(DateParser().parse(input) == nil, "\(input)")
    }

    @Test func naiveTimestampsUseTheSourceTimeZone() throws {
        let parser = DateParser(naiveTimeZone: TimeZone(secondsFromGMT: 3600))
        #expect(parser.parse("2026-03-12T10:00:00").map(Self.format) == "2026-03-12T09:00:00Z")
        #expect(parser.parse("2026-03-12T10:00:00Z").map(Self.format) == "2026-03-12T10:00:00Z")
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

extension DateParserTests {
    @Test func naiveTimestampsFollowSummerTime() {
        let parser = DateParser(naiveTimeZone: TimeZone(identifier: "Europe/Berlin"))
        #expect(parser.parse("2026-01-15T12:00:00").map(Self.format) == "2026-01-15T11:00:00Z")
        #expect(parser.parse("2026-07-15T12:00:00").map(Self.format) == "2026-07-15T10:00:00Z")
        #expect(parser.parse("15 July 2026 12:00").map(Self.format) == "2026-07-15T10:00:00Z")
    }
}

extension DateParserTests {
    @Test(arguments: [
        ("March 12, 2026", "2026-03-12T00:00:00Z"),
        ("12 March 2026", "2026-03-12T00:00:00Z"),
        ("2026-03-12", "2026-03-12T00:00:00Z"),
        ("Mar 12", "2026-03-12T00:00:00Z"),
        ("Dec 30", "2025-12-30T00:00:00Z"),
        ("3 days ago", "2026-03-15T12:00:00Z"),
        ("an hour ago", "2026-03-18T11:00:00Z"),
        ("2 weeks ago", "2026-03-04T12:00:00Z"),
        ("yesterday", "2026-03-17T12:00:00Z"),
        ("Posted on March 12, 2026 at 10:00", "2026-03-12T10:00:00Z"),
    ])
    func readsHumanDates(_ text: String, _ expected: String) {
        let now = Date(timeIntervalSince1970: 1_773_835_200)  // 2026-03-18T12:00:00Z
        #expect(DateParser().parseHuman(text, now: now).map(Self.format) == expected)
    }

    @Test func anExplicitFormatIsTheOnlyOneRead() {
        let berlin = DateParser(naiveTimeZone: TimeZone(identifier: "Europe/Berlin"))
        let now = Date()
        #expect(
            berlin.parseHuman("12.03.2026 10:15", format: "dd.MM.yyyy HH:mm", now: now).map(Self.format)
                == "2026-03-12T09:15:00Z")
        #expect(berlin.parseHuman("March 12, 2026", format: "dd.MM.yyyy", now: now) == nil)
        #expect(DateParser().parseHuman("12 Mär 2026", now: now) == nil)
    }
}

/// Numbers from outside never trap: out of range is nil (found by probes from outside the project).
extension DateParserTests {
    @Test(arguments: [
        ("2025-01-01T00:00:00.0123456789Z", "2025-01-01T00:00:00Z"),
        ("2025-01-01T00:00:00.012345678901234567890123456789Z", "2025-01-01T00:00:00Z"),
        ("2025-01-01T00:00:00,1234567890+01:00", "2024-12-31T23:00:00Z"),
    ])
    func readsAnyNumberOfFractionalDigits(_ input: String, _ expected: String) {
        #expect(DateParser().parse(input).map(Self.format) == expected)
    }

    @Test(arguments: [
        "99999999999 years ago", "9223372036854775807 days ago", "100001 years ago", "-5 days ago",
        "999999999999999999999999 seconds ago",
    ])
    func refusesRelativeDatesBeyondTheCalendar(_ text: String) {
        let now = Date(timeIntervalSince1970: 1_773_835_200)
        #expect(DateParser().parseHuman(text, now: now) == nil, "\(text)")
    }

    @Test func everyDateReturnedLiesWithinYearsOneToNineThousandNineHundredNinetyNine() {
        let now = Date(timeIntervalSince1970: 1_773_835_200)
        #expect(
            DateParser().parseHuman("2000 years ago", now: now)
                == now.addingTimeInterval(-2000 * 31_556_952), "a mean Gregorian year each")
        #expect(DateParser().parseHuman("3000 years ago", now: now) == nil)
        #expect(DateParser().parse("10000-01-01T00:00:00Z") == nil)
        #expect(DateParser().parseHuman("12 March 99999", format: "d MMMM yyyy", now: now) == nil)
    }
}

/// `date_format` patterns are read by Tidings, not by ICU, which trapped on page text (found by fuzzing).
extension DateParserTests {
    @Test(arguments: [
        ("d MMMM yyyy", "12 March 2026", "2026-03-12T00:00:00Z"),
        ("dd.MM.yy HH:mm", "12.03.26 10:15", "2026-03-12T10:15:00Z"),
        ("EEE, d MMM yyyy h:mm a", "Thu, 12 Mar 2026 3:05 pm", "2026-03-12T15:05:00Z"),
        ("yyyyMMddHHmmss", "20260312101500", "2026-03-12T10:15:00Z"),
        ("yyyy-MM-dd'T'HH:mm:ss.SSSZ", "2026-03-12T10:15:00.123+0200", "2026-03-12T08:15:00Z"),
        ("'Posted' MMM d", "Posted Sept 3", "1970-09-03T00:00:00Z"),
        ("HH:mm:ss.S", "10:15:00." + String(repeating: "9", count: 85), "1970-01-01T10:15:00Z"),
    ])
    func readsAnExplicitPattern(_ pattern: String, _ text: String, _ expected: String) {
        let now = Date(timeIntervalSince1970: 1_773_835_200)
        #expect(DateParser().parseHuman(text, format: pattern, now: now).map(Self.format) == expected)
    }

    @Test(arguments: [
        ("dd.MM.yyyy", "32.13.2026"), ("d MMMM yyyy", "12 Mär 2026"),
        ("HH:mm", "99:99"), ("yyyy", "99999"), ("Q yyyy", "1 2026"),
    ])
    func refusesWhatAPatternDoesNotDescribe(_ pattern: String, _ text: String) {
        #expect(DateParser().parseHuman(text, format: pattern, now: Date()) == nil)
    }
}
