import Parsing
import Testing

@Suite struct WordCounterTests {
    @Test(arguments: [
        ("", 0),
        ("one", 1),
        ("Two words.", 2),
        ("Don’t split contractions or well-known hyphenations", 6),
        ("  spaces\tand\nnewlines  ", 3),
        ("1,000 apples", 2),
        ("version 0.91 of 1999.", 4),
        ("日本語の文章", 6),
        ("한국어", 3),
        ("Swift 是一种语言", 6),
    ])
    func counts(_ text: String, _ expected: Int) {
        #expect(WordCounter.count(text) == expected, "\(text)")
    }

    @Test func countsTheContentElseTheSummary() throws {
        let rss = """
            <rss version="2.0"><channel><title>t</title>
            <item><title>a</title><link>https://x.example/a</link><description>three word summary</description></item>
            <item><title>b</title><link>https://x.example/b</link><description>short</description>
            <content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;p&gt;one two&lt;/p&gt; &lt;p&gt;three four five&lt;/p&gt;</content:encoded></item>
            </channel></rss>
            """
        let entries = try FeedParser().parse(Array(rss.utf8), url: nil).entries
        #expect(entries.map(\.wordCount) == [3, 5])
    }
}
