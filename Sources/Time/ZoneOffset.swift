import Foundation

/// Offsets from UTC as dates and settings write them, in seconds east of UTC.
public enum ZoneOffset {
    /// The digits after a sign: `02`, `0200`, `02:00`, `2`. At most 14 hours and 59 minutes, as real zones.
    public static func numeric(sign: Int, _ digits: Substring) -> Int? {
        let cleaned = digits.replacingOccurrences(of: ":", with: "")
        guard !cleaned.isEmpty, cleaned.count <= 4, cleaned.allSatisfy(\.isASCII), cleaned.allSatisfy(\.isNumber),
            let value = Int(cleaned)
        else { return nil }
        let (hours, minutes) = cleaned.count <= 2 ? (value, 0) : (value / 100, value % 100)
        return seconds(sign: sign, hours: hours, minutes: minutes)
    }

    /// Checked: at most 14 hours and 59 minutes.
    public static func seconds(sign: Int, hours: Int, minutes: Int) -> Int? {
        guard (0...14).contains(hours), (0..<60).contains(minutes) else { return nil }
        return sign * (hours * 3600 + minutes * 60)
    }

    /// A lowercase zone as dates write it: named zones, numeric offsets with or without `gmt`/`utc`/`ut`
    /// before them, and RFC 822's military letters (with RFC 822's own signs: A–M west of UTC, N–Y east,
    /// as feedparser reads them).
    public static func named(_ token: Substring) -> Int? {
        if let hours = names[String(token)] { return hours * 3600 }
        if token.count == 1, let letter = token.unicodeScalars.first, letter.isASCII, letter != "j" {
            let value = Int(letter.value) - Int(UnicodeScalar("a").value)
            if (0...12).contains(value) { return -(value < 9 ? value + 1 : value) * 3600 }
            if (13...24).contains(value) { return (value - 12) * 3600 }
        }
        var rest = token
        for prefix in ["gmt", "utc", "ut"] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            break
        }
        guard let sign = rest.first, sign == "+" || sign == "-" else { return nil }
        return numeric(sign: sign == "+" ? 1 : -1, rest.dropFirst())
    }

    /// A fixed zone for settings: `+02:00`, `-0530`, `UTC+1`.
    public static func fixedZone(_ text: String) -> TimeZone? {
        var rest = Substring(text.uppercased())
        for prefix in ["UTC", "GMT"] where rest.hasPrefix(prefix) { rest = rest.dropFirst(prefix.count) }
        guard let sign = rest.first, sign == "+" || sign == "-",
            let seconds = numeric(sign: sign == "+" ? 1 : -1, rest.dropFirst())
        else { return nil }
        return TimeZone(secondsFromGMT: seconds)
    }

    private static let names: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
        "mdt": -6, "pst": -8, "pdt": -7, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3, "ist": 5,
        "jst": 9, "aest": 10, "aedt": 11, "akst": -9, "akdt": -8, "hst": -10, "ast": -4, "adt": -3,
    ]
}
