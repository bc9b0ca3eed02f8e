import Parsing
import Testing

@Suite struct SearchTextTests {
    @Test(arguments: [
        ("plain words stay", "plain words stay"),
        ("東京都", " 東京 京都 "),
        ("東", " 東 "),
        ("今日は晴れ。", " 今日 日は は晴 晴れ 。"),
        ("서울 날씨", " 서울   날씨 "),
        ("Tokyo 東京 trip", "Tokyo  東京  trip"),
    ])
    func cjkRunsBecomeTheirOverlappingPairs(_ text: String, _ indexed: String) {
        #expect(SearchText.indexed(text) == indexed)
    }

    @Test func aSnippetIsReadableAgainWithItsMarksKept() {
        #expect(SearchText.restored(" 今日 日は 晴れ") == "今日は晴れ")
        #expect(SearchText.restored(" 天気 «気予 予報» です", marks: ["«", "»"]) == "天気«予報»です")
    }
}
