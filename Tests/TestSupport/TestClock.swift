import Foundation
import Synchronization

/// A clock a test moves by hand, for schedules measured in hours and days.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// A count shared between a test and its server's handler.
public final class Counter: Sendable {
    private let value = Mutex(0)

    public init() {}

    /// Adds one and returns the new count.
    @discardableResult
    public func next() -> Int {
        value.withLock {
            $0 += 1; return $0
        }
    }
}
