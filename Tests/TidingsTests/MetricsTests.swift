import Foundation
import Storage
import TestSupport
import Testing
import Tidings

/// `metrics_file:` is rewritten after each round in Prometheus' text format, its counters kept in the store
/// so they go on counting across runs.
@Suite struct MetricsTests {
    static let feed = """
        <rss version="2.0"><channel><title>T</title><link>https://t.example/</link>
        <item><title>One</title><link>https://t.example/1</link><guid>1</guid></item>
        </channel></rss>
        """

    /// The samples of a text-format file, by name with labels; comments checked for each metric.
    static func samples(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        var typed: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") { typed.insert(String(line.split(separator: " ")[2])) }
            if line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ")
            #expect(parts.count == 2, "\(line)")
            let name = String(parts[0])
            let base = String(name.prefix { $0 != "{" })
            #expect(
                typed.contains(base) || ["_bucket", "_sum", "_count"].contains { base.hasSuffix($0) },
                "\(name) has a TYPE")
            samples[name] = try #require(Double(String(parts[1])) as Double?, "\(line)")
        }
        return samples
    }

    @Test func countsEveryRoundAcrossRunsAndWritesTheFileWhole() async throws {
        let server = try LoopbackHTTPServer { request in
            if request.path == "/broken" { return .init(status: 404) }
            if request.headers["if-none-match"] == "\"1\"" { return .init(status: 304) }
            return .init(headers: [("ETag", "\"1\"")], body: Self.feed)
        }
        defer { server.stop() }
        let yaml = """
            metrics_file: metrics/tidings.prom
            sources:
              - key: fine
                url: \(server.url("/fine"))
              - key: broken
                url: \(server.url("/broken"))
            """
        let site = try TestSite(yaml)
        try FileManager.default.createDirectory(at: site.directory.file("metrics"), withIntermediateDirectories: true)
        _ = try await site.refresh.run(store: site.store, mode: .force)
        _ = try await site.refresh.run(store: site.store, mode: .force)
        // Another process on the same store (a timer's `tidings refresh`): the counters go on.
        let again = Refresh(config: try Config.load(from: site.directory.file("feeds.yaml")))
        let lastStarted = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let report = try await again.run(store: try again.openStore(), mode: .force)
        let lastEnded = Date()
        #expect(report.warnings.isEmpty)

        let text = try String(contentsOf: site.directory.file("metrics/tidings.prom"), encoding: .utf8)
        let samples = try Self.samples(text)
        #expect(samples["tidings_fetches_total{outcome=\"stored\"}"] == 1)
        #expect(samples["tidings_fetches_total{outcome=\"not_modified\"}"] == 2)
        #expect(samples["tidings_fetches_total{outcome=\"failed\"}"] == 3)
        #expect(samples["tidings_entries_stored_total{change=\"new\"}"] == 1)
        #expect(samples["tidings_rounds_total"] == 3)
        #expect(samples["tidings_sources"] == 2)
        #expect(samples["tidings_sources_failing"] == 1)
        #expect(samples["tidings_fetch_duration_seconds_count"] == 6)
        #expect(samples["tidings_fetch_duration_seconds_bucket{le=\"+Inf\"}"] == 6)
        #expect((samples["tidings_fetched_bytes_total"] ?? 0) >= Double(Self.feed.utf8.count))
        let buckets = samples.filter { $0.key.hasPrefix("tidings_fetch_duration_seconds_bucket") }
        #expect(buckets.count == 11)
        let lastRound = try #require(samples["tidings_last_round_timestamp_seconds"])
        #expect(
            (lastStarted.timeIntervalSince1970...lastEnded.timeIntervalSince1970).contains(lastRound),
            "the last round's end")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.directory.file("metrics").path)
        #expect(leftovers == ["tidings.prom"], "no temporary file left")
    }

    @Test func aMetricsFileThatCannotBeWrittenIsAWarningNotAFailure() async throws {
        let site = try TestSite(
            """
            metrics_file: no/such/folder/tidings.prom
            sources:
              - key: local
                url: file:///nonexistent/feed.xml
            """)
        let report = try await site.run()
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.contains("no/such/folder/tidings.prom") == true, "\(report.warnings)")
        #expect(FileManager.default.fileExists(atPath: site.directory.file("output/index.html").path))
    }
}
