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
    /// The feed's address when it is on the web; nil for a local file.
    var publicURL: String? { Checked.link(fetchURL) ?? Checked.link(url) }
}
