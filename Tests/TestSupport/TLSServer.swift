import Foundation

/// An HTTPS server on 127.0.0.1 with a certificate from a certificate authority made for the test: OpenSSL's
/// own `s_server -WWW`, serving the files of `documents`, one connection at a time. `alpn` makes it insist
/// on protocols (`["h2"]`: it refuses a client that offers only HTTP/1.1).
public final class TLSServer: @unchecked Sendable {
    public let port: Int
    /// The PEM file of the authority that signed the server's certificate.
    public let authority: URL
    public let documents: URL
    private let process: Process

    public enum TLSServerError: Error, CustomStringConvertible {
        case openssl(String)

        public var description: String {
            switch self {
            case .openssl(let detail): "openssl (apt-get install openssl): \(detail)"
            }
        }
    }

    public init(in folder: URL, alpn: [String] = []) throws {
        let keys = folder.appendingPathComponent("tls")
        documents = folder.appendingPathComponent("documents")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: true)
        authority = keys.appendingPathComponent("ca.pem")
        try Self.openssl(
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
             "-out", "ca.pem", "-days", "2", "-subj", "/CN=Tidings test authority"], in: keys)
        try Self.openssl(
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key",
             "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: keys)
        try Data("subjectAltName=IP:127.0.0.1\n".utf8).write(to: keys.appendingPathComponent("names"))
        try Self.openssl(
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
             "server.pem", "-days", "2", "-extfile", "names"], in: keys)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["openssl", "s_server", "-WWW", "-accept", "127.0.0.1:0", "-cert", keys.appendingPathComponent("server.pem").path,
             "-key", keys.appendingPathComponent("server.key").path] + (alpn.isEmpty ? [] : ["-alpn", alpn.joined(separator: ",")])
        process.currentDirectoryURL = documents
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when it says where it listens; an exit (EOF) before that is a failure, not a wait.
        var said = ""
        while !said.split(separator: "\n").contains(where: { $0.hasPrefix("ACCEPT ") }) {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else {
                kill(process.processIdentifier, SIGKILL)
                throw TLSServerError.openssl("s_server exited before listening: \(said)")
            }
            said += String(decoding: data, as: UTF8.self)
        }
        guard let line = said.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
            let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        else {
            kill(process.processIdentifier, SIGKILL)
            throw TLSServerError.openssl("s_server said \(said)")
        }
        self.port = port
        // It says a little about each connection: read it so the pipe never fills.
        output.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
    }

    /// SIGKILL: it inherits the test process's blocked signals, SIGTERM among them. Not waited for: Foundation
    /// reaps it (and waiting from a test's thread can hang).
    deinit { kill(process.processIdentifier, SIGKILL) }

    public func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

    private static func openssl(_ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TLSServerError.openssl("\(arguments.prefix(2).joined(separator: " ")): \(String(decoding: said, as: UTF8.self))")
        }
    }
}
