import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a command asks the daemon over its control socket. On the wire: one line of tab-separated words.
public enum ControlRequest: Sendable, Equatable {
    case refresh(force: Bool, keys: [String])
    case reload
    case status

    var line: String {
        switch self {
        case .refresh(let force, let keys): (["refresh", force ? "force" : "-"] + keys).joined(separator: "\t")
        case .reload: "reload"
        case .status: "status"
        }
    }

    /// What the daemon's loop is handed; `status` is answered by the control thread itself, at once.
    var command: ControlCommand? {
        switch self {
        case .refresh(let force, let keys): .refresh(force: force, keys: keys)
        case .reload: .reload
        case .status: nil
        }
    }

    init?(line: String) {
        let words = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        switch words.first {
        case "refresh" where words.count >= 2:
            self = .refresh(force: words[1] == "force", keys: Array(words.dropFirst(2)))
        case "reload": self = .reload
        case "status": self = .status
        default: return nil
        }
    }
}

/// A request the daemon's loop answers.
enum ControlCommand: Sendable, Equatable {
    case refresh(force: Bool, keys: [String])
    case reload
}

/// Where a store's daemon listens: beside the database, in the daemon's state folder.
public enum ControlSocket {
    public static func path(forDatabase database: URL) -> String {
        database.deletingLastPathComponent().appendingPathComponent("tidings.sock").path
    }

    /// Answers are lines: "L\t<text>" for each line to print, then "E\t<exit status>\t<text>" to end.
    static func lineMessage(_ text: String) -> String { "L\t\(text.replacingOccurrences(of: "\n", with: " "))\n" }
    static func endMessage(status: Int32, _ text: String) -> String {
        "E\t\(status)\t\(text.replacingOccurrences(of: "\n", with: " "))\n"
    }

    /// Sends all of `text`; a peer that went away ends the sending, nothing more.
    static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            bytes = bytes.dropFirst(sent)
        }
    }

    /// Sends the answer's last line and closes the connection.
    static func finish(_ descriptor: Int32, status: Int32, _ text: String) {
        write(endMessage(status: status, text), to: descriptor)
        close(descriptor)
    }
}
