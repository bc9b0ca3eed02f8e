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
    public var etag: String?
    public var lastModified: String?
    public var contentType: String?
    public var outcome: Outcome
    public var durationSeconds: Double

    public init(
        key: String, requestedURL: String, finalURL: String, status: Int?, etag: String? = nil,
        lastModified: String? = nil, contentType: String? = nil, outcome: Outcome, durationSeconds: Double = 0
    ) {
        self.key = key
        self.requestedURL = requestedURL
        self.finalURL = finalURL
        self.status = status
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
        self.outcome = outcome
        self.durationSeconds = durationSeconds
    }
}
