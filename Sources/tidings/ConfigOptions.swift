import ArgumentParser
import Foundation
import Tidings

/// The `--config` option every command takes.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file.", valueName: "path"))
    var config: String = "feeds.yaml"

    /// Loads the configuration, or ends the command with the reason and EX_CONFIG (78). `secrets`: `.skip` for a
    /// command that fetches nothing (it must work without the service's environment and credentials).
    func load(secrets: Config.SecretReading, warns: Bool = true) throws -> Config {
        do {
            let loaded = try Config.load(from: URL(fileURLWithPath: config), secrets: secrets)
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
