import Foundation

/// A gate the test opens: whoever waits on it is held until then, or until a bounded limit passes.
public final class Gate: @unchecked Sendable {
    // NSCondition is thread-safe; `isOpen` is only touched with it locked.
    private let condition = NSCondition()
    private var isOpen = false

    public init() {}

    public func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the gate opens or `limit` passes; true when it opened.
    @discardableResult
    public func wait(limit: TimeInterval = 60) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(limit)
        while !isOpen {
            if !condition.wait(until: deadline) { return isOpen }
        }
        return true
    }
}
