/// Query parameters that only track the reader (`utm_*`, `fbclid`, `gclid`, `mc_cid`, …): taken out of post
/// links and links in content, every other parameter kept as written; ignored when links are compared.
public enum TrackingParameters {
    static let names: Set<String> = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "twclid",
        "ttclid", "li_fat_id", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wickedid",
        "_ga", "_gl", "ref_src",
    ]

    /// Whether the parameter named `name` (as written, perhaps percent-encoded) only tracks.
    static func isTracking(_ name: Substring) -> Bool {
        let lowered = (name.removingPercentEncodingIfNeeded).lowercased()
        return lowered.hasPrefix("utm_") || names.contains(lowered)
    }

    /// `url` without its tracking parameters; the rest of it, the other parameters' order and spelling and
    /// the fragment included, exactly as it was.
    public static func removed(from url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        let fragmentStart = url[question...].firstIndex(of: "#") ?? url.endIndex
        let query = url[url.index(after: question)..<fragmentStart]
        let items = query.split(separator: "&", omittingEmptySubsequences: false)
        let kept = items.filter { item in !isTracking(item.prefix { $0 != "=" }) }
        guard kept.count < items.count else { return url }
        let rest = kept.joined(separator: "&")
        return String(url[..<question]) + (rest.isEmpty ? "" : "?" + rest) + url[fragmentStart...]
    }
}

extension Substring {
    /// Percent-decoded when it holds a `%` (a parameter name written `utm%5Fsource`), else as it is.
    fileprivate var removingPercentEncodingIfNeeded: String {
        guard contains("%") else { return String(self) }
        return String(self).removingPercentEncoding ?? String(self)
    }
}
