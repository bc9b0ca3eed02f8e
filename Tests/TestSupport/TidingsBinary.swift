import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The built `tidings` binary, run as a user would.
public enum TidingsBinary {
    public static var url: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "tidings")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Fixtures.packageRoot().appendingPathComponent(".build/debug/tidings")
    }

    public struct Run: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// Runs `tidings ARGUMENTS` in `folder` to its end.
    public static func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> Run {
        try run(program: url, arguments, in: folder, environment: environment)
    }

    /// Runs another program (a script of the project, a system tool) the same way.
    public static func run(
        program: URL, _ arguments: [String], in folder: URL, environment: [String: String] = [:]
    ) throws -> Run {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = folder
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            errors: String(decoding: err, as: UTF8.self))
    }

    /// A `tidings` process left running, its output collected as it comes.
    public final class Running: Sendable {
        public let process: Process
        private let output = Mutex(Data())
        private let errors = Mutex(Data())

        init(_ arguments: [String], in folder: URL) throws {
            process = Process()
            process.executableURL = TidingsBinary.url
            process.arguments = arguments
            process.currentDirectoryURL = folder
            let (out, err) = (Pipe(), Pipe())
            process.standardOutput = out
            process.standardError = err
            out.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                self?.output.withLock { $0.append(data) }
            }
            err.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                self?.errors.withLock { $0.append(data) }
            }
            try process.run()
        }

        public var outputText: String { output.withLock { String(decoding: $0, as: UTF8.self) } }
        public var errorText: String { errors.withLock { String(decoding: $0, as: UTF8.self) } }

        /// Waits, within `seconds`, until the process has said `text` on standard error.
        public func waitForErrors(containing text: String, seconds: TimeInterval) -> Bool {
            waitUntil(seconds: seconds) { errorText.contains(text) }
        }

        /// Waits for the process to end, within `seconds` (then it is killed), and its output to be read.
        public func finish(seconds: TimeInterval = 60) -> Run {
            if !waitUntil(seconds: seconds, { !process.isRunning }) { TidingsBinary.stop(process) }
            process.waitUntilExit()
            // What was written before the end may still be on its way to the handlers.
            for pipe in [process.standardOutput, process.standardError].compactMap({ $0 as? Pipe }) {
                pipe.fileHandleForReading.readabilityHandler = nil
                let rest = pipe.fileHandleForReading.readDataToEndOfFile()
                if pipe === process.standardOutput as? Pipe {
                    output.withLock { $0.append(rest) }
                } else {
                    errors.withLock { $0.append(rest) }
                }
            }
            return Run(status: process.terminationStatus, output: outputText, errors: errorText)
        }
    }

    /// Starts `tidings ARGUMENTS` in `folder`, leaving it running.
    public static func start(_ arguments: [String], in folder: URL) throws -> Running {
        try Running(arguments, in: folder)
    }

    /// SIGTERM, then SIGKILL if it has not stopped within ten seconds.
    public static func stop(_ process: Process) {
        process.terminate()
        let stopDeadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < stopDeadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
