import Dispatch
import Synchronization

/// Copies the write-ahead log back into the database file mostly on a thread of its own, through a
/// connection of its own, so the store's writer rarely waits for it. SQLite's automatic checkpoints run
/// inside the commit that crosses the threshold, on the writer's thread, copy the whole log and wait for
/// two flushes to disk: 0.6 s of a cold refresh of 1,000 sources was its storing task waiting there.
///
/// The log can only start over once every page in it has been copied, and a background checkpoint never
/// catches up with a writer that keeps committing. So the background copies the bulk, and the writer's
/// next commit copies the few pages written meanwhile (with little left to flush), after which its next
/// transaction starts the log over.
final class Checkpointer: Sendable {
    /// Pages in the log (4 KB each) before it is copied back: 32 MB. Larger than SQLite's 4 MB default, so a
    /// page many transactions change (an index's, a count's) is copied once, not many times.
    static let threshold = 8192

    private enum State {
        case idle
        case copying
        /// The background copied what the log held when it started: the writer copies the rest.
        case copied
    }

    private let path: String
    private let threshold: Int
    private let queue = DispatchQueue(label: "tidings.checkpoint", qos: .utility)
    private let state = Mutex(State.idle)

    init(path: String, threshold: Int = Checkpointer.threshold) {
        self.path = path
        self.threshold = threshold
    }

    /// Told after each commit how many pages the log holds; true when the writer is to copy the rest now.
    func logGrew(to pages: Int) -> Bool {
        guard pages >= threshold else { return false }
        // However busy the background is, the log stays within a few thresholds.
        if pages >= threshold * 4 { return true }
        let start = state.withLock { state -> Bool? in
            switch state {
            case .idle:
                state = .copying
                return true
            case .copying:
                return nil
            case .copied:
                state = .idle
                return false
            }
        }
        guard let start else { return false }
        if start { queue.async { [self] in copy() } }
        return !start
    }

    private func copy() {
        // A failure (the disk, a reader holding the log) leaves the log longer; the writer copies it later.
        if let database = try? Database(path: path) {
            try? database.execute("PRAGMA wal_checkpoint(PASSIVE)")
        }
        state.withLock { $0 = .copied }
    }

    /// Waits for the checkpoint in progress, if any.
    func wait() {
        queue.sync {}
    }
}
