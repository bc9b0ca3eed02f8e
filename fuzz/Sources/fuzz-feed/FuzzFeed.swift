import Foundation
import FuzzDriver
import Parsing

/// The feed parser, bytes in: every format it detects (RSS, RDF, Atom, JSON Feed, an HTML page where a
/// feed was expected), the charset decisions, the repair of ill-formed documents and normalisation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeed(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzDriver.bytes(data, size)
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    _ = try? FeedParser().parse(bytes, url: "https://fuzz.example/feed/", now: now)
    return 0
}

@_cdecl("fuzz_feed_main")
public func fuzzFeedMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzFeed)
}
