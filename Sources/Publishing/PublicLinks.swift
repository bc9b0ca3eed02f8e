import Checked
import Storage

/// The links the outputs may carry: http and https only. The parser already drops every other scheme;
/// checking again here keeps entries stored by older versions, and local sources' `file:` paths, out of
/// what subscribers and visitors see.
extension StoredEntry {
    var publicLink: String? { Checked.link(link) }
    var publicSourceLink: String? { Checked.link(sourceLink) }
}

extension SourceRecord {
    /// The source's own feed on the web: the feed it is fetched from (a discovered one for a blog's page),
    /// nil for a local file, a page read through rules (`site.pageSourceKeys`) or a page whose feed is not
    /// found yet: Tidings' feed of the source stands in for those.
    public func webFeedURL(site: Site) -> String? {
        if site.pageSourceKeys.contains(key) { return nil }
        if discoveredURL == nil, yielded == .page { return nil }
        return Checked.link(fetchURL)
    }
}
