import Product

/// What the writers need to know about the site they publish: from `feeds.yaml`'s site settings.
public struct Site: Sendable, Equatable {
    public var title: String
    /// Where the output folder is served from, ending in "/".
    public var baseURL: String
    /// How many entries the combined feeds and the index carry.
    public var maxEntries: Int
    /// At most this many of one source's entries in the combined feeds and the index (nil: no cap); the
    /// month pages show every post.
    public var maxPerSource: Int?

    /// The sources read from web pages through extraction rules: they have no feed of their own.
    public var pageSourceKeys: Set<String>

    /// The page templates: the built-in ones, or a `templates:` folder's.
    public var templates: Templates
    public var pages: PageSettings

    public init(
        title: String, baseURL: String, maxEntries: Int, pageSourceKeys: Set<String> = [],
        templates: Templates = Templates(), pages: PageSettings = PageSettings(), maxPerSource: Int? = nil
    ) {
        self.maxPerSource = maxPerSource
        self.pages = pages
        self.title = title
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.maxEntries = maxEntries
        self.pageSourceKeys = pageSourceKeys
        self.templates = templates
    }

    public static let generatorName = Product.name
    public static let generatorVersion = Product.version
    public static let generatorURL = Product.homepage
}
