internal import CCurl
import Foundation
import Synchronization

/// Fetches documents on libcurl's multi interface, one fetcher for the whole process: every caller
/// (polling, feed discovery, following articles) hands it requests and gets a `FetchStream` of results in
/// the order they finish, while the transfers of all callers share one multi handle on one thread. So the
/// global and per-site limits hold for the process, connections and DNS answers are reused from one call
/// to the next, and a caller's slow transfer holds back nobody else's.
public final class Fetcher: Sendable {
    let core: FetchCore

    public init(settings: FetchSettings = FetchSettings()) {
        Self.initializeLibcurl
        core = FetchCore(settings: settings)
    }

    /// libcurl's global state must be set up once, before any other thread uses it.
    private static let initializeLibcurl: Void = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    public var settings: FetchSettings { core.shared.withLock { $0.settings } }

    /// New limits and timeouts, for the transfers started from now on (a reloaded configuration).
    public func update(_ settings: FetchSettings) {
        core.shared.withLock { $0.settings = settings }
        core.multi.wakeup()
    }

    /// Queues the requests, within the global and per-site limits, and yields each result as it completes.
    /// Ending the iteration early cancels this call's transfers, queued and running.
    public func fetch(_ requests: [FetchRequest]) -> FetchStream {
        let (stream, continuation) = AsyncStream.makeStream(of: FetchResult.self, bufferingPolicy: .unbounded)
        let multi = core.multi
        let limit = core.shared.withLock { $0.settings.maxWaitingResults }
        let control = FetchControl(limit: limit, budget: core.budget, wake: { multi.wakeup() })
        continuation.onTermination = { _ in control.cancel() }
        core.submit(FetchBatch(requests: requests, control: control, continuation: continuation))
        return FetchStream(results: stream, control: control)
    }

    /// Fetches one document; a convenience for commands that look at a single URL.
    public func fetch(_ request: FetchRequest) async -> FetchResult {
        for await result in fetch([request]) { return result }
        return FetchResult(
            key: request.key, requestedURL: request.url, finalURL: request.url, status: nil,
            outcome: .failed(.transport(url: request.url, reason: "cancelled")))
    }
}

/// One caller's requests on their way to the transfer thread.
struct FetchBatch: Sendable {
    let requests: [FetchRequest]
    let control: FetchControl
    let continuation: AsyncStream<FetchResult>.Continuation
}

/// What the callers and the transfer thread share. The thread runs while there is work and ends when
/// every batch is done; the multi handle, with its connections and DNS cache, outlives it.
final class FetchCore: Sendable {
    struct Shared {
        var settings: FetchSettings
        var submitted: [FetchBatch] = []
        var loopRunning = false
    }

    let shared: Mutex<Shared>
    let multi = MultiHandle()
    let budget: BodyBudget

    init(settings: FetchSettings) {
        shared = Mutex(Shared(settings: settings))
        budget = BodyBudget(limit: settings.maxBufferedBytes)
    }

    func submit(_ batch: FetchBatch) {
        let startLoop = shared.withLock { shared in
            shared.submitted.append(batch)
            if shared.loopRunning { return false }
            shared.loopRunning = true
            return true
        }
        if startLoop {
            let thread = Thread { [self] in
                var loop = TransferLoop(core: self)
                loop.run()
            }
            thread.name = "tidings-fetcher"
            thread.start()
        } else {
            multi.wakeup()
        }
    }
}

/// libcurl's multi handle. `wakeup` may be called from any thread; everything else only from the transfer
/// thread.
final class MultiHandle: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer?

    init() {
        pointer = curl_multi_init()
        guard let pointer else { return }
        // HTTP/2 servers get one connection per host with the transfers multiplexed on it.
        tidings_multi_setopt_long(pointer, CURLMOPT_PIPELINING, 2 /* CURLPIPE_MULTIPLEX */)
    }

    func wakeup() {
        if let pointer { curl_multi_wakeup(pointer) }
    }

    deinit {
        if let pointer { curl_multi_cleanup(pointer) }
    }
}

/// The transfer thread's state: the queue of every caller's requests and the transfers running.
private struct TransferLoop {
    let core: FetchCore
    private var queue = SiteQueue(limitPerSite: 1)
    private var active: [UnsafeMutableRawPointer: (transfer: Transfer, batch: Int)] = [:]
    private var batches: [Int: (batch: FetchBatch, outstanding: Int)] = [:]
    private var nextBatch = 0
    private var settings: FetchSettings
    private let gate: BodyGate

    init(core: FetchCore) {
        self.core = core
        settings = core.shared.withLock { $0.settings }
        gate = BodyGate(budget: core.budget)
    }

    mutating func run() {
        guard let multi = core.multi.pointer else {
            failEverything()
            return
        }
        apply(settings, to: multi)
        while takeSubmissions(multi) {
            dropCancelledBatches(multi)
            startTransfers(multi)
            if !active.isEmpty {
                var running: Int32 = 0
                curl_multi_perform(multi, &running)
                collectFinished(multi)
                // Paused transfers ask again: room may have been freed (a result taken, a transfer done).
                for handle in gate.takePaused() { curl_easy_pause(handle, CURLPAUSE_CONT) }
                // What finished freed places for the next requests, before the wait.
                startTransfers(multi)
            }
            // Sleeps until a socket is ready, libcurl's next timeout, or a wakeup: a new batch, a cancelled
            // one, or a caller taking a result (which may let more transfers start).
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }

    /// Takes new batches and settings; false (the loop ends) when there is no work left at all.
    private mutating func takeSubmissions(_ multi: UnsafeMutableRawPointer) -> Bool {
        let idle = batches.isEmpty && active.isEmpty
        let taken: (batches: [FetchBatch], settings: FetchSettings)? = core.shared.withLock { shared in
            if idle && shared.submitted.isEmpty {
                shared.loopRunning = false
                return nil
            }
            defer { shared.submitted = [] }
            return (shared.submitted, shared.settings)
        }
        guard let taken else { return false }
        if taken.settings != settings { apply(taken.settings, to: multi) }
        for batch in taken.batches {
            let id = nextBatch
            nextBatch += 1
            if batch.requests.isEmpty {
                batch.continuation.finish()
                continue
            }
            batches[id] = (batch, batch.requests.count)
            queue.add(batch.requests, batch: id)
        }
        return true
    }

    private mutating func apply(_ settings: FetchSettings, to multi: UnsafeMutableRawPointer) {
        self.settings = settings
        queue.limitPerSite = max(1, settings.maxTransfersPerSite)
        tidings_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, settings.maxTransfersPerSite)
        tidings_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, settings.maxConcurrentTransfers)
    }

    /// The batches whose callers keep up: a caller with `maxWaitingResults` results not yet taken gets no
    /// new transfer, so bodies that arrive faster than they are parsed do not pile up in memory.
    private var readyBatches: Set<Int> {
        Set(
            batches.filter { $0.value.batch.control.isReady }
                .keys)
    }

    private mutating func dropCancelledBatches(_ multi: UnsafeMutableRawPointer) {
        for (id, entry) in batches where entry.batch.control.isCancelled {
            queue.remove(batch: id)
            for (handle, running) in active where running.batch == id {
                gate.finished(ObjectIdentifier(running.transfer))
                curl_multi_remove_handle(multi, handle)
                queue.finished(site: running.transfer.site)
                active[handle] = nil
            }
            entry.batch.continuation.finish()
            batches[id] = nil
        }
    }

    /// Adds transfers while the global limit, the per-site limits and the callers' backlogs allow.
    private mutating func startTransfers(_ multi: UnsafeMutableRawPointer) {
        var ready = readyBatches
        while active.count < settings.maxConcurrentTransfers, let (request, batch, site) = queue.next(ready: ready) {
            guard
                let transfer = Transfer(
                    request: request, site: site, settings: settings, gate: gate, control: batches[batch]?.batch.control)
            else {
                queue.finished(site: site)
                deliver(Self.failure(request, "libcurl could not create a transfer"), to: batch)
                ready = readyBatches
                continue
            }
            active[transfer.handle] = (transfer, batch)
            gate.started(ObjectIdentifier(transfer))
            curl_multi_add_handle(multi, transfer.handle)
        }
    }

    private mutating func collectFinished(_ multi: UnsafeMutableRawPointer) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let running = active[handle]
            else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, handle)
            switch running.transfer.finished(code: code) {
            case .follow:
                curl_multi_add_handle(multi, handle)
            case .done(let result):
                gate.finished(ObjectIdentifier(running.transfer))
                active[handle] = nil
                queue.finished(site: running.transfer.site)
                deliver(result, to: running.batch)
            }
        }
    }

    private mutating func deliver(_ result: FetchResult, to id: Int) {
        guard let entry = batches[id] else { return }
        entry.batch.control.delivered(bytes: result.heldBytes)
        entry.batch.continuation.yield(result)
        if entry.outstanding == 1 {
            entry.batch.continuation.finish()
            batches[id] = nil
        } else {
            batches[id]?.outstanding -= 1
        }
    }

    /// Without a multi handle nothing can be fetched: every request fails, and says why.
    private func failEverything() {
        let submitted = core.shared.withLock { shared in
            defer {
                shared.submitted = []
                shared.loopRunning = false
            }
            return shared.submitted
        }
        for batch in submitted {
            for request in batch.requests { batch.continuation.yield(Self.failure(request, "libcurl could not start")) }
            batch.continuation.finish()
        }
    }

    private static func failure(_ request: FetchRequest, _ reason: String) -> FetchResult {
        FetchResult(
            key: request.key, requestedURL: request.url, finalURL: request.url, status: nil,
            outcome: .failed(.transport(url: request.url, reason: reason)))
    }
}
