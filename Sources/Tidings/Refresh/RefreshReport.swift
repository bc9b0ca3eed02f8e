import Storage

/// What one refresh did to one source, for the one-line summaries `tidings refresh` prints.
public struct SourceOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case stored(EntryChanges)
        case notModified
        /// A 200 with the very document parsed last time: not parsed again.
        case sameDocument
        case failed(String)
        /// Not fetched in this cycle, with why (a wait the server imposed, backoff, gone).
        case skipped(String)
        /// Fetched, but the document is the one that crashed Tidings: not parsed.
        case quarantined(String)

        public var failureReason: String? {
            if case .failed(let reason) = self { reason } else { nil }
        }
    }

    public var key: String
    public var status: Status
    public var warnings: [String]
    /// The fetch behind it, when there was one: bytes received and seconds taken.
    public var transfer: Transfer?

    public struct Transfer: Sendable, Equatable {
        public var bytes: Int
        public var seconds: Double
    }

    public init(key: String, status: Status, warnings: [String]) {
        self.key = key
        self.status = status
        self.warnings = warnings
    }

    public var summary: String {
        switch status {
        case .stored(let changes):
            var line = "\(key): \(changes.new) new, \(changes.updated) updated, \(changes.unchanged) unchanged"
            if !warnings.isEmpty { line += " (warning: \(warnings.joined(separator: "; ")))" }
            return line
        case .notModified:
            var line = "\(key): unchanged (not modified since the last fetch)"
            if !warnings.isEmpty { line += " (\(warnings.joined(separator: "; ")))" }
            return line
        case .sameDocument:
            var line = "\(key): unchanged (the same document as last time)"
            if !warnings.isEmpty { line += " (\(warnings.joined(separator: "; ")))" }
            return line
        case .skipped(let reason):
            return "\(key): skipped: \(reason)"
        case .quarantined(let reason):
            return "\(key): quarantined: \(reason)"
        case .failed(let reason):
            return "\(key): failed: \(reason)"
        }
    }
}

/// The whole refresh: each source's outcome, in configuration order, and the files written.
public struct RefreshReport: Sendable {
    public var outcomes: [SourceOutcome]
    public var written: [String]
    /// Stopped by a shutdown: some sources were not fetched, and the outputs were not written.
    public var interrupted = false
    /// What went wrong beside the sources without stopping the refresh (the metrics file could not be written).
    public var warnings: [String] = []

    public var failures: Int { outcomes.filter { if case .failed = $0.status { true } else { false } }.count }
}

extension RefreshReport {
    /// The last line of a refresh: how many sources, how many failed, how many files were written where.
    public func summaryLine(folder: String) -> String {
        let failed = failures > 0 ? ", \(failures) failed" : ""
        let sources = outcomes.count == 1 ? "1 source" : "\(outcomes.count) sources"
        let files = written.count == 1 ? "1 file" : "\(written.count) files"
        if interrupted { return "\(sources)\(failed); stopped before the outputs were written" }
        return "\(sources)\(failed); \(files) written to \(folder)"
    }
}
