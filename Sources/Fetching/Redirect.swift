/// One redirect the fetcher followed.
public struct Redirect: Sendable, Equatable {
    public var status: Int
    public var from: String
    public var to: String

    public init(status: Int, from: String, to: String) {
        self.status = status
        self.from = from
        self.to = to
    }

    /// 301 and 308 say the resource has moved for good; 302, 303 and 307 only for this request.
    public var isPermanent: Bool { status == 301 || status == 308 }
}

extension Array where Element == Redirect {
    /// Where the document has moved for good: the end of the leading run of permanent redirects, or nil
    /// when the first redirect is a temporary one (what follows a temporary hop says nothing about the
    /// URL that was asked for).
    public var permanentTarget: String? {
        var target: String?
        for redirect in self {
            guard redirect.isPermanent else { break }
            target = redirect.to
        }
        return target
    }
}
