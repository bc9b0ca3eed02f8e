/// One document to fetch, with the validators from its last successful fetch.
public struct FetchRequest: Sendable, Equatable {
    /// The caller's name for this request (a source key), handed back on the result.
    public var key: String
    public var url: String
    public var etag: String?
    public var lastModified: String?
    /// `file:` URLs are allowed only for sources named in the local configuration, never via redirects.
    public var allowsFileScheme: Bool
    /// This request's own body limit, in place of the settings' one.
    public var maxBodyBytes: Int?
    /// The source's own user agent, headers, cookie, protocol version, proxy and CA file.
    public var http: HTTPOptions

    public init(
        key: String, url: String, etag: String? = nil, lastModified: String? = nil, allowsFileScheme: Bool = false,
        maxBodyBytes: Int? = nil, http: HTTPOptions = HTTPOptions()
    ) {
        self.http = http
        self.key = key
        self.url = url
        self.etag = etag
        self.lastModified = lastModified
        self.allowsFileScheme = allowsFileScheme
        self.maxBodyBytes = maxBodyBytes
    }
}
