import Testing

@testable import Parsing

@Suite struct LeadImageTests {
    @Test func anImageEnclosureComesFirstThenTheContentsFirstImage() {
        var entry = ParsedEntry(
            id: "a",
            content:
                "<p>x</p><img alt=\"a &quot;b&quot;\" src=\"https://e.example/1.png?a=1&amp;b=2\"><img src=\"https://e.example/2.png\">",
            enclosures: [Enclosure(url: "https://e.example/talk.mp3", type: "audio/mpeg")])
        #expect(LeadImage.of(entry) == "https://e.example/1.png?a=1&b=2")
        entry.enclosures.append(Enclosure(url: "https://e.example/cover.jpg", type: "IMAGE/JPEG"))
        #expect(LeadImage.of(entry) == "https://e.example/cover.jpg")
    }

    @Test(arguments: [
        "<p>no image</p>", "<img alt=\"no source\">", "<img src=\"\">", "<img ", "<img src=\"unterminated>", "",
        "<p>text <img</p>",
    ])
    func noImageIsNoImage(_ html: String) {
        #expect(LeadImage.of(ParsedEntry(id: "a", summary: html)) == nil)
    }

    @Test func theSummaryStandsInForTheContent() {
        #expect(
            LeadImage.of(ParsedEntry(id: "a", summary: "<img src=\"https://e.example/s.png\">"))
                == "https://e.example/s.png")
    }
}
