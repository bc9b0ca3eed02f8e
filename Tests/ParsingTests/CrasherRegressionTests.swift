import Foundation
import Parsing
import TestSupport
import Testing
import Time

/// Inputs the fuzz targets (fuzz/run) found crashing or hanging, each kept as a file under
/// `Fixtures/crashers/` and run through the same code as its target (the feed parser's target has found
/// none yet; a finding of its would get a folder and a test here). Reaching the end is the assertion:
/// a trap would end the test process.
@Suite(.timeLimit(.minutes(1))) struct CrasherRegressionTests {
    static let fixtures = Fixtures()
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(arguments: fixtures.names(withExtension: "txt", in: "crashers/dates"))
    func dateInputs(_ name: String) throws {
        let text = String(decoding: try Self.fixtures.bytes(name), as: UTF8.self)
        let parser = DateParser()
        let date = parser.parseHuman(text, now: Self.now)
        let seconds = date?.timeIntervalSince1970 ?? 0
        #expect(seconds >= -62_135_596_800 && seconds < 253_402_300_800)
        let lines = text.split(separator: "\n", maxSplits: 1)
        if lines.count == 2 { _ = parser.parseHuman(String(lines[1]), format: String(lines[0]), now: Self.now) }
    }

    @Test(arguments: fixtures.names(withExtension: "html", in: "crashers/sanitizer"))
    func sanitizerInputs(_ name: String) throws {
        let html = String(decoding: try Self.fixtures.bytes(name), as: UTF8.self)
        let clean = HTMLSanitizer().sanitize(html, base: "https://fuzz.example/post/")
        #expect(!clean.lowercased().contains("<script"))
        // Every srcset candidate is an absolute https URL with at most a width or density after it.
        for value in clean.components(separatedBy: "srcset=\"").dropFirst().map({ $0.prefix { $0 != "\"" } }) {
            for candidate in value.components(separatedBy: ", ") {
                let parts = candidate.split(separator: " ")
                let descriptors = parts.dropFirst().allSatisfy { part in
                    (part.last == "x" || part.last == "w") && part.dropLast().allSatisfy { $0.isNumber || $0 == "." }
                }
                #expect(parts.first?.hasPrefix("https://") == true && parts.count <= 2 && descriptors, "\(candidate)")
            }
        }
    }
}
