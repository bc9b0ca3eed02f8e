import ServiceLifecycle
import UnixSignals

/// SIGHUP, the usual "read your configuration again" (systemd's `ExecReload=` sends it): handed to the loop.
struct ReloadSignal: Service {
    let reload: @Sendable () -> Void

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() { reload() }
    }
}
