import Storage

/// What one refresh did to one source, for the one-line summaries `tidings refresh` prints.
public struct SourceOutcome: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case stored(EntryChanges)
        case notModified
        case failed(String)
    }

    public var key: String
    public var status: Status
    public var warnings: [String]

    public var summary: String {
        switch status {
        case .stored(let changes):
            var line = "\(key): \(changes.new) new, \(changes.updated) updated, \(changes.unchanged) unchanged"
            if !warnings.isEmpty { line += " (warning: \(warnings.joined(separator: "; ")))" }
            return line
        case .notModified:
            return "\(key): unchanged (not modified since the last fetch)"
        case .failed(let reason):
            return "\(key): failed: \(reason)"
        }
    }
}

/// The whole refresh: each source's outcome, in configuration order, and the files written.
public struct RefreshReport: Sendable {
    public var outcomes: [SourceOutcome]
    public var written: [String]

    public var failures: Int { outcomes.filter { if case .failed = $0.status { true } else { false } }.count }
}
