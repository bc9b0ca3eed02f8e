/// A problem with the SQLite store, naming the database file and what SQLite said.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case sqlite(path: String, code: Int32, message: String, statement: String)
    /// The file was written by a newer Tidings; opening it here could lose data.
    case newerSchema(path: String, found: Int, supported: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open the database \(path): \(reason)"
        case .sqlite(let path, let code, let message, let statement):
            let shortened = statement.count > 80 ? String(statement.prefix(77)) + "..." : statement
            return "database \(path): \(message) (SQLite code \(code)) in: \(shortened)"
        case .newerSchema(let path, let found, let supported):
            return "the database \(path) has schema version \(found), but this Tidings understands up to "
                + "\(supported): upgrade Tidings or point `database:` at another file"
        }
    }
}
