import Checked
import Foundation

/// What was last published, kept in the store in the same database as the entries, so that whether and what
/// to publish is decided from the store, not from what one run changed: a run killed between storing and
/// publishing is made good by the next one.
public struct PublishedState: Sendable, Equatable {
    /// The fingerprint of what every output shows of the settings, sources, templates and version.
    public var layout: String?
    /// The store's change counter the outputs were last written at.
    public var changeCounter: Int?
    /// The months that had pages, newest first.
    public var months: [MonthKey]?
    /// The fingerprint of `health.atom`'s problems, and when they last changed.
    public var healthProblems: String?
    public var healthUpdated: Date?
    /// The fingerprint of every source's failure state (its last error and since when) `sources.html` was
    /// last rendered with.
    public var sourcesHealth: String?

    public init() {}
}

/// The small state the store keeps beside the entries, each piece with its own accessors: the names it is
/// kept under (the `state` table's rows) stay inside the store.
extension Store {
    enum Name: String {
        /// The fingerprint of the source definitions registered last.
        case registered
        case layout = "published"
        case changeCounter = "published-changes"
        case months = "published-months"
        case healthProblems = "health-problems"
        case healthUpdated = "health-updated"
        case sourcesHealth = "sources-health"
        case metrics
        case curation

    }

    public func publishedState() throws(StoreError) -> PublishedState {
        var state = PublishedState()
        state.layout = try value(.layout)
        state.changeCounter = try value(.changeCounter).flatMap { Int($0) }
        state.months = try value(.months).flatMap(Self.months)
        state.healthProblems = try value(.healthProblems)
        state.healthUpdated = try value(.healthUpdated).flatMap { Double($0) }.map(Date.init(timeIntervalSince1970:))
        state.sourcesHealth = try value(.sourcesHealth)
        return state
    }

    /// Notes that every output was written from the store at `changeCounter`, with `layout` and `months`.
    public func savePublishedOutputs(layout: String, changeCounter: Int, months: [MonthKey]) throws(StoreError) {
        try setValue(layout, .layout)
        try setValue(months.map { "\($0.year)-\($0.month)" }.joined(separator: ","), .months)
        try setValue(String(changeCounter), .changeCounter)
    }

    /// Notes the problems `health.atom` shows and when they last changed.
    public func saveHealth(problems: String, updated: Date) throws(StoreError) {
        try setValue(problems, .healthProblems)
        try setValue(String(Checked.unixSeconds(updated)), .healthUpdated)
    }

    /// Notes the sources' failure states `sources.html` was rendered with.
    public func saveSourcesHealth(_ fingerprint: String) throws(StoreError) { try setValue(fingerprint, .sourcesHealth) }

    /// Forgets which change the outputs were written at, so the next publish writes them again.
    public func forgetPublishedChanges() throws(StoreError) { try setValue(nil, .changeCounter) }

    /// The fingerprint of the filters every stored entry's visibility was last decided by.
    public func curationFingerprint() throws(StoreError) -> String? { try value(.curation) }

    public func saveCurationFingerprint(_ fingerprint: String) throws(StoreError) {
        try setValue(fingerprint, .curation)
    }

    /// The refresh counters (`metrics_file:`), as the application encodes them.
    public func metrics() throws(StoreError) -> Data? { try value(.metrics).map { Data($0.utf8) } }

    public func saveMetrics(_ encoded: Data) throws(StoreError) {
        try setValue(String(decoding: encoded, as: UTF8.self), .metrics)
    }

    /// "2026-3,2026-1", newest first.
    private static func months(_ text: String) -> [MonthKey]? {
        var months: [MonthKey] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "-")
            guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
            months.append(MonthKey(year: year, month: month))
        }
        return months
    }

    func value(_ name: Name) throws(StoreError) -> String? {
        try database.query("SELECT value FROM state WHERE name = ?", [.text(name.rawValue)]).first?.string(0)
    }

    func setValue(_ value: String?, _ name: Name) throws(StoreError) {
        if let value {
            try database.query(
                "INSERT INTO state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [.text(name.rawValue), .text(value)])
        } else {
            try database.query("DELETE FROM state WHERE name = ?", [.text(name.rawValue)])
        }
    }
}
