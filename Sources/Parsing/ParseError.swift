/// Why a document yielded no feed at all. Recoverable problems are warnings on `ParsedFeed` instead.
public enum ParseError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty
    case notXML(reason: String)
    /// It starts like JSON but is not a JSON Feed.
    case invalidJSON(reason: String)
    /// An HTML page arrived where a feed was expected; `advertisedFeeds` are its `<link rel="alternate">`s.
    case htmlInsteadOfFeed(title: String?, advertisedFeeds: [String])
    case unknownFormat(rootElement: String)
    /// Refused on purpose: an entity-expansion attack, absurd nesting, a document past the size limit.
    case refused(reason: String)
    case invalidRule(field: String, expression: String)
    /// A blog page whose feed could not be found; `attempts` says what each candidate gave.
    case noFeedFound(attempts: [String])
    /// A login page or bot challenge answered where the feed was expected.
    case wall(FeedDiscovery.Wall)
    /// A source that has served its feed answered an HTML page (an error or maintenance page): a failed
    /// fetch, never a reason to look for, and adopt, another feed.
    case pageInsteadOfKnownFeed(title: String?)

    public var description: String {
        switch self {
        case .empty:
            return "the document is empty"
        case .notXML(let reason):
            return "the document is neither a feed nor HTML: \(reason)"
        case .invalidJSON(let reason):
            return "the document is not a JSON Feed: \(reason)"
        case .htmlInsteadOfFeed(let title, let feeds):
            var message = "got an HTML page"
            if let title, !title.isEmpty { message += " (\"\(title)\")" }
            message += " where a feed was expected"
            if feeds.isEmpty {
                message += "; the page advertises no feed: add `html:` extraction rules to follow it as a page"
            } else {
                message += "; the page advertises: " + feeds.joined(separator: ", ")
            }
            return message
        case .unknownFormat(let root):
            return "unknown document format: the root element is <\(root)>, not <rss>, <rdf:RDF> or <feed>"
        case .refused(let reason):
            return "refused: \(reason)"
        case .noFeedFound(let attempts):
            let tried = attempts.isEmpty ? "" : " (tried " + attempts.joined(separator: "; ") + ")"
            return "got an HTML page with no feed Tidings could find\(tried); add `html:` extraction rules to follow it"
                + " as a page"
        case .wall(let wall):
            return Self.wallMessage(wall)
        case .pageInsteadOfKnownFeed(let title):
            let named = title.map { $0.isEmpty ? "" : " (\"\($0)\")" } ?? ""
            return "answered an HTML page\(named) instead of the feed it has served before; not searched for"
                + " another feed (an error or maintenance page is retried later)"
        case .invalidRule(let field, let expression):
            return "the html rule '\(field)' (\(expression)) cannot be evaluated: check its XPath"
        }
    }

    /// Also used for a wall that came with an error status (403, 503).
    public static func wallMessage(_ wall: FeedDiscovery.Wall) -> String {
        switch wall {
        case .login:
            "got a login page instead of the feed: the feed needs signing in, or has moved behind one"
        case .botChallenge:
            "got a bot challenge page instead of the feed: the site blocks automated readers; ask its owner to let"
                + " feed readers through, or find another URL for the feed"
        }
    }
}
