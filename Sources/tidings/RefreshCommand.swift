import ArgumentParser
import Foundation
import Service
import Synchronization
import Tidings

struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch every source once, store what is new, and write the outputs.",
        discussion: """
            Fetches every source (or the sources named) now, whatever the regular schedule says, but leaves alone a source the \
            server asked to wait (Retry-After), one backing off after failures, and one gone (HTTP 410); \
            --force fetches those too. Prints one line per source as it finishes: how many entries were new, \
            updated or unchanged, why it failed, or why it was skipped. When a daemon (`tidings run`) runs for \
            the same store, the daemon does the refresh and this command prints its lines; otherwise the \
            refresh runs here, and a second one waits for the first. Exits 0 when the refresh ran, even if \
            some sources failed; non-zero when the configuration, the database or the output folder cannot be used.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Also fetch sources told to wait, backing off, or gone.")
    var force = false

    @Argument(help: "Keys of the sources to fetch (every source when none is given).")
    var keys: [String] = []

    func run() async throws {
        let config = try options.load(secrets: .skip)
        if let unknown = config.unknownSources(keys) { throw ValidationError(unknown) }
        let progress = ProgressLine(total: keys.isEmpty ? config.sources.count : keys.count)
        do {
            let socket = ControlSocket.path(forDatabase: config.databaseFile)
            if let daemon = try ControlClient.connect(path: socket) {
                let (status, text) = try daemon.perform(.refresh(force: force, keys: keys)) { progress.print($0) }
                progress.finish(text)
                if status != 0 { throw ExitCode(status) }
                return
            }
            let lock = try RefreshLock(beside: config.databaseFile) {
                progress.note("waiting for another refresh of \(config.databaseFile.path) to finish")
            }
            // No daemon to hand it to: this process fetches, with the secrets read (the file read again only when
            // it refers to any).
            let refresh = Refresh(config: config.refersToSecrets ? try options.load(secrets: .read, warns: false) : config)
            let store = try refresh.openStore()
            let report = try await refresh.run(
                store: store, mode: force ? .force : .all, only: keys.isEmpty ? nil : Set(keys),
                progress: { progress.print($0.summary) })
            withExtendedLifetime(lock) {}
            for warning in report.warnings { progress.print("warning: \(warning)") }
            progress.finish(report.summaryLine(folder: config.outputFolder.path))
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}

/// Each source's line as it finishes, on standard output (flushed, so a pipe sees it at once); on a
/// terminal also a short "12/120 sources" line on standard error, rewritten in place.
final class ProgressLine: Sendable {
    private let total: Int
    private let done = Mutex(0)
    private let onTerminal = isatty(STDERR_FILENO) == 1

    init(total: Int) {
        self.total = total
    }

    func print(_ line: String) {
        let count = done.withLock { count in
            count += 1
            return count
        }
        clear()
        Swift.print(line)
        fflush(nil)  // every stream: `stdout` itself is a global Swift cannot share
        if onTerminal { FileHandle.standardError.write(Data("\(count)/\(total) sources".utf8)) }
    }

    func note(_ text: String) {
        clear()
        FileHandle.standardError.write(Data("tidings: \(text)\n".utf8))
    }

    func finish(_ text: String) {
        clear()
        Swift.print(text)
        fflush(nil)  // every stream: `stdout` itself is a global Swift cannot share
    }

    private func clear() {
        if onTerminal { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
    }
}
