internal import CPSL
import Foundation

/// The site a URL belongs to, for per-site limits: its registrable domain by the public suffix list
/// (`blog.example.co.uk` → `example.co.uk`; `alice.github.io` stays itself, since `github.io` is a
/// public suffix). IP addresses and names without a registrable part count as their own site.
public enum SiteKey {
    public static func of(_ url: String) -> String {
        guard let host = URLComponents(string: url)?.host?.lowercased(), !host.isEmpty else { return url }
        if host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) { return host }  // an IP address
        guard let list = publicSuffixList else { return host }
        // psl_registrable_domain returns a pointer into the string it was given, so the copy must be made
        // while that C string is still alive.
        return host.withCString { hostPointer in
            psl_registrable_domain(list, hostPointer).map { String(cString: $0) }
        } ?? host
    }

    /// The system's list when installed (Debian's `publicsuffix`), else the copy built into libpsl.
    /// libpsl's lists are immutable once loaded and safe to share between threads.
    nonisolated(unsafe) private static let publicSuffixList: OpaquePointer? = psl_latest(nil) ?? psl_builtin()
}
