import Foundation

/// How the HTML pages are made, from feeds.yaml's `pages:` section.
public struct PageSettings: Sendable, Equatable {
    /// The pages' `lang`.
    public var language = "en"
    /// The zone dates are shown in, and the month pages' days are grouped in.
    public var timeZone = TimeZone(identifier: "UTC")!
    public var dayOrder = DayOrder.calendar
    /// How many characters of a post's description the pages show, cut at a word.
    public var summaryLength = 300
    /// Whether the pages carry a search box, with the files it reads (`search/`, `search.js`).
    public var search = true

    public enum DayOrder: String, Sendable, CaseIterable {
        /// The first of the month first, as a diary reads (the seed digest pages).
        case calendar
        case newestFirst = "newest_first"
    }

    public init() {}
}
