import Foundation
import Publishing
import Storage
import Time

/// One source's state for `tidings status`: what the store knows of its fetching, in the words a user
/// needs to decide whether to act.
public struct SourceStatus: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case ok
        case failing
        case waiting
        case gone
        case quarantined
        case new = "never fetched"
    }

    public var key: String
    public var state: State
    /// The URL in feeds.yaml.
    public var url: String
    /// Where the next fetch goes, when it is not `url`.
    public var fetchURL: String?
    public var discoveredURL: String?
    public var movedURL: String?
    /// A permanent redirect seen but not yet adopted, and how many fetches saw it.
    public var movingTo: String?
    public var movingSeen: Int?
    public var lastFetch: Date?
    public var lastSuccess: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var failuresInARow: Int
    public var nextPoll: Date?
    public var waitReason: String?
    public var entries: Int
    public var hub: String?
    /// Why the source's document is skipped (it crashed Tidings), while it is.
    public var quarantineReason: String?

    /// Since when every fetch has failed, while they do.
    public var failingSince: Date?
    /// Failing for longer than `health_after`: listed first, and in `health.atom`.
    public var isProblem = false
    /// A burst of new posts held from the front page: when, and how many.
    public var burstAt: Date?
    public var burstHeld: Int?

    public init(_ record: SourceRecord, now: Date, isProblem: Bool = false) {
        failingSince = record.failingSince
        self.isProblem = isProblem
        key = record.key
        url = record.url
        fetchURL = record.fetchURL == record.url ? nil : record.fetchURL
        discoveredURL = record.discoveredURL
        movedURL = record.poll.movedURL
        movingTo = record.poll.moveCandidate?.url
        movingSeen = record.poll.moveCandidate?.seen
        lastFetch = record.lastFetchedAt
        lastSuccess = record.lastSuccessAt
        lastStatus = record.lastStatus
        lastError = record.lastError
        failuresInARow = record.consecutiveFailures
        let wait = record.poll.waitUntil.flatMap { $0 > now ? $0 : nil }
        nextPoll = [record.poll.nextPollAt, wait].compactMap { $0 }.max()
        waitReason = wait == nil ? nil : record.poll.waitReason
        entries = record.entryCount
        hub = record.poll.hub
        quarantineReason = record.quarantine?.reason
        burstAt = record.burst?.at
        burstHeld = record.burst?.held
        state = Self.state(of: record, waiting: wait != nil)
    }

    private static func state(of record: SourceRecord, waiting: Bool) -> State {
        if record.quarantine != nil { return .quarantined }
        if record.poll.goneSince != nil { return .gone }
        if record.lastFetchedAt == nil { return .new }
        if waiting { return .waiting }
        return record.consecutiveFailures > 0 ? .failing : .ok
    }

    /// What else the row should say: a move, a discovered feed, the last error.
    var note: String {
        var parts: [String] = []
        if let quarantineReason { parts.append(quarantineReason) }
        if let movedURL { parts.append("moved to \(movedURL)") }
        if let movingTo, let movingSeen {
            parts.append("redirects permanently to \(movingTo) (seen \(movingSeen)×, not adopted yet)")
        }
        if let discoveredURL, movedURL == nil { parts.append("feed found at \(discoveredURL)") }
        if failuresInARow > 0, let lastError {
            let since = failingSince.map { ", failing since \(Self.short($0))" } ?? ""
            parts.append("\(failuresInARow) failure\(failuresInARow == 1 ? "" : "s") in a row\(since): \(lastError)")
        }
        if let waitReason { parts.append(waitReason) }
        if let burstAt, let burstHeld {
            parts.append(
                "a burst of new posts on \(Self.short(burstAt)): \(burstHeld) held from the front page"
                    + " (`tidings release \(key)` sends them to it)")
        }
        return parts.joined(separator: "; ")
    }

    /// The rows as an aligned text table.
    public static func table(_ rows: [SourceStatus]) -> String {
        let header = ["SOURCE", "STATE", "LAST SUCCESS", "NEXT POLL", "ENTRIES", "NOTE"]
        let cells = rows.map { row in
            [
                row.key, row.state.rawValue, row.lastSuccess.map(Self.short) ?? "-",
                row.nextPoll.map(Self.short) ?? "-",
                String(row.entries), row.note,
            ]
        }
        let widths = header.indices.map { column in
            ([header] + cells).map { $0[column].count }.max() ?? 0
        }
        return ([header] + cells).map { line in
            line.enumerated().map { column, cell in
                column == line.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }

    public static func json(_ rows: [SourceStatus]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }

    /// "2026-11-23 19:59": minutes are enough in a table.
    private static func short(_ date: Date) -> String {
        String(Timestamp.display(date).prefix(16))
    }
}
