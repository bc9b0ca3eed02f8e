internal import CCurl
import Foundation

/// Fetches many documents at once on libcurl's multi interface. The transfer loop runs on a thread of
/// its own (libcurl blocks in poll); results come back as a `FetchStream` in the order they finish,
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

    /// Starts the requests, within the global and per-site limits, and yields each result as it completes.
    public func fetch(_ requests: [FetchRequest]) -> FetchStream {
        let (stream, continuation) = AsyncStream.makeStream(of: FetchResult.self, bufferingPolicy: .unbounded)
        let control = FetchControl()
        continuation.onTermination = { _ in control.cancel() }
        let settings = self.settings
        let thread = Thread {
            TransferLoop(settings: settings, control: control).run(requests) { result in
                control.delivered()
                continuation.yield(result)
            }
            continuation.finish()
        }
        thread.name = "tidings-fetcher"
        thread.start()
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

/// The multi handle and the transfers on it, confined to the fetcher thread.
private struct TransferLoop {
    let settings: FetchSettings
    let control: FetchControl

    func run(_ requests: [FetchRequest], deliver: (FetchResult) -> Void) {
        guard let multi = curl_multi_init() else {
            for request in requests { deliver(Self.failure(request, "libcurl could not start")) }
            return
        }
        defer { curl_multi_cleanup(multi) }
        // HTTP/2 servers get one connection per host with the transfers multiplexed on it.
        tidings_multi_setopt_long(multi, CURLMOPT_PIPELINING, 2 /* CURLPIPE_MULTIPLEX */)
        tidings_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, settings.maxTransfersPerSite)
        tidings_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, settings.maxConcurrentTransfers)

        var queue = SiteQueue(requests, limitPerSite: settings.maxTransfersPerSite)
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        while !control.isCancelled {
            startTransfers(multi, from: &queue, active: &active, deliver: deliver)
            if active.isEmpty {
                if queue.isEmpty { break }
                // Every result so far waits for the caller: let it catch up before downloading more.
                Thread.sleep(forTimeInterval: 0.005)
                continue
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished(multi, queue: &queue, active: &active, deliver: deliver)
            if running > 0 {
                var ready: Int32 = 0
                curl_multi_poll(multi, nil, 0, 100, &ready)
            }
        }
        for transfer in active.values { curl_multi_remove_handle(multi, transfer.handle) }
    }

    /// Adds transfers while the global limit, the per-site limits and the caller's backlog allow.
    private func startTransfers(
        _ multi: UnsafeMutableRawPointer, from queue: inout SiteQueue,
        active: inout [UnsafeMutableRawPointer: Transfer], deliver: (FetchResult) -> Void
    ) {
        while active.count < settings.maxConcurrentTransfers,
            control.waiting < settings.maxWaitingResults,
            let (request, site) = queue.next()
        {
            guard let transfer = Transfer(request: request, site: site, settings: settings) else {
                queue.finished(site: site)
                deliver(Self.failure(request, "libcurl could not create a transfer"))
                continue
            }
            active[transfer.handle] = transfer
            curl_multi_add_handle(multi, transfer.handle)
        }
    }

    private func collectFinished(
        _ multi: UnsafeMutableRawPointer, queue: inout SiteQueue,
        active: inout [UnsafeMutableRawPointer: Transfer], deliver: (FetchResult) -> Void
    ) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = active[handle]
            else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, handle)
            switch transfer.finished(code: code) {
            case .follow:
                curl_multi_add_handle(multi, handle)
            case .done(let result):
                active[handle] = nil
                queue.finished(site: transfer.site)
                deliver(result)
            }
        }
    }

    private static func failure(_ request: FetchRequest, _ reason: String) -> FetchResult {
        FetchResult(
            key: request.key, requestedURL: request.url, finalURL: request.url, status: nil,
            outcome: .failed(.transport(url: request.url, reason: reason)))
    }
}
