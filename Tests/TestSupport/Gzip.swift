import Foundation

/// Gzip-compressed bodies for tests, made by the system's `gzip` (in every Debian base install).
public enum Gzip {
    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = try TemporaryDirectory()
        let file = try input.write(String(decoding: bytes, as: UTF8.self), to: "body")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}
