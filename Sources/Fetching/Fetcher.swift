internal import CCurl
import Foundation
import Synchronization

/// Fetches many documents at once on libcurl's multi interface. The transfer loop runs on a thread of
/// its own (libcurl blocks in poll); results come back as an `AsyncStream` in the order they finish,
/// so the caller can parse and store one while others are still downloading.
public final class Fetcher: Sendable {
    public let settings: FetchSettings

    public init(settings: FetchSettings = FetchSettings()) {
        Self.initializeLibcurl
        self.settings = settings
    }

    /// libcurl's global state must be set up once, before any other thread uses it.
    private static let initializeLibcurl: Void = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
    }()

    /// Starts every request and yields each result as it completes. Ending the stream early cancels
    /// the transfers still running.
    public func fetch(_ requests: [FetchRequest]) -> AsyncStream<FetchResult> {
        let (stream, continuation) = AsyncStream.makeStream(of: FetchResult.self, bufferingPolicy: .unbounded)
        let cancelled = CancellationFlag()
        continuation.onTermination = { _ in cancelled.cancel() }
        let settings = self.settings
        let thread = Thread {
            TransferLoop(settings: settings, cancelled: cancelled).run(requests) { continuation.yield($0) }
            continuation.finish()
        }
        thread.name = "tidings-fetcher"
        thread.start()
        return stream
    }

    /// Fetches one document; a convenience for commands that look at a single URL.
    public func fetch(_ request: FetchRequest) async -> FetchResult {
        for await result in fetch([request]) { return result }
        return FetchResult(
            key: request.key, requestedURL: request.url, finalURL: request.url, status: nil,
            outcome: .failed(.transport(url: request.url, reason: "cancelled")))
    }
}

final class CancellationFlag: Sendable {
    private let state = Mutex(false)
    func cancel() { state.withLock { $0 = true } }
    var isCancelled: Bool { state.withLock { $0 } }
}

/// The multi handle and the transfers on it, confined to the fetcher thread.
private struct TransferLoop {
    let settings: FetchSettings
    let cancelled: CancellationFlag

    func run(_ requests: [FetchRequest], deliver: (FetchResult) -> Void) {
        guard let multi = curl_multi_init() else {
            for request in requests { deliver(Self.failure(request, "libcurl could not start")) }
            return
        }
        defer { curl_multi_cleanup(multi) }
        tidings_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, settings.maxConnectionsPerHost)
        tidings_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, settings.maxConcurrentTransfers)

        var pending = requests[...]
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        while !cancelled.isCancelled {
            // Keep a bounded number of handles on the multi; libcurl queues those past the connection limits.
            while active.count < settings.maxConcurrentTransfers * 2, let request = pending.popFirst() {
                guard let transfer = Transfer(request: request, settings: settings) else {
                    deliver(Self.failure(request, "libcurl could not create a transfer"))
                    continue
                }
                active[transfer.handle] = transfer
                curl_multi_add_handle(multi, transfer.handle)
            }
            if active.isEmpty { break }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished(multi, active: &active, deliver: deliver)
            if running > 0 {
                var ready: Int32 = 0
                curl_multi_poll(multi, nil, 0, 200, &ready)
            }
        }
        for transfer in active.values { curl_multi_remove_handle(multi, transfer.handle) }
    }

    private func collectFinished(
        _ multi: UnsafeMutableRawPointer, active: inout [UnsafeMutableRawPointer: Transfer],
        deliver: (FetchResult) -> Void
    ) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = active.removeValue(forKey: handle)
            else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, handle)
            deliver(transfer.result(code: code))
        }
    }

    private static func failure(_ request: FetchRequest, _ reason: String) -> FetchResult {
        FetchResult(
            key: request.key, requestedURL: request.url, finalURL: request.url, status: nil,
            outcome: .failed(.transport(url: request.url, reason: reason)))
    }
}
