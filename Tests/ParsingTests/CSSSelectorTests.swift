import Parsing
import TestSupport
import Testing
import XML

/// Selector → XPath → the ids of the nodes libxml2 matches on a fixture page.
@Suite struct CSSSelectorTests {
    let page: Document

    init() throws {
        page = try Document.html(try Fixtures().bytes("selectors/page.html"))
    }

    static let cases: [(String, [String])] = [
        ("article", ["a1", "a2", "a3"]),
        ("*#main", ["main"]),
        (".post", ["a1", "a2"]),
        (".post.featured", ["a1"]),
        ("#a2 h2", ["h2"]),
        ("main > article > a", ["l1", "l2", "l3"]),
        ("body > p", []),
        ("footer p", ["p4"]),
        ("[data-kind]", ["a1", "a2"]),
        ("[data-kind=note]", ["a2"]),
        ("[data-kind='essay']", ["a1"]),
        ("a[rel~=external]", ["l2"]),
        ("a[href^=\"https:\"]", ["l2"]),
        ("a[href$=.pdf]", ["l3"]),
        ("a[href*=elsewhere]", ["l2"]),
        ("h2 + a", ["l1", "l2", "l3"]),
        ("h2 ~ p", ["p1", "p2", "p3"]),
        ("span:first-child", ["s1"]),
        ("span:last-child", ["s4"]),
        ("span:nth-child(2)", ["s2"]),
        ("span:nth-child(odd)", ["s1", "s3"]),
        ("span:nth-child(2n)", ["s2", "s4"]),
        ("span:nth-child(-n+2)", ["s1", "s2"]),
        ("article:not(.featured)", ["a2", "a3"]),
        ("p:not([class])", ["p2", "p4"]),
        ("h2, footer", ["h1", "h2", "h3", "f1"]),
    ]

    @Test(arguments: cases)
    func matches(_ selector: String, _ expected: [String]) throws {
        let xpath = try CSSSelector.xpath(selector, fromDocument: true)
        let ids = try page.evaluate(xpath).nodes.compactMap { $0.attribute("id") }
        #expect(ids == expected, "\(selector) → \(xpath)")
    }

    @Test func selectsAttributesWithATrailingAt() throws {
        let xpath = try CSSSelector.xpath("article.post a@href", fromDocument: true)
        #expect(try page.evaluate(xpath).nodes.map(\.text) == ["/one", "https://elsewhere.example/two"])
    }

    @Test func isRelativeToTheContextNodeByDefault() throws {
        let article = try #require(try page.evaluate("//article[@id='a2']").nodes.first)
        let xpath = try CSSSelector.xpath("p.summary")
        #expect(try page.evaluate(xpath, context: article).nodes.compactMap { $0.attribute("id") } == ["p3"])
    }

    @Test(arguments: [
        ("", "the CSS selector '' has nothing where a selector belongs"),
        ("div >", "the CSS selector 'div >' has nothing where a selector belongs"),
        ("a[href", "the CSS selector 'a[href' has an attribute selector without its closing ']'"),
        ("p:hover", "the CSS selector 'p:hover' uses the unsupported pseudo-class ':hover'"),
        ("a@", "the CSS selector 'a@' ends in '@' without an attribute name"),
        ("div!", "the CSS selector 'div!' has an unexpected '!' at position 4"),
        (
            "li:nth-child(-9223372036854775808n)",
            "the CSS selector 'li:nth-child(-9223372036854775808n)' has ':nth-child(-9223372036854775808n)',"
                + " which is not an+b with numbers up to a million"
        ),
        (
            "li:nth-child(99999999999999999999)",
            "the CSS selector 'li:nth-child(99999999999999999999)' has ':nth-child(99999999999999999999)',"
                + " which is not an+b with numbers up to a million"
        ),
    ])
    func refusesWhatItCannotRead(_ selector: String, _ message: String) {
        let error = #expect(throws: CSSSelector.SyntaxError.self) { try CSSSelector.xpath(selector) }
        #expect(error?.description == message)
    }
}
