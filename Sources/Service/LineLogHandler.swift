import Foundation
import Logging
import Time

/// Log lines for people and for journald: one event per line, the message first, then its fields as
/// `key=value`. Under systemd (`$JOURNAL_STREAM` set) each line starts with its syslog priority (`<4>`),
/// which journald turns into the entry's priority, so `journalctl -p warning` finds failures; journald
/// stamps the time itself, so the line carries none. Elsewhere a line starts with the UTC time and level.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let forJournal: Bool

    public init(level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment) {
        logLevel = level
        forJournal = environment["JOURNAL_STREAM"] != nil
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata.merging(event.metadata ?? [:]) { $1 }
        if let error = event.error { fields["error"] = "\(error)" }
        let text = Self.format(level: event.level, message: "\(event.message)", fields: fields, forJournal: forJournal)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func format(level: Logger.Level, message: String, fields: Logger.Metadata, forJournal: Bool) -> String {
        var text = forJournal ? "<\(priority(level))>" : "\(Timestamp.display(Date())) \(level.rawValue): "
        text += oneLine(message)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            text += " \(key)=\(quoted(oneLine("\(value)")))"
        }
        return text
    }

    /// syslog's priorities, as journald reads them.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.contains(where: \.isNewline) ? text.split(whereSeparator: \.isNewline).joined(separator: " ") : text
    }

    private static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}
