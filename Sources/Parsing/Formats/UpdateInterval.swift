import Checked
import XML

/// What a feed says about how often to poll it and where to be pushed its updates.
enum UpdateInterval {
    /// RSS 2.0 `<ttl>` (minutes) or the syndication module's `sy:updatePeriod` divided by
    /// `sy:updateFrequency`; the longer of the two when both are given. Nonsense values are ignored.
    static func of(channel: Node) -> Duration? {
        var ttl: Duration?
        var period: Duration?
        var frequency = 1
        for child in channel.elementChildren {
            switch (child.name, child.namespaceURI) {
            case ("ttl", nil):
                // A ttl past a year means nothing a poller can honour, and minutes × 60 could overflow.
                if let minutes = Checked.integer(child.text), minutes > 0 {
                    ttl = .seconds(min(minutes, Self.longestTTLMinutes) * 60)
                }
            case ("updatePeriod", Namespace.syndication):
                period = Self.period(TextScan.trimmed(child.text).lowercased())
            case ("updateFrequency", Namespace.syndication):
                if let value = Checked.integer(child.text), value > 0 { frequency = value }
            default:
                continue
            }
        }
        let syndication = period.map { $0 / frequency }
        return [ttl, syndication].compactMap { $0 }.max()
    }

    /// A year, in minutes: the longest ttl taken as written (the poll planner caps it further).
    static let longestTTLMinutes = 366 * 24 * 60

    private static func period(_ name: String) -> Duration? {
        switch name {
        case "hourly": .seconds(3600)
        case "daily": .seconds(86_400)
        case "weekly": .seconds(7 * 86_400)
        case "monthly": .seconds(30 * 86_400)
        case "yearly": .seconds(365 * 86_400)
        default: nil
        }
    }

    /// `<atom:link rel="hub">` inside an RSS channel.
    static func hub(in channel: Node, base: String?) -> String? {
        for child in channel.elementChildren
        where child.name == "link" && child.namespaceURI == Namespace.atom10 && child.attribute("rel") == "hub" {
            if let url = URLResolver.resolve(child.attribute("href"), against: base) { return url }
        }
        return nil
    }
}
