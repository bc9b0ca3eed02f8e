import ServiceLifecycle
import UnixSignals

/// SIGHUP, the usual "read your configuration again" (systemd's `ExecReload=` sends it): handed to the loop.
struct ReloadSignal: Service, CustomStringConvertible {
    /// What the service group logs of it (its default would print every field: the whole configuration).
    var description: String { "SIGHUP, to reload" }

    let reload: @Sendable () -> Void

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() { reload() }
    }
}
