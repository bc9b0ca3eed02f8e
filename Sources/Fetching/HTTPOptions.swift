/// What one source's requests send beyond the defaults: the identity a CDN or bot wall wants to see, a
/// session's cookie or token, the protocol version a server accepts, the way out (a proxy) and the authority
/// that signed a private server's certificate. Values arrive resolved: where a secret came from is the
/// configuration's business; here it is only never printed (`description` says which fields are set, not
/// their values).
public struct HTTPOptions: Sendable, Equatable, CustomStringConvertible {
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public enum Version: String, Sendable, CaseIterable {
        /// HTTP/1.1 only: over TLS, HTTP/2 is not even offered.
        case http1_1 = "1.1"
        /// HTTP/2 where the server takes it: offered over TLS, and asked for over plain http too (an upgrade).
        case http2 = "2"
    }

    public enum Proxy: Sendable, Equatable {
        /// No proxy, even one the environment (`https_proxy`, …) names.
        case direct
        /// An http, https or socks5 proxy's URL, perhaps with a user and password.
        case url(String)
    }

    /// Replaces the global user agent.
    public var userAgent: String?
    /// Sent with every request, after Tidings' own (a header named like one of those replaces it).
    public var headers: [Header] = []
    /// The `Cookie` header's value: `name=value; other=value`.
    public var cookie: String?
    /// nil: HTTP/2 where TLS negotiates it, else HTTP/1.1 (libcurl's default).
    public var version: Version?
    /// nil: whatever the environment says (libcurl reads `http_proxy`, `https_proxy`, `no_proxy`).
    public var proxy: Proxy?
    /// A PEM file of certificate authorities trusted in place of the system's.
    public var caFile: String?
    /// The URL whose host the headers and cookie are for (nil: the request's own): they are not sent to
    /// another host a redirect leads to, nor over plain http after https.
    public var origin: String?

    public init(
        userAgent: String? = nil, headers: [Header] = [], cookie: String? = nil, version: Version? = nil,
        proxy: Proxy? = nil, caFile: String? = nil
    ) {
        self.userAgent = userAgent
        self.headers = headers
        self.cookie = cookie
        self.version = version
        self.proxy = proxy
        self.caFile = caFile
    }

    /// These options over `defaults`: each set field replaces the default's, and headers replace the default's
    /// headers of the same name (case-insensitively), keeping the others.
    public func over(_ defaults: HTTPOptions) -> HTTPOptions {
        var merged = self
        merged.userAgent = userAgent ?? defaults.userAgent
        let own = Set(headers.map { $0.name.lowercased() })
        merged.headers = defaults.headers.filter { !own.contains($0.name.lowercased()) } + headers
        merged.cookie = cookie ?? defaults.cookie
        merged.version = version ?? defaults.version
        merged.proxy = proxy ?? defaults.proxy
        merged.caFile = caFile ?? defaults.caFile
        merged.origin = origin ?? defaults.origin
        return merged
    }

    /// Names the fields set, never their values (which may be secrets).
    public var description: String {
        var parts: [String] = []
        if userAgent != nil { parts.append("user agent") }
        if !headers.isEmpty { parts.append("headers \(headers.map(\.name).joined(separator: ", "))") }
        if cookie != nil { parts.append("cookie") }
        if let version { parts.append("HTTP \(version.rawValue)") }
        if proxy != nil { parts.append("proxy") }
        if caFile != nil { parts.append("CA file") }
        return parts.isEmpty ? "default HTTP options" : parts.joined(separator: "; ")
    }

    /// Headers a source may not set, by lowercased name, with why: libcurl or Tidings sends them from what
    /// it knows, or they describe one connection rather than the request.
    public static let refusedHeaders: [String: String] = [
        "host": "libcurl sends the URL's host; a different one would reach another site or none",
        "content-length": "a feed request has no body",
        "transfer-encoding": "a feed request has no body",
        "connection": "it is hop-by-hop: libcurl manages the connection",
        "keep-alive": "it is hop-by-hop: libcurl manages the connection",
        "proxy-connection": "it is hop-by-hop: libcurl manages the connection",
        "te": "it is hop-by-hop: libcurl manages the connection",
        "trailer": "it is hop-by-hop: libcurl manages the connection",
        "upgrade": "it is hop-by-hop; set http_version: 2 to ask for HTTP/2",
        "proxy-authorization": "put the proxy's user and password in the proxy URL (http://user:password@host:port)",
        "user-agent": "set user_agent instead",
        "cookie": "set cookie instead",
        "accept-encoding": "Tidings asks for gzip and deflate and decodes them itself",
        "if-none-match": "Tidings sends it from the last response's ETag",
        "if-modified-since": "Tidings sends it from the last response's Last-Modified",
    ]

    /// Whether `name` is a header name HTTP allows (a token: letters, digits and ``!#$%&'*+-.^_`|~``).
    public static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
    }

    /// Whether `value` can be sent in a header: no line breaks or other control characters but tab (a line
    /// break would start a header of its own).
    public static func isHeaderValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }
}
