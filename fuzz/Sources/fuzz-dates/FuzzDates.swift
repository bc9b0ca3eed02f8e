import Foundation
import FuzzDriver
import Time

/// The date parser: machine dates, human dates with and without a time zone, and explicit formats (the
/// first line is the format when the input has two lines).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDates(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzDriver.text(data, size)
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let berlin = DateParser(naiveTimeZone: TimeZone(identifier: "Europe/Berlin"))
    for parser in [DateParser(), berlin] {
        _ = parser.parse(text)
        _ = parser.parseHuman(text, now: now)
    }
    let lines = text.split(separator: "\n", maxSplits: 1)
    if lines.count == 2 { _ = DateParser().parseHuman(String(lines[1]), format: String(lines[0]), now: now) }
    return 0
}

@_cdecl("fuzz_dates_main")
public func fuzzDatesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzDates)
}
