/// How to read entries out of an HTML page that has no feed. `item` selects one element per entry;
/// every other rule is relative to that element and may list fallbacks, the first that matches
/// winning. A rule may also look outside its item (`preceding: h2.day`).
public struct ExtractionRules: Sendable, Equatable {
    public var item: PageSelector
    public var title: [PageSelector] = []
    public var link: [PageSelector] = []
    public var summary: [PageSelector] = []
    public var content: [PageSelector] = []
    public var date: [PageSelector] = []
    /// A Unicode date pattern (`d MMMM yyyy`, `dd.MM.yy HH:mm`) for dates the parser would guess wrong.
    public var dateFormat: String?
    public var author: [PageSelector] = []
    public var image: [PageSelector] = []
    /// Every match counts, not only the first.
    public var categories: [PageSelector] = []
    /// How the entry's id is made when the link is not unique: from a selector's text, or `.link`.
    public var id: IDRule = .automatic

    public enum IDRule: Sendable, Equatable {
        /// The link, else a hash of title, date and source.
        case automatic
        case link
        case selector([PageSelector])
    }

    public init(item: PageSelector) {
        self.item = item
    }

    /// Where to look when a rule is not given: the item's first heading or link.
    static let defaultTitle = [
        PageSelector(xpath: "(.//h1|.//h2|.//h3|.//h4|.//a)[1]", text: "the item's first heading or link")
    ]
    static let defaultLink = [PageSelector(xpath: "(.//a/@href)[1]", text: "the item's first link")]

    /// The rules by the names they have in `feeds.yaml`, for warnings.
    var named: [(String, [PageSelector])] {
        var rules = [
            ("title", title), ("link", link), ("summary", summary), ("content", content), ("date", date),
            ("author", author), ("image", image), ("categories", categories),
        ]
        if case .selector(let selectors) = id { rules.append(("id", selectors)) }
        return rules
    }
}
