/// Why a fetch produced no document. Each case names the URL so a user can try it themselves.
public enum FetchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The connection failed: DNS, refused, TLS, timeout, reset, a file that does not exist.
    case transport(url: String, reason: String)
    /// The server answered with an error status.
    case http(url: String, status: Int)
    case tooLarge(url: String, limit: Int)

    public var description: String {
        switch self {
        case .transport(let url, let reason):
            return "\(url): \(reason)"
        case .http(let url, let status):
            return "\(url): HTTP \(status) \(Self.reason(status))"
        case .tooLarge(let url, let limit):
            return "\(url): the response is larger than the limit of \(limit) bytes"
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
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
