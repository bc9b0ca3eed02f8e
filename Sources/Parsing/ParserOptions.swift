import Foundation

/// Per-source parsing settings, each with the default that suits most feeds.
public struct ParserOptions: Sendable, Equatable {
    /// The offset for timestamps that carry none; UTC when nil.
    public var naiveTimeZone: TimeZone?
    /// The character encoding to read the document in, whatever it declares (for feeds that lie).
    public var encoding: String?
    /// The most bytes a document's internal entities may expand to.
    public var entityExpansionLimit: Int

    public init(naiveTimeZone: TimeZone? = nil, encoding: String? = nil, entityExpansionLimit: Int = 1_000_000) {
        self.naiveTimeZone = naiveTimeZone
        self.encoding = encoding
        self.entityExpansionLimit = entityExpansionLimit
    }
}
