import Fetching
import Foundation
import Yams

/// The HTTP options of `fetch:` (every source's defaults) and of each source: `user_agent`, `headers`,
/// `cookie`, `http_version`, `proxy`, `ca_file`. A header's value, the cookie and the proxy may be secrets,
/// written as `{ env: NAME }`, `{ file: PATH }` or `{ credential: NAME }` instead of the value itself; no
/// message about them ever quotes the value.
extension ConfigReader {
    static let httpFields = ["user_agent", "headers", "cookie", "http_version", "proxy", "ca_file"]
    static let secretKinds = ["env", "file", "credential"]
    /// The longest secret read from a file or the environment.
    static let longestSecret = 16_384

    /// Each field is checked on its own; a wrong one is reported and left unset.
    func httpOptions(_ fields: [String: Node], label: String) -> HTTPOptions {
        var options = HTTPOptions()
        options.userAgent = value { () throws(ConfigError) in try userAgent(fields["user_agent"], field: "\(label).user_agent") }
        if let node = fields["headers"] {
            options.headers = checking { () throws(ConfigError) in try headers(node, label: "\(label).headers") } ?? []
        }
        options.cookie = value { () throws(ConfigError) in try cookie(fields["cookie"], field: "\(label).cookie") }
        options.version = value { () throws(ConfigError) in
            try fields["http_version"].flatMap { node throws(ConfigError) in
                try httpVersion(node, field: "\(label).http_version")
            }
        }
        options.proxy = value { () throws(ConfigError) in try proxy(fields["proxy"], field: "\(label).proxy") }
        options.caFile = value { () throws(ConfigError) in try caFile(fields["ca_file"], field: "\(label).ca_file") }
        return options
    }

    private func userAgent(_ node: Node?, field: String) throws(ConfigError) -> String? {
        guard let node, let text = try string(node, field: field) else { return nil }
        guard !text.isEmpty, HTTPOptions.isHeaderValue(text) else {
            throw invalid(node, field, "expected one line of text, e.g. Mozilla/5.0 (compatible; Tidings)")
        }
        return text
    }

    private func headers(_ node: Node, label: String) throws(ConfigError) -> [HTTPOptions.Header] {
        guard case .mapping(let mapping) = node else {
            throw invalid(node, label, "expected a mapping of header names to values, e.g. X-Planet: members")
        }
        var headers: [HTTPOptions.Header] = []
        var seen = Set<String>()
        for (nameNode, valueNode) in mapping {
            let name = nameNode.string ?? ""
            let field = "\(label).\(name)"
            let checked = checking { () throws(ConfigError) -> HTTPOptions.Header? in
                guard HTTPOptions.isHeaderName(name) else {
                    throw invalid(nameNode, field, "is not a header name (letters, digits and -, no spaces or colons)")
                }
                if let reason = HTTPOptions.refusedHeaders[name.lowercased()] {
                    throw invalid(nameNode, field, "cannot be set: \(reason)")
                }
                guard seen.insert(name.lowercased()).inserted else {
                    throw invalid(nameNode, field, "is given twice (header names are compared without case)")
                }
                guard let value = try secret(valueNode, field: field) else {
                    throw invalid(valueNode, field, "has no value; remove the header or give it one")
                }
                if name.lowercased() == "authorization", case .scalar = valueNode {
                    warnLiteral(valueNode, field)
                }
                return HTTPOptions.Header(name: name, value: value)
            }
            if let header = checked.flatMap({ $0 }) { headers.append(header) }
        }
        return headers
    }

    private func cookie(_ node: Node?, field: String) throws(ConfigError) -> String? {
        guard let node, let text = try secret(node, field: field) else { return nil }
        guard case .scalar = node else { return text }
        warnLiteral(node, field)
        guard !text.isEmpty else { throw invalid(node, field, "is empty; write name=value, e.g. session=…") }
        return text
    }

    private func httpVersion(_ node: Node, field: String) throws(ConfigError) -> HTTPOptions.Version? {
        guard let text = try string(node, field: field) else { return nil }
        switch text {
        case "1.1": return .http1_1
        case "2", "2.0": return .http2
        default: throw invalid(node, field, "'\(text)' is not 1.1 or 2")
        }
    }

    /// `none` (no proxy, whatever the environment says) or an http, https, socks5 or socks5h URL.
    private func proxy(_ node: Node?, field: String) throws(ConfigError) -> HTTPOptions.Proxy? {
        guard let node, let text = try secret(node, field: field) else { return nil }
        if text == "none" { return .direct }
        if text.isEmpty, case .mapping = node { return .url("") }  // not read (see `SecretReading`)
        // The value may be a secret (it may hold a password): the messages describe it, never quote it.
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw invalid(node, field, "is not a URL; write e.g. http://proxy.example:3128, socks5h://host:1080 or none")
        }
        guard ["http", "https", "socks5", "socks5h"].contains(scheme) else {
            throw invalid(node, field, "uses the scheme \(scheme); a proxy is http, https, socks5 or socks5h")
        }
        if components.password != nil, case .scalar = node { warnLiteral(node, field) }
        return .url(text)
    }

    private func caFile(_ node: Node?, field: String) throws(ConfigError) -> String? {
        guard let node, let url = try localPath(node, field: field) else { return nil }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw invalid(node, field, "cannot read \(url.path): no such file, or not readable by this user")
        }
        guard let head = FileHandle(forReadingAtPath: url.path).flatMap({ try? $0.read(upToCount: 65_536) }),
            String(decoding: head, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----")
        else {
            throw invalid(node, field, "\(url.path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return url.path
    }

    /// Text as given, or read from where `{ env: NAME }`, `{ file: PATH }` or `{ credential: NAME }` says: a
    /// file's one trailing line break is dropped. The value must fit in a header (one line).
    func secret(_ node: Node, field: String) throws(ConfigError) -> String? {
        let text: String?
        if case .mapping = node {
            problems.refersToSecrets = true
            let fields = try mapping(node, field: field, allowed: Self.secretKinds)
            guard fields.count == 1, let entry = fields.first,
                let name = try string(entry.value, field: "\(field).\(entry.key)"), !name.isEmpty
            else {
                throw invalid(node, field, "write exactly one of { env: NAME }, { file: PATH } or { credential: NAME }")
            }
            text = try resolve(kind: entry.key, name: name, node: entry.value, field: "\(field).\(entry.key)")
        } else {
            text = try string(node, field: field)
        }
        guard let text else { return nil }
        if text.isEmpty, case .mapping = node { return text }  // not read (see `SecretReading`)
        guard HTTPOptions.isHeaderValue(text) else {
            throw invalid(node, field, "the value holds a line break or another control character; it must be one line")
        }
        return text
    }

    private func resolve(kind: String, name: String, node: Node, field: String) throws(ConfigError) -> String {
        if kind == "credential", name.contains("/") || name == "." || name == ".." {
            throw invalid(node, field, "'\(name)' is not a credential's name (no slashes)")
        }
        if secretReading == .skip { return "" }
        switch read(kind: kind, name: name, node: node, field: field) {
        case .success(let value):
            return value
        case .failure(let unavailable) where secretReading == .check:
            // `tidings check` run by hand lacks what the service is given (its environment, its credentials):
            // said, not refused; the service's own check and start refuse it.
            problems.warnings.append(
                (node.mark?.line ?? 0, "\(unavailable.description) (the service must be able to read it)"))
            return ""
        case .failure(let unavailable):
            throw unavailable
        }
    }

    /// The secret's value, or why it is not available here (not set, no such file); a value that cannot be used
    /// (a line break, too long) is thrown.
    private func read(kind: String, name: String, node: Node, field: String) -> Result<String, ConfigError> {
        switch kind {
        case "env":
            guard let value = environment[name] else {
                return .failure(invalid(node, field, "the environment variable \(name) is not set"))
            }
            guard !value.isEmpty else { return .failure(invalid(node, field, "the environment variable \(name) is empty")) }
            return .success(value)
        case "credential":
            guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
                return .failure(
                    invalid(
                        node, field,
                        "$CREDENTIALS_DIRECTORY is not set: systemd sets it for a service with LoadCredential=\(name):PATH;"
                            + " outside the service, set it to the folder that holds the file \(name)"))
            }
            return readSecretFile(URL(fileURLWithPath: directory).appendingPathComponent(name), node: node, field: field)
        default:
            return readSecretFile(URL(fileURLWithPath: name, relativeTo: folder).standardizedFileURL, node: node, field: field)
        }
    }

    private func readSecretFile(_ url: URL, node: Node, field: String) -> Result<String, ConfigError> {
        guard let handle = FileHandle(forReadingAtPath: url.path),
            let data = try? handle.read(upToCount: Self.longestSecret + 3)
        else {
            return .failure(invalid(node, field, "cannot read \(url.path): no such file, or not readable by this user"))
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\r\n") { text.removeLast(2) } else if text.hasSuffix("\n") { text.removeLast() }
        guard text.utf8.count <= Self.longestSecret else {
            return .failure(invalid(node, field, "\(url.path) is longer than \(Self.longestSecret) bytes; a header value is not"))
        }
        guard !text.isEmpty else { return .failure(invalid(node, field, "\(url.path) is empty")) }
        return .success(text)
    }

    /// A secret written into `feeds.yaml` itself works, but the file is often readable by every user or kept
    /// in git: say so, with the line.
    private func warnLiteral(_ node: Node, _ field: String) {
        let line = node.mark?.line ?? 0
        problems.warnings.append(
            (line, "\(path):\(line): \(field): the value is written in the configuration file, which is often"
                + " readable by every user or kept in git; write { credential: NAME } (systemd's LoadCredential=),"
                + " { env: NAME } or { file: PATH } instead"))
    }
}
