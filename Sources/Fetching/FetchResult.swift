/// What fetching one request produced.
public struct FetchResult: Sendable {
    public enum Outcome: Sendable {
        /// A fresh document.
        case fetched(body: [UInt8])
        /// 304: the stored copy is current.
        case notModified
        case failed(FetchError)
    }

    public var key: String
    public var requestedURL: String
    /// Where the document was finally found, after redirects.
    public var finalURL: String
    /// The HTTP status, or 200 for a local file; nil when no response arrived.
    public var status: Int?
    /// The headers of the last response, names lowercased.
    public var headers: [String: String]
    public var outcome: Outcome
    public var durationSeconds: Double
    /// The redirects followed on the way to `finalURL`, in order.
    public var redirects: [Redirect]
    /// How many body bytes arrived (after decompression).
    public var bytes: Int
    /// The start of an error response's body (at most 64 KiB), to recognise a bot challenge or login page.
    public var errorPage: [UInt8]

    public init(
        key: String, requestedURL: String, finalURL: String, status: Int?, headers: [String: String] = [:],
        outcome: Outcome, durationSeconds: Double = 0, redirects: [Redirect] = [], bytes: Int = 0,
        errorPage: [UInt8] = []
    ) {
        self.key = key
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.status = status
        self.headers = headers
        self.outcome = outcome
        self.durationSeconds = durationSeconds
        self.redirects = redirects
        self.bytes = bytes
        self.errorPage = errorPage
    }

    public var etag: String? { headers["etag"] }
    public var lastModified: String? { headers["last-modified"] }
    public var contentType: String? { headers["content-type"] }

    public var error: FetchError? {
        if case .failed(let error) = outcome { error } else { nil }
    }

    /// The bytes this result holds while it waits to be taken (see `BodyBudget`).
    public var heldBytes: Int {
        if case .fetched(let body) = outcome { body.count } else { errorPage.count }
    }
}
