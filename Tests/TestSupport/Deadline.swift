import Foundation

/// Polls `condition` until it holds or `seconds` pass; true when it held. A test waits for a thing, never for
/// a time: the deadline only bounds a wait that failed.
@discardableResult
public func waitUntil(seconds: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        guard Date() < deadline else { return false }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return true
}
