/// Why a fetch produced no document. Each case names the URL so a user can try it themselves.
public enum FetchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The connection failed: DNS, refused, TLS, timeout, reset, a file that does not exist.
    case transport(url: String, reason: String)
    /// No response at all: the host could not be resolved or reached. When every source fails this
    /// way at once, the network is down rather than the servers.
    case unreachable(url: String, reason: String)
    /// The server answered with an error status.
    case http(url: String, status: Int)
    case tooLarge(url: String, limit: Int)
    case redirectLoop(chain: [String])
    case tooManyRedirects(url: String, limit: Int)
    /// A redirect to a scheme other than http or https (a `file:` URL, say).
    case refusedRedirect(from: String, to: String)

    public var description: String {
        switch self {
        case .transport(let url, let reason), .unreachable(let url, let reason):
            return "\(url): \(reason)"
        case .http(let url, let status):
            return "\(url): HTTP \(status) \(Self.reason(status))"
        case .tooLarge(let url, let limit):
            return "\(url): the response is larger than the limit of \(ByteCount.format(limit)) (\(limit) bytes)"
        case .redirectLoop(let chain):
            return "redirect loop: \(chain.joined(separator: " → "))"
        case .tooManyRedirects(let url, let limit):
            return "\(url): more than \(limit) redirects"
        case .refusedRedirect(let from, let to):
            return "\(from): refused a redirect to \(to): only http and https redirects are followed"
        }
    }

    /// Whether no server was reached at all.
    public var isUnreachable: Bool {
        if case .unreachable = self { true } else { false }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 407: return "Proxy Authentication Required"
        case 410: return "Gone"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return ""
        }
    }
}

/// Byte counts as people read them.
public enum ByteCount {
    public static func format(_ bytes: Int) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[unit])" : "\(rounded) \(units[unit])"
    }
}
