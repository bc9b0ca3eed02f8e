import Foundation

/// Makes links absolute. Feeds carry relative links far more often than the specs allow.
public enum URLResolver {
    /// `reference` resolved against `base`; nil when `reference` is empty or nothing sensible comes out.
    public static func resolve(_ reference: String?, against base: String?) -> String? {
        guard let reference = reference?.trimmingCharacters(in: .whitespacesAndNewlines), !reference.isEmpty else {
            return nil
        }
        let encoded = percentEncodeUnsafe(reference)
        if let absolute = URL(string: encoded), absolute.scheme != nil {
            return absolute.absoluteString
        }
        guard let base, let baseURL = URL(string: percentEncodeUnsafe(base)),
            let resolved = URL(string: encoded, relativeTo: baseURL)
        else { return encoded }
        return resolved.absoluteString
    }

    /// Whether `url` uses a scheme that is safe to hand to a reader.
    public static func hasSafeScheme(_ url: String, allowingMail: Bool = false) -> Bool {
        let lowered = url.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
            || (allowingMail && lowered.hasPrefix("mailto:"))
    }

    /// Spaces and other characters publishers leave unescaped would make `URL(string:)` fail.
    private static func percentEncodeUnsafe(_ text: String) -> String {
        guard
            text.unicodeScalars.contains(where: {
                $0.value <= 0x20 || $0.value >= 0x7F || $0 == "\"" || $0 == "<" || $0 == ">"
            })
        else { return text }
        var allowed = CharacterSet.urlFragmentAllowed
        allowed.insert(charactersIn: "#%")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
