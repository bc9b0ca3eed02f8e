import Checked
import Foundation
import Time

/// What a response says about when to ask again.
extension FetchResult {
    /// `Retry-After` as a moment: delta-seconds or an HTTP date (RFC 9110 §10.2.3, in any of its three forms,
    /// which the feeds' own date parser reads). Nil when absent or
    /// unreadable; a date in the past means "now".
    public func retryAfter(now: Date) -> Date? {
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return nil
        }
        // A delay too long for an Int is still a delay: the planner caps it at max_retry_after.
        if let seconds = Checked.integer(value, saturating: true) {
            return Checked.adding(Double(max(0, seconds)), to: now)
        }
        return DateParser().parse(value).map { max($0, now) }
    }

    /// How long the response may be reused: `Cache-Control: max-age`, else `Expires`. `no-cache`,
    /// `no-store` and `max-age=0` mean nothing to wait for.
    public func freshUntil(now: Date) -> Date? {
        if let cacheControl = headers["cache-control"]?.lowercased() {
            let directives = cacheControl.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if directives.contains("no-cache") || directives.contains("no-store") { return nil }
            for directive in directives where directive.hasPrefix("max-age=") {
                guard let seconds = Checked.integer(directive.dropFirst("max-age=".count)) else { continue }
                return seconds > 0 ? Checked.adding(Double(seconds), to: now) : nil
            }
        }
        guard let expires = headers["expires"], let date = DateParser().parse(expires), date > now else { return nil }
        return date
    }
}
