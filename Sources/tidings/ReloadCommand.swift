import ArgumentParser
import Foundation
import Service
import Tidings

struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Ask the running daemon to read feeds.yaml again.",
        discussion: """
            The same as SIGHUP (systemctl reload tidings). A file with errors is refused and the daemon keeps \
            its running configuration; this command then exits 78. Exits 1 when no daemon runs for this store.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try options.load(secrets: .skip)
        do {
            let socket = ControlSocket.path(forDatabase: config.databaseFile)
            guard let client = try ControlClient.connect(path: socket) else {
                throw fail("no daemon is running for \(config.databaseFile.path) (nothing listens on \(socket))")
            }
            let (status, text) = try client.perform(.reload) { print($0) }
            print(text)
            if status != 0 { throw ExitCode(status) }
        } catch let error as DaemonError {
            throw fail(error)
        }
    }
}
