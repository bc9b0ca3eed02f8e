import ArgumentParser
import Foundation
import Service
import Storage
import Tidings

struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Send a source's posts held from the front page to it.",
        discussion: """
            A new source's first fetch (beyond new_source_items) and a burst (a later fetch bringing far more new \
            posts than a source ever does, shown by `tidings status` and health.atom) keep posts off the front \
            page and the combined feeds; they are on their month pages. This sends them to the front: written \
            now when no daemon runs, else after the daemon's next round.
            """)

    @OptionGroup var options: ConfigOptions

    @Argument(help: "The key of the source.")
    var key: String

    func run() async throws {
        let config = try options.load(secrets: .skip)
        if let unknown = config.unknownSources([key]) { throw ValidationError(unknown) }
        do {
            let refresh = Refresh(config: config)
            let store = try refresh.openStore()
            let released = try store.releaseHeld(of: key)
            let socket = ControlSocket.path(forDatabase: config.databaseFile)
            if FileManager.default.fileExists(atPath: socket) {
                print("\(key): \(released) posts released to the front page; the daemon publishes them after its next round")
            } else {
                let written = try refresh.publish(from: store).written.count
                print("\(key): \(released) posts released to the front page; \(written) files written")
            }
        } catch {
            throw fail(error)
        }
    }
}
