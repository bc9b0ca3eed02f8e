import Foundation
import FuzzDriver
import Tidings

/// The configuration reader: any text as `feeds.yaml`. It must answer a config or a `ConfigError`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = FuzzDriver.text(data, size)
    _ = try? Config.parse(text, file: URL(fileURLWithPath: "/nonexistent/feeds.yaml"))
    return 0
}

@_cdecl("fuzz_config_main")
public func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzConfig)
}
