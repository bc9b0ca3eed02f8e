import Foundation
import FuzzDriver
import Parsing

/// HTML extraction rules and the CSS selector translator. The first line is a selector, used as the item
/// rule (and, translated alone, checked by the translator); the rest is the page it is applied to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExtraction(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let split = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
    let selector = String(decoding: bytes[..<split], as: UTF8.self)
    let page = Array(bytes[split...])
    _ = try? CSSSelector.xpath(selector)
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    for item in [selector, "article, .post, li"] {
        guard let rule = try? PageSelector(item, scope: .page) else { continue }
        var rules = ExtractionRules(item: rule)
        if let title = try? PageSelector(selector) { rules.title = [title] }
        rules.date = [try! PageSelector("preceding: h2")]
        _ = try? FeedParser().parse(page, url: "https://fuzz.example/blog/", rules: rules, now: now)
    }
    return 0
}

@_cdecl("fuzz_extraction_main")
public func fuzzExtractionMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzExtraction)
}
