// Parse + normalise + sanitise throughput over a folder of feeds: every file is read into memory
// first, so the figure is the parser's alone.
//
// Usage: tidings-bench CORPUS_DIR [--jobs N] [--floor]
//
// --floor measures libxml2 alone doing the two parses Tidings cannot avoid: the feed into a tree, and
// every entry body through the HTML parser (events only, as the sanitiser reads it), with no work of
// Tidings' own. It is the fastest any libxml2-based parser with an HTML sanitiser can be here.
import Dispatch
import Foundation
import Parsing
import XML

let arguments = CommandLine.arguments.dropFirst()
guard let folder = arguments.first else {
    FileHandle.standardError.write(Data("usage: tidings-bench CORPUS_DIR [--jobs N] [--floor]\n".utf8))
    exit(2)
}
let jobs = arguments.firstIndex(of: "--jobs").flatMap { Int(arguments[$0 + 1]) } ?? 1
let floorOnly = arguments.contains("--floor")

let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xml") }.sorted()
let documents = try names.map { Array(try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent($0))) }
let bytes = documents.reduce(0) { $0 + $1.count }

final class Totals: @unchecked Sendable {
    let lock = NSLock()
    var entries = 0
    var words = 0
    var failures = 0
}

/// Receives the HTML parser's events and does nothing with them.
final class IgnoringHandler: HTMLEventHandler {
    func startElement(_ name: String, attributes: [HTMLAttribute]) {}
    func endElement() {}
    func characters(_ text: UnsafeBufferPointer<UInt8>) {}
}

/// The libxml2 work alone: one tree parse, then one HTML parse per entry body. Returns the entry count.
@Sendable func libxml2Floor(_ document: [UInt8]) throws -> Int {
    let tree = try Document.xml(document)
    let bodies = try tree.evaluate(
        "//*[local-name()='item' or local-name()='entry']/*[local-name()='description' or local-name()='encoded'"
            + " or local-name()='content' or local-name()='summary']"
    ).nodes
    let handler = IgnoringHandler()
    for body in bodies {
        var html = "<html><body>" + body.text
        html.withUTF8 { HTMLStream.parse($0, into: handler) }
    }
    guard case .number(let count) = try tree.evaluate("count(//*[local-name()='item' or local-name()='entry'])") else {
        return 0
    }
    return Int(count)
}

let totals = Totals()
let parser = FeedParser()
let clock = ContinuousClock()
let elapsed = clock.measure {
    DispatchQueue.concurrentPerform(iterations: jobs) { job in
        var entries = 0
        var words = 0
        var failures = 0
        for index in stride(from: job, to: documents.count, by: jobs) {
            do {
                if floorOnly {
                    entries += try libxml2Floor(documents[index])
                    continue
                }
                let feed = try parser.parse(documents[index], url: "https://bench.example/\(names[index])")
                entries += feed.entries.count
                words += feed.entries.reduce(0) { $0 + $1.wordCount }
            } catch {
                failures += 1
            }
        }
        totals.lock.lock()
        totals.entries += entries
        totals.words += words
        totals.failures += failures
        totals.lock.unlock()
    }
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let megabytes = Double(bytes) / 1_000_000
print(
    String(
        format: "%@ (%d job%@): %d feeds, %.1f MB, %d entries, %d words in %.2f s: %.1f MB/s, %.0f entries/s%@",
        floorOnly ? "libxml2 floor" : "tidings", jobs, jobs == 1 ? "" : "s", documents.count, megabytes,
        totals.entries, totals.words, seconds, megabytes / seconds, Double(totals.entries) / seconds,
        totals.failures > 0 ? " (\(totals.failures) failed)" : ""))
