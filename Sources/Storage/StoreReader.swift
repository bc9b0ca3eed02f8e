import Foundation

/// A second connection to a store's file, for reading on another thread than the store's own (the writer
/// renders months in parallel, each from a reader of its own). It never changes the file.
public final class StoreReader {
    let database: Database

    /// Opens the store at `path`, which must already exist (see `Store.path`).
    public init(path: String) throws(StoreError) {
        database = try Database(path: path)
        try database.execute("PRAGMA query_only = ON")
    }

    /// The entries of one UTC calendar month, newest first and without their bodies, read one at a time:
    /// a month of a large planet holds tens of thousands.
    public func entries(year: Int, month: Int) throws(StoreError) -> EntryCursor {
        let (start, end) = Store.monthBounds(year: year, month: month)
        let sql = Store.entriesQuery(where: "e.sort_date >= ? AND e.sort_date < ?", withBodies: false)
        return EntryCursor(try database.cursor(sql, [.integer(start), .integer(end), .integer(-1)]))
    }
}

extension Store {
    /// The file, for opening readers of it on other threads.
    public var path: String { database.path }
}

/// Stored entries read one at a time. It is an iterator that cannot throw: a failed read ends it, and
/// `error` says why, to be checked once the iteration is over.
public final class EntryCursor: IteratorProtocol {
    private let cursor: Cursor
    public private(set) var error: StoreError?

    init(_ cursor: Cursor) {
        self.cursor = cursor
    }

    public func next() -> StoredEntry? {
        guard error == nil else { return nil }
        do {
            return try cursor.next().map(Store.storedEntry)
        } catch {
            self.error = error
            return nil
        }
    }
}
