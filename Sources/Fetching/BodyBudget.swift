import Synchronization

/// How many body bytes the fetcher holds at once — arriving in running transfers, and finished but not yet
/// taken by their caller — so that memory does not grow with the size of the documents a corpus happens to
/// have (16 transfers of documents near the 16 MiB limit, and as many waiting, would be half a gigabyte).
/// Past the budget, transfers are paused (libcurl keeps their connections and delivers the bytes later),
/// except the one with the most bytes of a caller that keeps up: something must finish to free room, and a
/// caller whose parse waits on a fetch of its own (feed discovery) must not wait on another's backlog. So
/// at most about budget + one body arrive, and about budget + one body wait per caller.
final class BodyBudget: Sendable {
    let limit: Int
    private let waiting = Mutex(0)
    /// Whether transfers wait to be resumed: only then does a result taken need to wake the transfer thread.
    private let pausing = Mutex(false)

    init(limit: Int) {
        self.limit = limit
    }

    var waitingBytes: Int { waiting.withLock { $0 } }

    func delivered(_ bytes: Int) { waiting.withLock { $0 += bytes } }

    func taken(_ bytes: Int) { waiting.withLock { $0 -= bytes } }

    var hasPaused: Bool { pausing.withLock { $0 } }

    func notePaused(_ any: Bool) { pausing.withLock { $0 = any } }
}

/// The transfer thread's side of the budget: which transfers may take more bytes now, and which wait.
final class BodyGate {
    let budget: BodyBudget
    /// Each running transfer's body so far, and whether its caller keeps up (has room to wait its results).
    private var arriving: [ObjectIdentifier: (bytes: Int, callerKeepsUp: Bool)] = [:]
    private(set) var paused: [ObjectIdentifier: UnsafeMutableRawPointer] = [:]

    init(budget: BodyBudget) {
        self.budget = budget
    }

    func started(_ transfer: ObjectIdentifier) { arriving[transfer] = (0, true) }

    func finished(_ transfer: ObjectIdentifier) {
        arriving[transfer] = nil
        paused[transfer] = nil
    }

    /// Whether `transfer` (holding `held` bytes) may take `incoming` more; if not, it is noted as paused.
    func mayReceive(_ transfer: ObjectIdentifier, handle: UnsafeMutableRawPointer, held: Int, incoming: Int,
                    callerKeepsUp: Bool) -> Bool {
        arriving[transfer] = (held, callerKeepsUp)
        let total = arriving.values.reduce(0) { $0 + $1.bytes } + budget.waitingBytes
        let leader = arriving.values.filter(\.callerKeepsUp).map(\.bytes).max() ?? 0
        guard total + incoming <= budget.limit || (callerKeepsUp && held >= leader) else {
            paused[transfer] = handle
            budget.notePaused(true)
            return false
        }
        arriving[transfer] = (held + incoming, callerKeepsUp)
        return true
    }

    /// The paused transfers, to be resumed once room may have been freed (they are asked again).
    func takePaused() -> [UnsafeMutableRawPointer] {
        defer {
            paused = [:]
            budget.notePaused(false)
        }
        return Array(paused.values)
    }
}
