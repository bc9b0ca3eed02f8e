import Foundation

/// A second identity for an entry, from its link: what stays the same when a publisher moves from
/// http to https, adds or drops `www.` or a trailing slash, appends tracking parameters, or rebuilds its
/// GUIDs. The store falls back to it when an entry's id is new, so such changes create no duplicates.
public enum LinkAlias {
    /// `https://www.Example.com/post/?utm_source=rss#top` → `example.com/post`; nil without a usable link.
    public static func key(for link: String?) -> String? {
        guard let link, var components = URLComponents(string: link), var host = components.host?.lowercased(),
            !host.isEmpty
        else { return nil }
        if host.hasPrefix("www.") { host.removeFirst(4) }
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        let query = (components.percentEncodedQueryItems ?? [])
            .filter { item in !TrackingParameters.isTracking(Substring(item.name)) }
            .sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
        components.percentEncodedQueryItems = query.isEmpty ? nil : query
        let port = components.port.map { ":\($0)" } ?? ""
        let queryText = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        return host + port + path + queryText
    }
}
