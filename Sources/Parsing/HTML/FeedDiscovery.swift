import XML

/// A feed a page points to, or a place where feeds usually are.
public struct FeedCandidate: Sendable, Equatable {
    public var url: String
    /// Why it is a candidate: `<link rel="alternate" type="application/atom+xml" title="…">` or
    /// "a usual place for feeds".
    public var reason: String

    public init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }
}

/// Finds the feed of a blog from its page: the feeds it advertises, best first, then the usual places.
public enum FeedDiscovery {
    /// The feeds a page advertises with `<link rel="alternate">`, the site-wide feed before comment feeds
    /// and per-category feeds, relative links resolved.
    public static func advertised(in page: [UInt8], url: String?, contentType: String? = nil) -> [FeedCandidate] {
        guard let page = try? HTMLPage(page, url: url, contentType: contentType) else { return [] }
        return advertised(on: page)
    }

    static func advertised(on page: HTMLPage) -> [FeedCandidate] {
        let links = (try? page.document.evaluate("//link[@href]"))?.nodes ?? []
        var found: [(candidate: FeedCandidate, rank: Int)] = []
        for link in links {
            let rel = (link.attribute("rel") ?? "").lowercased().split(separator: " ")
            let type = TextScan.trimmed(link.attribute("type") ?? "").lowercased()
            guard rel.contains("alternate"), feedTypes.contains(type),
                let href = URLResolver.resolve(link.attribute("href"), against: page.baseURL),
                !found.contains(where: { $0.candidate.url == href })
            else { continue }
            let title = link.attribute("title").map { TextScan.trimmed($0) }?.nilIfEmpty
            var reason = "<link rel=\"alternate\" type=\"\(type)\""
            if let title { reason += " title=\"\(title)\"" }
            reason += ">"
            found.append((FeedCandidate(url: href, reason: reason), rank(href: href, title: title)))
        }
        // A stable sort: the page's own order decides among equals.
        return found.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }
            .map(\.element.candidate)
    }

    static let feedTypes: Set<String> = [
        "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
        "application/rdf+xml", "text/xml", "application/xml",
    ]

    /// 0 for a site-wide feed, 1 for a feed of one category or tag, 2 for comments.
    private static func rank(href: String, title: String?) -> Int {
        let text = (href + " " + (title ?? "")).lowercased()
        if text.contains("comment") { return 2 }
        if ["/category/", "/tag/", "/tags/", "/categories/", "/author/"].contains(where: text.contains) { return 1 }
        return 0
    }

    /// Where blogs usually keep their feed, next to the page and at the site's root.
    public static func usualPlaces(for url: String) -> [FeedCandidate] {
        guard let schemeEnd = url.range(of: "://") else { return [] }
        let afterScheme = url[schemeEnd.upperBound...]
        let pathStart = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
        let root = String(url[..<pathStart])
        var path = String(afterScheme[pathStart...].prefix { $0 != "?" && $0 != "#" })
        // The folder the page is in: everything up to its last slash.
        if let slash = path.lastIndex(of: "/") { path = String(path[...slash]) } else { path = "/" }
        var folders = [root + path]
        if path != "/" { folders.append(root + "/") }
        var places: [FeedCandidate] = []
        for folder in folders {
            for name in ["feed", "rss.xml", "atom.xml", "index.xml", "feed.xml", "feed.json"] {
                places.append(FeedCandidate(url: folder + name, reason: "a usual place for feeds"))
            }
        }
        return places
    }
}

extension FeedDiscovery {
    /// What stands in front of the content instead of a blog.
    public enum Wall: Sendable, Equatable, CustomStringConvertible {
        case login
        case botChallenge

        public var description: String {
            switch self {
            case .login: "a login page"
            case .botChallenge: "a bot challenge page"
            }
        }
    }

    /// The wall in front of the content — a login form or a bot challenge — when a page is one rather
    /// than a blog: looking for feeds around it would only find the wrong ones.
    public static func wall(in page: [UInt8]) -> Wall? {
        let text = String(decoding: page.prefix(65_536), as: UTF8.self).lowercased()
        let title =
            text.range(of: "<title").flatMap { start in
                text[start.upperBound...].range(of: "</title>").map { String(text[start.upperBound..<$0.lowerBound]) }
            } ?? ""
        let challengeTitles = [
            "just a moment", "attention required", "access denied", "verify you are human", "are you a robot",
            "ddos protection",
        ]
        let challengeMarkers = ["cf-challenge", "challenge-platform", "g-recaptcha", "h-captcha", "cf-turnstile"]
        if challengeTitles.contains(where: title.contains) || challengeMarkers.contains(where: text.contains) {
            return .botChallenge
        }
        let loginTitles = ["sign in", "log in", "login"]
        let loginMarkers = ["type=\"password\"", "type='password'", "type=password"]
        if loginTitles.contains(where: title.contains) || loginMarkers.contains(where: text.contains) {
            return .login
        }
        return nil
    }
}
