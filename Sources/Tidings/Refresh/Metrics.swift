import Checked
import Foundation
import Publishing

/// Counters of every refresh a store has seen, in Prometheus' text format, for node_exporter's textfile
/// collector (`metrics_file:`). The counters live in the store, so they keep counting across restarts and
/// across `tidings refresh` runs from a timer; the gauges describe the last round.
struct Metrics: Codable, Equatable {
    /// Upper bounds of the fetch-duration histogram's buckets, in seconds.
    static let durationBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    var fetches: [String: Int] = [:]
    var bytes = 0
    /// Fetches that took at most each of `durationBuckets` (not cumulative; summed when written).
    var durationCounts = Array(repeating: 0, count: durationBuckets.count + 1)
    var durationSum = 0.0
    var entriesNew = 0
    var entriesUpdated = 0
    var rounds = 0

    /// The last round's.
    var sources = 0
    var failing = 0
    var lastRoundAt = 0.0
    var lastRoundSeconds = 0.0

    /// Counts one round: its outcomes, and the failing sources after it.
    mutating func add(_ report: RefreshReport, sources: Int, failing: Int, at end: Date, seconds: Double) {
        for outcome in report.outcomes {
            guard let label = Self.label(outcome.status) else { continue }
            fetches[label, default: 0] += 1
            if case .stored(let changes) = outcome.status {
                entriesNew = Checked.sum(entriesNew, changes.new) ?? entriesNew
                entriesUpdated = Checked.sum(entriesUpdated, changes.updated) ?? entriesUpdated
            }
            guard let transfer = outcome.transfer else { continue }
            bytes = Checked.sum(bytes, transfer.bytes) ?? bytes
            let bucket = Self.durationBuckets.firstIndex { transfer.seconds <= $0 } ?? Self.durationBuckets.count
            durationCounts[bucket] += 1
            if transfer.seconds.isFinite, transfer.seconds >= 0 { durationSum += transfer.seconds }
        }
        rounds += 1
        self.sources = sources
        self.failing = failing
        lastRoundAt = end.timeIntervalSince1970
        lastRoundSeconds = max(0, seconds)
    }

    private static func label(_ status: SourceOutcome.Status) -> String? {
        switch status {
        case .stored: "stored"
        case .notModified: "not_modified"
        case .sameDocument: "same_document"
        case .failed: "failed"
        case .quarantined: "quarantined"
        case .skipped: nil
        }
    }

    static let outcomes = ["stored", "not_modified", "same_document", "failed", "quarantined"]

    /// The exposition text.
    var text: String {
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for (labels, value) in samples { lines.append("\(name)\(labels) \(value)") }
        }
        metric(
            "tidings_fetches_total", "counter", "Fetches by outcome.",
            Self.outcomes.map { ("{outcome=\"\($0)\"}", String(fetches[$0] ?? 0)) })
        metric("tidings_fetched_bytes_total", "counter", "Bytes received, after decompression.", [("", String(bytes))])
        var cumulative = 0
        var buckets: [(String, String)] = []
        for (index, bound) in Self.durationBuckets.enumerated() {
            cumulative += durationCounts[index]
            buckets.append(("_bucket{le=\"\(Self.number(bound))\"}", String(cumulative)))
        }
        cumulative += durationCounts[Self.durationBuckets.count]
        buckets.append(("_bucket{le=\"+Inf\"}", String(cumulative)))
        buckets.append(("_sum", Self.number(durationSum)))
        buckets.append(("_count", String(cumulative)))
        metric("tidings_fetch_duration_seconds", "histogram", "How long each fetch took.", buckets)
        metric(
            "tidings_entries_stored_total", "counter", "Entries stored, new or updated.",
            [("{change=\"new\"}", String(entriesNew)), ("{change=\"updated\"}", String(entriesUpdated))])
        metric("tidings_rounds_total", "counter", "Refresh rounds.", [("", String(rounds))])
        metric("tidings_sources", "gauge", "Sources configured.", [("", String(sources))])
        metric("tidings_sources_failing", "gauge", "Sources whose last fetch failed.", [("", String(failing))])
        metric(
            "tidings_last_round_timestamp_seconds", "gauge", "When the last round ended (Unix time).",
            [("", Self.number(lastRoundAt))])
        metric(
            "tidings_last_round_duration_seconds", "gauge", "How long the last round took.",
            [("", Self.number(lastRoundSeconds))])
        return lines.joined(separator: "\n") + "\n"
    }

    private static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Writes `text` to `file` in one step (a temporary file renamed over it), so the collector never reads
    /// half a file.
    func write(to file: URL) throws(MetricsError) {
        do {
            try OutputSet.replace(file, with: text)
        } catch {
            throw .cannotWrite(path: file.path, reason: "\(error)")
        }
    }
}

/// The metrics file could not be written; the refresh itself went on.
enum MetricsError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)

    var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write the metrics file \(path): \(reason)"
        }
    }
}
