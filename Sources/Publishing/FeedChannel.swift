/// The feed formats every feed is written in, and where each feed lives in the output folder.
enum FeedFormat: String, CaseIterable, Sendable {
    case atom
    case rss
    case json

    var fileExtension: String { rawValue }

    var mediaType: String {
        switch self {
        case .atom: "application/atom+xml"
        case .rss: "application/rss+xml"
        case .json: "application/feed+json"
        }
    }
}

enum FeedPaths {
    /// One source's own feed: how a reader follows one blog of the planet, or a feedless blog gets a feed.
    static func source(_ key: String, _ format: FeedFormat) -> String { "sources/\(key).\(format.fileExtension)" }
    /// What a browser shows for an Atom or RSS feed opened as a page.
    static let stylesheet = "feed.xsl"
    static let opml = "sources.opml"
}

/// One feed document, whatever its format: its title and description, where it lives (without the
/// extension), the page it belongs to, and its items, newest first.
struct FeedChannel: Sendable {
    var title: String
    var description: String
    /// Relative to the output folder, without extension: "feed", "sources/KEY", "digest".
    var path: String
    /// The web page the feed belongs to (absolute).
    var homePage: String
    var items: [FeedItem]

    func url(_ format: FeedFormat, site: Site) -> String {
        site.baseURL + path + "." + format.fileExtension
    }

    /// The stylesheet's address relative to this feed, so the feeds work wherever the folder is served.
    var stylesheetHref: String {
        String(repeating: "../", count: path.split(separator: "/").count - 1) + FeedPaths.stylesheet
    }
}
