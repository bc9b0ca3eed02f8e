import Foundation

/// Checked conversions for numbers that come from outside: documents, HTTP headers, the configuration and
/// values stored from any of those. Swift traps on overflow and on converting an out-of-range `Double` to
/// an integer, and a trap ends the whole process (every other source's refresh with it), so every such
/// number goes through here and comes out as nil, or clamped, never as a crash.
public enum Checked {
    /// The first instant Tidings accepts: 0001-01-01T00:00:00Z.
    public static let earliest = Date(timeIntervalSince1970: -62_135_596_800)
    /// The last instant Tidings accepts: 9999-12-31T23:59:59Z. Anything later is not a date a post has.
    public static let latest = Date(timeIntervalSince1970: 253_402_300_799)

    /// The date when it lies within years 1 to 9999, else nil.
    public static func date(_ date: Date) -> Date? {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, date >= earliest, date <= latest else { return nil }
        return date
    }

    /// The date moved into years 1 to 9999 (for moments Tidings computes itself, such as the next poll).
    public static func clamped(_ date: Date) -> Date {
        let seconds = date.timeIntervalSince1970
        if seconds.isNaN { return earliest }
        return min(max(date, earliest), latest)
    }

    /// `date` moved by `seconds`, clamped to years 1 to 9999.
    public static func adding(_ seconds: Double, to date: Date) -> Date {
        clamped(date.addingTimeInterval(seconds.isNaN ? 0 : seconds))
    }

    /// Whole seconds since 1970 of a date, clamped to years 1 to 9999: always fits an `Int64`.
    public static func unixSeconds(_ date: Date) -> Int64 {
        Int64(clamped(date).timeIntervalSince1970.rounded(.down))
    }

    /// The integer part of `value`, or nil when it is NaN, infinite or out of `Int`'s range.
    public static func int(_ value: Double) -> Int? {
        guard value.isFinite else { return nil }
        return Int(exactly: value.rounded(.towardZero))
    }

    /// The integer part of `value`, clamped to `range` (NaN gives the lower bound).
    public static func int(_ value: Double, clampedTo range: ClosedRange<Int>) -> Int {
        guard !value.isNaN else { return range.lowerBound }
        if value <= Double(range.lowerBound) { return range.lowerBound }
        if value >= Double(range.upperBound) { return range.upperBound }
        return Int(value)
    }

    /// `a × b`, or nil on overflow.
    public static func product(_ a: Int, _ b: Int) -> Int? {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : result
    }

    /// `a + b`, or nil on overflow.
    public static func sum(_ a: Int, _ b: Int) -> Int? {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : result
    }

    /// A decimal integer made only of ASCII digits (an optional leading sign), or nil when it is anything
    /// else or out of range: `Int("٣")` and `Int("+")` are not numbers a feed or header means.
    /// With `saturating`, a run of digits too long for an `Int` is `Int.max` rather than nil: a delay or
    /// size that large is still one, and the caller's own upper bound then names the mistake.
    public static func integer<S: StringProtocol>(_ text: S, saturating: Bool = false) -> Int? {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        var body = text.drop(while: isSpace)
        while let last = body.last, isSpace(last) { body = body.dropLast() }
        let digits = body.first == "-" || body.first == "+" ? body.dropFirst() : body
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(String(body)) ?? (saturating && body.first != "-" ? .max : nil)
    }
}

extension Checked {
    /// The link when it may be handed to a reader: http or https (and `mailto:` where a link to a person is
    /// expected). Call it on a link already resolved (xml:base, entities, whitespace): `javascript:`,
    /// `vbscript:`, `data:`, `file:` and every other scheme give nil.
    public static func link(_ url: String?, allowingMail: Bool = false) -> String? {
        guard let url else { return nil }
        let head = url.utf8.prefix(8).map { $0 | 0x20 }  // ASCII lowercase is enough for these prefixes
        let isWeb = head.starts(with: "https://".utf8) || head.starts(with: "http://".utf8)
        let isMail = allowingMail && head.starts(with: "mailto:".utf8)
        return isWeb || isMail ? url : nil
    }
}
