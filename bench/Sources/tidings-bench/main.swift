// Parse + normalise + sanitise throughput over a folder of feeds: every file is read into memory
// first, so the figure is the parser's alone. Usage: tidings-bench CORPUS_DIR [--jobs N]
import Dispatch
import Foundation
import Parsing

let arguments = CommandLine.arguments.dropFirst()
guard let folder = arguments.first else {
    FileHandle.standardError.write(Data("usage: tidings-bench CORPUS_DIR [--jobs N]\n".utf8))
    exit(2)
}
let jobs = arguments.firstIndex(of: "--jobs").flatMap { Int(arguments[$0 + 1]) } ?? 1

let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".xml") }.sorted()
let documents = try names.map { Array(try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent($0))) }
let bytes = documents.reduce(0) { $0 + $1.count }

final class Totals: @unchecked Sendable {
    let lock = NSLock()
    var entries = 0
    var words = 0
    var failures = 0
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
        format: "tidings (%d job%@): %d feeds, %.1f MB, %d entries, %d words in %.2f s: %.1f MB/s, %.0f entries/s%@",
        jobs, jobs == 1 ? "" : "s", documents.count, megabytes, totals.entries, totals.words, seconds,
        megabytes / seconds, Double(totals.entries) / seconds,
        totals.failures > 0 ? " (\(totals.failures) failed)" : ""))
