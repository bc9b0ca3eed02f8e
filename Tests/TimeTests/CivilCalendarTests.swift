import Foundation
import Testing
import Time

@Suite struct CivilCalendarTests {
    /// Days and civil dates are each other's inverse, across leap years, centuries and years before 1970,
    /// and agree with Foundation's Gregorian calendar since its adoption (before 1582 Foundation counts
    /// Julian days; this calendar is proleptic, as RFC 3339 is).
    @Test func daysAndCivilDatesRoundTripAndAgreeWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        for (year, month, day) in [(1, 1, 1), (1600, 2, 29), (1899, 12, 31), (1969, 12, 31), (1970, 1, 1),
            (2000, 2, 29), (2024, 2, 29), (2100, 3, 1), (9999, 12, 31)]
        {
            let days = CivilCalendar.days(year: year, month: month, day: day)
            let civil = CivilCalendar.civil(Date(timeIntervalSince1970: Double(days) * 86_400))
            #expect((civil.year, civil.month, civil.day) == (year, month, day))
            guard year > 1582 else { continue }
            let foundation = try #require(calendar.date(from: DateComponents(year: year, month: month, day: day)))
            #expect(Double(days) * 86_400 == foundation.timeIntervalSince1970, "\(year)-\(month)-\(day)")
        }
    }

    @Test func impossibleDaysAreInvalid() {
        #expect(CivilCalendar.isValid(year: 2024, month: 2, day: 29))
        #expect(!CivilCalendar.isValid(year: 2023, month: 2, day: 29))
        #expect(!CivilCalendar.isValid(year: 1900, month: 2, day: 29))
        #expect(!CivilCalendar.isValid(year: 2026, month: 4, day: 31))
        #expect(!CivilCalendar.isValid(year: 2026, month: 13, day: 1))
        #expect(!CivilCalendar.isValid(year: 2026, month: 1, day: 0))
    }

    @Test func monthBoundsRunFromTheFirstSecondToTheNextMonthsFirst() {
        let december = CivilCalendar.monthBounds(year: 2025, month: 12)
        #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: Double(december.start))) == "2025-12-01T00:00:00Z")
        #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: Double(december.end))) == "2026-01-01T00:00:00Z")
        let february = CivilCalendar.monthBounds(year: 2024, month: 2)
        #expect(february.end - february.start == 29 * 86_400)
    }

    @Test func theDayADateFallsOnDependsOnTheZone() throws {
        let late = Date(timeIntervalSince1970: Double(CivilCalendar.days(year: 2026, month: 3, day: 12)) * 86_400 + 23 * 3600)
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        #expect(CivilCalendar.dayNumber(late, in: berlin) == CivilCalendar.days(year: 2026, month: 3, day: 13))
        #expect(CivilCalendar.civil(late).weekday == 0, "2026-03-12 is a Thursday")
    }
}

@Suite struct ZoneOffsetTests {
    @Test func readsEveryWayAnOffsetIsWritten() {
        #expect(ZoneOffset.named("+0200") == 7200)
        #expect(ZoneOffset.named("-05:30") == -19_800)
        #expect(ZoneOffset.named("gmt+1") == 3600)
        #expect(ZoneOffset.named("utc-03") == -10_800)
        #expect(ZoneOffset.named("pdt") == -25_200)
        #expect(ZoneOffset.named("z") == 0)
        #expect(ZoneOffset.named("a") == -3600, "RFC 822's military letters, with its own signs")
        #expect(ZoneOffset.named("n") == 3600)
    }

    @Test func refusesWhatNoZoneIs() {
        #expect(ZoneOffset.named("+1500") == nil)
        #expect(ZoneOffset.named("+0260") == nil)
        #expect(ZoneOffset.named("+") == nil)
        #expect(ZoneOffset.named("j") == nil)
        #expect(ZoneOffset.named("mars") == nil)
        #expect(ZoneOffset.named("+99999999999999999999") == nil)
    }

    @Test func fixedZonesForSettings() {
        #expect(ZoneOffset.fixedZone("+02:00")?.secondsFromGMT() == 7200)
        #expect(ZoneOffset.fixedZone("UTC+1")?.secondsFromGMT() == 3600)
        #expect(ZoneOffset.fixedZone("-0530")?.secondsFromGMT() == -19_800)
        #expect(ZoneOffset.fixedZone("Europe/Berlin") == nil, "names are TimeZone's to read")
        #expect(ZoneOffset.fixedZone("+25") == nil)
    }
}

/// HTTP's three date forms (RFC 9110 §5.6.7), read by the same parser as the feeds' dates.
@Suite struct HTTPDateTests {
    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func readsEachForm(_ text: String) throws {
        let date = try #require(DateParser().parse(text))
        #expect(Timestamp.rfc3339(date) == "1994-11-06T08:49:37Z")
    }

    @Test func refusesWhatIsNoDate() {
        #expect(DateParser().parse("0") == nil)
        #expect(DateParser().parse("-1") == nil)
        #expect(DateParser().parse("31-Feb-94 08:49:37 GMT") == nil)
    }
}
