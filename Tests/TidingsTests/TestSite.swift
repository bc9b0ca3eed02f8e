import Storage
import TestSupport
import Tidings

/// A site made from a `feeds.yaml` text in a temporary folder, with its refresh and its store: the
/// setup every end-to-end refresh test needs.
struct TestSite {
    let directory: TemporaryDirectory
    let refresh: Refresh
    let store: Store

    init(_ feedsYAML: String) throws {
        directory = try TemporaryDirectory()
        refresh = Refresh(config: try Config.load(from: try directory.write(feedsYAML, to: "feeds.yaml")))
        store = try refresh.openStore()
    }

    func run(_ mode: Refresh.Mode = .all) async throws -> RefreshReport {
        try await refresh.run(store: store, mode: mode)
    }
}
