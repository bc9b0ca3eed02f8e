/// A `date_format` from `feeds.yaml` (a Unicode date pattern such as `d MMMM yyyy` or `dd.MM.yy HH:mm`),
/// read by Tidings itself. Foundation's DateFormatter hands patterns to ICU, which traps or divides by zero
/// on page text a hostile site can choose (85 digits under `S`, some non-ASCII text); this reads the
/// fields feeds and pages use and gives nil for the rest, never a crash.
///
/// Fields: `y`/`yy`/`yyyy`, `M`/`MM` (number), `MMM`/`MMMM` (English name), `d`/`dd`, `H`/`HH`, `h`/`hh`
/// with `a`, `m`/`mm`, `s`/`ss`, `S…` (fraction, dropped), `E…` (weekday name, skipped), `Z`/`X`/`x`
/// (offset or `Z`), and text in single quotes. Other characters must appear as written (any run of
/// spaces matches any run of spaces).
public struct DatePattern {
    enum Field: Equatable {
        case year(digits: Int), month(digits: Int), monthName, day, hour24, hour12, amPm, minute, second,
            fraction, weekday, zone
        case literal(String)
    }

    let fields: [Field]

    /// Whether `pattern` uses only what this reads, for checking `feeds.yaml`.
    public static func isReadable(_ pattern: String) -> Bool { DatePattern(pattern) != nil }

    /// Nil when the pattern uses a letter this does not read.
    init?(_ pattern: String) {
        var fields: [Field] = []
        var characters = Array(pattern)[...]
        while let first = characters.first {
            if first == "'" {
                characters = characters.dropFirst()
                let text = characters.prefix { $0 != "'" }
                characters = characters.dropFirst(text.count + 1)
                fields.append(.literal(text.isEmpty ? "'" : String(text)))
                continue
            }
            guard first.isASCII, first.isLetter else {
                fields.append(.literal(String(first)))
                characters = characters.dropFirst()
                continue
            }
            let count = characters.prefix { $0 == first }.count
            characters = characters.dropFirst(count)
            guard let field = Self.field(first, count: count) else { return nil }
            fields.append(field)
        }
        self.fields = fields
    }

    private static func field(_ letter: Character, count: Int) -> Field? {
        switch letter {
        case "y", "u": count == 2 ? .year(digits: 2) : .year(digits: 4)
        case "M", "L": count >= 3 ? .monthName : .month(digits: count)
        case "d": .day
        case "H": .hour24
        case "h": .hour12
        case "a": .amPm
        case "m": .minute
        case "s": .second
        case "S": .fraction
        case "E", "e", "c": .weekday
        case "Z", "X", "x", "z", "O": .zone
        default: nil
        }
    }

    /// The civil date and time in `text`, with the offset when the pattern has one.
    struct Reading {
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0
        var offset: Int?
    }

    func read(_ text: String) -> Reading? {
        var scanner = DateScanner(text)
        var reading = Reading()
        var pm: Bool?
        for field in fields {
            switch field {
            case .literal(let literal):
                guard scanner.literal(literal) else { return nil }
            case .year(let digits):
                guard let value = scanner.number(max: digits) else { return nil }
                reading.year = digits == 2 && value < 100 ? DateParser.fullYear(twoDigits: value) : value
            case .month(let digits):
                guard let value = scanner.number(max: max(digits, 2)) else { return nil }
                reading.month = value
            case .monthName:
                guard let value = scanner.monthName() else { return nil }
                reading.month = value
            case .day:
                guard let value = scanner.number(max: 2) else { return nil }
                reading.day = value
            case .hour24, .hour12:
                guard let value = scanner.number(max: 2) else { return nil }
                reading.hour = value
            case .amPm:
                guard let value = scanner.amPm() else { return nil }
                pm = value
            case .minute:
                guard let value = scanner.number(max: 2) else { return nil }
                reading.minute = value
            case .second:
                guard let value = scanner.number(max: 2) else { return nil }
                reading.second = value
            case .fraction:
                guard scanner.number(max: 9, dropping: true) != nil else { return nil }
            case .weekday:
                guard scanner.word() != nil else { return nil }
            case .zone:
                guard let offset = scanner.zone() else { return nil }
                reading.offset = offset
            }
        }
        guard scanner.isAtEnd else { return nil }
        if let pm {
            guard (1...12).contains(reading.hour) else { return nil }
            reading.hour = reading.hour % 12 + (pm ? 12 : 0)
        }
        return reading
    }
}
