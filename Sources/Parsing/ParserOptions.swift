import Foundation
import XML

/// Per-source parsing settings, each with the default that suits most feeds.
public struct ParserOptions: Sendable, Equatable {
    /// What to do with entries dated after the fetch: publishers' clocks and time zones are often wrong,
    /// and a post "from next week" would otherwise stay on top of every feed until then.
    public enum FutureDates: String, Sendable, CaseIterable {
        /// Trust the date.
        case keep
        /// Move it back to the fetch time (the default).
        case clamp
        /// Ignore the feed's dates altogether; entries get their first-seen time.
        case ignoreDate = "ignore_date"
        /// Trust the date, but keep the entry off the feeds and pages until it comes (the store holds it; the
        /// first round after its date releases it).
        case hold
    }

    /// Where an entry's identity comes from, for feeds whose ids are hopeless (a new guid on every fetch).
    public enum IDSource: String, Sendable, CaseIterable {
        case guid
        case link
        case titleAndLink = "title+link"
    }

    /// The offset for timestamps that carry none; UTC when nil.
    public var naiveTimeZone: TimeZone?
    /// The character encoding to read the document in, whatever it declares (for feeds that lie).
    public var encoding: String?
    public var futureDates: FutureDates
    public var idSource: IDSource
    /// The most bytes a document's internal entities may expand to.
    public var entityExpansionLimit: Int

    public init(
        naiveTimeZone: TimeZone? = nil, encoding: String? = nil, futureDates: FutureDates = .clamp,
        idSource: IDSource = .guid, entityExpansionLimit: Int = 1_000_000
    ) {
        self.naiveTimeZone = naiveTimeZone
        self.encoding = encoding
        self.futureDates = futureDates
        self.idSource = idSource
        self.entityExpansionLimit = entityExpansionLimit
    }

    /// Whether `label` names an encoding Tidings can read, for checking a configuration early.
    public static func isSupportedEncoding(_ label: String) -> Bool {
        TextEncoding.isSupported(Charset.canonical(label))
    }
}
