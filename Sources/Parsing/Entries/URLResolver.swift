import Checked
import Foundation

/// Makes links absolute. Feeds carry relative links far more often than the specs allow.
public enum URLResolver {
    /// `reference` resolved against `base`; nil when `reference` is empty or nothing sensible comes out.
    public static func resolve(_ reference: String?, against base: String?) -> String? {
        guard let reference = reference.map(TextScan.trimmed), !reference.isEmpty else { return nil }
        // Most links in feeds are absolute already; Foundation's URL parsing would give them back unchanged.
        if isPlainAbsoluteHTTP(reference) { return reference }
        if let base, let resolved = resolveRootRelative(reference, against: base) { return resolved }
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
        Checked.link(url, allowingMail: allowingMail) != nil
    }

    /// The commonest relative links, `/path` and `//host/path`, resolved without Foundation, which is slow
    /// at it; nil for every other case, including paths with dot segments.
    private static func resolveRootRelative(_ reference: String, against base: String) -> String? {
        let bytes = reference.utf8
        guard bytes.first == UInt8(ascii: "/"), isPlain(reference), isPlainAbsoluteHTTP(base) else { return nil }
        var base = base
        return base.withUTF8 { baseBytes -> String? in
            let schemeEnd = baseBytes[4] == UInt8(ascii: ":") ? 4 : 5  // "http" or "https"
            if bytes.starts(with: "//".utf8) {
                return String(decoding: UnsafeBufferPointer(rebasing: baseBytes[...schemeEnd]), as: UTF8.self)
                    + reference
            }
            // Dot segments ("/../") need RFC 3986's removal; Foundation does that.
            guard !zip(bytes, bytes.dropFirst()).contains(where: { $0 == UInt8(ascii: "/") && $1 == UInt8(ascii: ".") })
            else { return nil }
            var authorityEnd = schemeEnd + 3
            while authorityEnd < baseBytes.count {
                let byte = baseBytes[authorityEnd]
                if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
                authorityEnd += 1
            }
            return String(decoding: UnsafeBufferPointer(rebasing: baseBytes[..<authorityEnd]), as: UTF8.self)
                + reference
        }
    }

    /// An http(s) URL with nothing in it that needs escaping or resolving.
    private static func isPlainAbsoluteHTTP(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.starts(with: "https://".utf8) || bytes.starts(with: "http://".utf8) else { return false }
        return isPlain(text)
    }

    /// Nothing in `text` that URL parsing would escape or reject.
    private static func isPlain(_ text: String) -> Bool {
        !text.utf8.contains { byte in
            byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "<")
                || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "{")
                || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: "^")
                || byte == UInt8(ascii: "`")
        }
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
