/// A problem with the SQLite store, naming the database file and what SQLite said.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case sqlite(path: String, code: Int32, message: String, statement: String)
    /// The file was written by a newer Tidings; opening it here could lose data.
    case newerSchema(path: String, found: Int, supported: Int)
    /// Read without writing (`tidings status`, `explain`, `filters test`), the file is from an older Tidings
    /// and is upgraded only by a command that writes.
    case olderSchema(path: String, found: Int, expected: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the database \(path): \(reason)"
        case .sqlite(let path, let code, let message, let statement):
            let shortened = statement.count > 80 ? String(statement.prefix(77)) + "..." : statement
            return "database \(path): \(message) (SQLite code \(code)) in: \(shortened)"
        case .olderSchema(let path, let found, let expected):
            return "the database \(path) has schema version \(found), from an older Tidings; this one reads"
                + " \(expected) and upgrades it on the next `tidings refresh` (or when the daemon restarts)"
        case .newerSchema(let path, let found, let supported):
            return "the database \(path) has schema version \(found), but this Tidings understands up to "
                + "\(supported): upgrade Tidings or point `database:` at another file"
        }
    }
}
