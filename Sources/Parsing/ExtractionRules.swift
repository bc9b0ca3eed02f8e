/// How to read entries out of an HTML page that has no feed. Each rule is an XPath expression;
/// `item` selects one node per entry and every other rule is evaluated relative to that node,
/// so a rule may also look outside it (`preceding::h2[1]` for the day heading above a post).
public struct ExtractionRules: Sendable, Equatable {
    public var item: String
    public var title: String?
    public var link: String?
    public var summary: String?
    public var content: String?
    public var date: String?
    public var author: String?

    public init(
        item: String, title: String? = nil, link: String? = nil, summary: String? = nil, content: String? = nil,
        date: String? = nil, author: String? = nil
    ) {
        self.item = item
        self.title = title
        self.link = link
        self.summary = summary
        self.content = content
        self.date = date
        self.author = author
    }

    /// Where to look when a rule is not given: the item's first heading or link.
    static let defaultTitle = "(.//h1|.//h2|.//h3|.//h4|.//a)[1]"
    static let defaultLink = "(.//a/@href)[1]"
}
