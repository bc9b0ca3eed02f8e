import Foundation

/// Fixture files live in `Fixtures/` beside the test file that uses them.
public struct Fixtures: Sendable {
    public let folder: URL

    /// `Fixtures(#filePath)` from a test file.
    public init(_ testFile: String = #filePath) {
        folder = URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    public func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    public func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: url(name))) }

    public func text(_ name: String) throws -> String { try String(contentsOf: url(name), encoding: .utf8) }

    /// The fixture files with the given extension, sorted, for table-driven tests; never empty.
    public func names(withExtension ext: String, in subfolder: String = "") -> [String] {
        let directory = subfolder.isEmpty ? folder : folder.appendingPathComponent(subfolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let found = names.filter { $0.hasSuffix("." + ext) }.sorted().map { subfolder.isEmpty ? $0 : subfolder + "/" + $0 }
        // A table-driven test over an empty (or mistyped) folder must fail, not pass with no case: the one
        // name given then is a file that does not exist, and reading it fails the test with this name.
        return found.isEmpty ? ["(no .\(ext) fixtures in \(directory.path))"] : found
    }

    /// Set `TIDINGS_RECORD=1` to rewrite golden files from the current output; a recording run fails.
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["TIDINGS_RECORD"] == "1" }

    /// The package root, for tests that run the built `tidings` binary.
    public static func packageRoot(_ testFile: String = #filePath) -> URL {
        var url = URL(fileURLWithPath: testFile).deletingLastPathComponent()
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url = url.deletingLastPathComponent()
        }
        return url
    }
}
