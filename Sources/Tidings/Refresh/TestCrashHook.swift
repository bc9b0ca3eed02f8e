import Foundation

#if DEBUG
/// A failpoint for the tests to make a document crash Tidings, as a hostile one might, so that quarantine can
/// be shown to work on a real crash. Set `TIDINGS_TEST_CRASH_MARKER` to a string: a document containing it
/// traps the process while it is being parsed. Compiled into debug builds only (the tests' binary): a
/// release binary has no such switch.
enum TestCrashHook {
    static let marker: [UInt8]? = ProcessInfo.processInfo.environment["TIDINGS_TEST_CRASH_MARKER"]
        .flatMap { $0.isEmpty ? nil : Array($0.utf8) }

    static func check(_ body: [UInt8]) {
        guard let marker, body.count >= marker.count else { return }
        for start in 0...(body.count - marker.count) where body[start] == marker[0] {
            if body[start..<(start + marker.count)].elementsEqual(marker) {
                fatalError("TIDINGS_TEST_CRASH_MARKER found in the document: crashing as asked")
            }
        }
    }
}
#endif
