import Checked

/// Links are only ever http or https. Every link a feed gives (the feed's own, its hub, each entry's, each
/// enclosure's) has been resolved by then (xml:base, entities, whitespace, case), so a scheme check on the
/// result is the whole rule: `javascript:`, `vbscript:`, `data:` and the rest are dropped with a warning.
/// `file:` links, which a local source's relative links resolve to, are dropped quietly: the path of a
/// file on this machine is never published. A post's link loses its tracking parameters (`utm_*`, `fbclid`, …).
enum LinkPolicy {
    static func apply(to feed: inout ParsedFeed, documentURL: String?) {
        var warnings: [String] = []
        let isLocal = documentURL.map { $0.lowercased().hasPrefix("file:") } ?? false
        func checked(_ url: String?, _ owner: @autoclosure () -> String) -> String? {
            guard let url else { return nil }
            if let link = Checked.link(url) { return link }
            let shown = String(url.prefix(80))
            if !url.contains(":") {
                warnings.append(
                    "\(owner()): dropped the relative link '\(shown)': the document has no address to resolve it against"
                )
            } else if !(isLocal && url.lowercased().hasPrefix("file:")) {
                warnings.append("\(owner()): dropped the link '\(shown)': only http and https links are kept")
            }
            return nil
        }
        feed.metadata.link = checked(feed.metadata.link, "the feed")
        feed.metadata.hub = checked(feed.metadata.hub, "the feed's hub")
        for index in feed.entries.indices {
            let entry = feed.entries[index]
            let owner = "entry '\(entry.title ?? entry.id)'"
            feed.entries[index].link = checked(entry.link, owner).map(TrackingParameters.removed)
            feed.entries[index].enclosures = entry.enclosures.filter { checked($0.url, owner + ", enclosure") != nil }
        }
        feed.warnings += warnings
    }
}
