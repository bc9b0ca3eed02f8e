internal import CSQLite

/// A value SQLite stores.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
}

/// One SQLite connection: the only code that touches sqlite3. Not shared between threads;
/// its owner (the `Store`) is used from one task at a time.
final class Database {
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: Statement] = [:]
    /// How many `transaction` calls are running: an inner one is part of the outer.
    private var transactionDepth = 0
    /// The first failure of an inner transaction: the outer one must not commit.
    private var innerFailure: StoreError?
    /// Kept alive for as long as SQLite may call it.
    private var commitHook: CommitHook?

    init(path: String) throws(StoreError) {
        self.path = path
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let reason = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close(handle)
            throw .cannotOpen(path: path, reason: reason)
        }
        self.handle = handle
        // Another process (a `tidings refresh` beside the daemon) may hold the write lock briefly.
        sqlite3_busy_timeout(handle, 10_000)
        registerSearchText()
    }

    /// `tidings_search_text(value, kind)`: what the search index holds for a stored value (see
    /// `SearchColumn`), for the view the index reads its text from. On every connection: the index is written
    /// through it, and snippets are read through it.
    private func registerSearchText() {
        sqlite3_create_function_v2(
            handle, "tidings_search_text", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
            { context, _, values in
                guard let values, let raw = sqlite3_value_text(values[0]) else {
                    sqlite3_result_null(context)
                    return
                }
                let text = SearchColumn.text(String(cString: raw), kind: Int(sqlite3_value_int(values[1])))
                sqlite3_result_text(context, text, -1, tidings_sqlite_transient())
            }, nil, nil, nil)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Calls `handler` after each commit with the number of pages in the write-ahead log, in place of
    /// SQLite's own checkpoints after commits; when it answers true, the log is checkpointed (passively) on
    /// this connection before the commit returns.
    func onCommit(walPages handler: @escaping (Int) -> Bool) {
        let box = CommitHook(handler)
        commitHook = box
        sqlite3_wal_hook(
            handle,
            { context, connection, _, pages in
                guard let context, Unmanaged<CommitHook>.fromOpaque(context).takeUnretainedValue().handler(Int(pages))
                else { return SQLITE_OK }
                // A failure here (a reader holding the log) only leaves the log longer.
                sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                return SQLITE_OK
            }, Unmanaged.passUnretained(box).toOpaque())
    }

    private final class CommitHook {
        let handler: (Int) -> Bool
        init(_ handler: @escaping (Int) -> Bool) { self.handler = handler }
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(StoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw .sqlite(path: path, code: code, message: text, statement: sql)
        }
    }

    /// Runs a statement with arguments and returns its rows; statements are prepared once and cached.
    @discardableResult
    func query(_ sql: String, _ arguments: [SQLValue] = []) throws(StoreError) -> [Row] {
        var rows: [Row] = []
        try forEachRow(sql, arguments) { rows.append($0) }
        return rows
    }

    /// Runs `body` in one transaction: all of it is committed, or none of it. Inside another transaction it
    /// joins the outer one, which then commits nothing if this one fails, even when its caller goes on.
    ///
    /// Not a savepoint: SQLite copies every page a savepoint changes to a temporary file first, in case it
    /// is undone alone, and no caller undoes one alone. Storing a source's entries inside a batch wrote
    /// 2 MB there per source: 2 GB in a cold refresh of 1,000 sources.
    func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let outermost = transactionDepth == 0
        if outermost {
            try execute("BEGIN IMMEDIATE")
            innerFailure = nil
        }
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do throws(StoreError) {
            let result = try body()
            if outermost {
                if let innerFailure { throw innerFailure }
                try execute("COMMIT")
            }
            return result
        } catch {
            if outermost {
                try? execute("ROLLBACK")
            } else {
                innerFailure = innerFailure ?? error
            }
            throw error
        }
    }

    /// Starts a query whose rows are read one at a time with `Cursor.next()`. It has a statement of its own,
    /// so other queries can run while it is open (on the same thread).
    func cursor(_ sql: String, _ arguments: [SQLValue] = []) throws(StoreError) -> Cursor {
        var pointer: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &pointer, nil)
        guard code == SQLITE_OK, let pointer else { throw error(code, sql) }
        let statement = Statement(pointer: pointer)
        try statement.bind(arguments, database: self)
        return Cursor(statement: statement, database: self, sql: sql)
    }

    /// Runs a query and hands its rows to `body` one at a time, for results too large to hold at once.
    func forEachRow(_ sql: String, _ arguments: [SQLValue] = [], _ body: (Row) throws(StoreError) -> Void)
        throws(StoreError)
    {
        let statement = try prepared(sql)
        defer { statement.reset() }
        try statement.bind(arguments, database: self)
        while true {
            let code = sqlite3_step(statement.pointer)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw error(code, sql) }
            try body(statement.row())
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    private func prepared(_ sql: String) throws(StoreError) -> Statement {
        if let statement = statements[sql] { return statement }
        var pointer: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &pointer, nil)
        guard code == SQLITE_OK, let pointer else { throw error(code, sql) }
        let statement = Statement(pointer: pointer)
        statements[sql] = statement
        return statement
    }

    fileprivate func error(_ code: Int32, _ sql: String) -> StoreError {
        .sqlite(path: path, code: code, message: String(cString: sqlite3_errmsg(handle)), statement: sql)
    }
}

/// The rows of one query, read one at a time; the statement is finalised with the cursor.
final class Cursor {
    private let statement: Statement
    private let database: Database
    private let sql: String
    private var finished = false

    fileprivate init(statement: Statement, database: Database, sql: String) {
        self.statement = statement
        self.database = database
        self.sql = sql
    }

    /// The next row, or nil once there are no more.
    func next() throws(StoreError) -> Row? {
        guard !finished else { return nil }
        let code = sqlite3_step(statement.pointer)
        if code == SQLITE_ROW { return statement.row() }
        finished = true
        statement.reset()
        if code == SQLITE_DONE { return nil }
        throw database.error(code, sql)
    }
}

/// A prepared statement, finalised when the connection drops it.
private final class Statement {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { sqlite3_finalize(pointer) }

    func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    func bind(_ values: [SQLValue], database: Database) throws(StoreError) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(pointer, index)
            case .integer(let number): code = sqlite3_bind_int64(pointer, index, number)
            case .real(let number): code = sqlite3_bind_double(pointer, index, number)
            case .text(let text): code = sqlite3_bind_text(pointer, index, text, -1, tidings_sqlite_transient())
            }
            guard code == SQLITE_OK else { throw database.error(code, "binding argument \(index)") }
        }
    }

    func row() -> Row {
        let count = sqlite3_column_count(pointer)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            switch sqlite3_column_type(pointer, column) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(pointer, column)))
            case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(pointer, column)))
            case SQLITE_NULL: values.append(.null)
            default:
                let text = sqlite3_column_text(pointer, column).map { String(cString: $0) } ?? ""
                values.append(.text(text))
            }
        }
        return Row(values: values)
    }
}

/// One result row, read by column position in the order the query names them.
struct Row {
    let values: [SQLValue]

    func int(_ column: Int) -> Int? {
        if case .integer(let value) = values[column] { return Int(value) }
        return nil
    }

    func string(_ column: Int) -> String? {
        if case .text(let value) = values[column] { return value }
        return nil
    }
}
