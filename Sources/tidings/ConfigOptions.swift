import ArgumentParser
import Foundation
import Tidings

/// The `--config` option every command takes.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The configuration file (default: feeds.yaml in this folder, else /etc/tidings/feeds.yaml, the packaged one).",
            valueName: "path"))
    var config: String?

    /// Where the packages install the configuration: commands find it from any folder without --config.
    static let systemFile = "/etc/tidings/feeds.yaml"

    /// The file used: the one named, else feeds.yaml here, else the system's (when neither exists, the error
    /// names feeds.yaml here).
    var file: String {
        if let config { return config }
        let here = "feeds.yaml"
        if !FileManager.default.fileExists(atPath: here), FileManager.default.fileExists(atPath: Self.systemFile) {
            return Self.systemFile
        }
        return here
    }

    /// Loads the configuration, or ends the command with the reason and EX_CONFIG (78). `secrets`: `.skip` for a
    /// command that fetches nothing (it must work without the service's environment and credentials).
    func load(secrets: Config.SecretReading, warns: Bool = true) throws -> Config {
        do {
            let loaded = try Config.load(from: URL(fileURLWithPath: file), secrets: secrets)
            for warning in loaded.warnings where warns {
                FileHandle.standardError.write(Data("tidings: warning: \(warning)\n".utf8))
            }
            return loaded
        } catch {
            // Every problem of the file, one per line.
            for problem in error.problems {
                FileHandle.standardError.write(Data("tidings: \(problem.description)\n".utf8))
            }
            throw ExitCode(78)
        }
    }
}

/// Ends a command on an error the user must fix (the store or output folder is unusable).
func fail(_ error: any Error) -> ExitCode {
    fail("\(error)")
}

func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("tidings: \(message)\n".utf8))
    return ExitCode.failure
}
