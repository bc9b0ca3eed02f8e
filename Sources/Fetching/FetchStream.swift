import Synchronization

/// The results of one `Fetcher.fetch` call, in the order they finish. Taking a result from the stream
/// is what lets the fetcher start more transfers (see `FetchSettings.maxWaitingResults`), so a slow
/// consumer holds back downloading instead of piling up bodies in memory. Ending the iteration early
/// cancels the transfers still running.
public struct FetchStream: AsyncSequence, Sendable {
    let results: AsyncStream<FetchResult>
    let control: FetchControl

    public func makeAsyncIterator() -> Iterator {
        Iterator(results: results.makeAsyncIterator(), control: control)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var results: AsyncStream<FetchResult>.AsyncIterator
        let control: FetchControl

        public mutating func next() async -> FetchResult? {
            let result = await results.next()
            if let result { control.taken(bytes: result.heldBytes) }
            return result
        }
    }
}

/// Shared between the transfer thread and the consumer: how many results wait, and whether the
/// consumer has gone. The transfer thread is woken when the consumer goes, or when taking a result lets it
/// start transfers again (not at every result: most are taken while others run).
final class FetchControl: Sendable {
    private let state = Mutex((waiting: 0, waitingBytes: 0, cancelled: false))
    /// How many results may wait before no new transfer starts for this consumer.
    private let limit: Int
    /// And how many of their body bytes (see `BodyBudget`).
    private let budget: BodyBudget
    private let wake: @Sendable () -> Void

    init(limit: Int, budget: BodyBudget, wake: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.budget = budget
        self.wake = wake
    }

    func cancel() {
        state.withLock { $0.cancelled = true }
        wake()
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Whether the consumer is still there and keeps up: new transfers may start for it.
    var isReady: Bool { state.withLock { !$0.cancelled && $0.waiting < limit && $0.waitingBytes < budget.limit } }

    /// Whether the consumer's waiting bodies leave room for more: its running transfers may go on past the
    /// budget (see `BodyGate`).
    var keepsUp: Bool { state.withLock { $0.waitingBytes < budget.limit } }

    func delivered(bytes: Int) {
        state.withLock {
            $0.waiting += 1
            $0.waitingBytes += bytes
        }
        budget.delivered(bytes)
    }

    /// Taking a result may let transfers start, or paused ones resume: the transfer thread is woken when this
    /// consumer was held back, or when transfers are paused.
    func taken(bytes: Int) {
        let wasHeldBack = state.withLock { state in
            defer {
                state.waiting -= 1
                state.waitingBytes -= bytes
            }
            return state.waiting == limit || state.waitingBytes >= budget.limit
        }
        budget.taken(bytes)
        if wasHeldBack || budget.hasPaused { wake() }
    }
}
