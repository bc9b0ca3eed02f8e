import Foundation
import Parsing

/// Adds an OPML file's subscriptions to a `feeds.yaml` as sources, the way a person would by hand: at the
/// end of its `sources:` list, in the list's own indentation, leaving every other line (comments included)
/// as it was. A subscription already configured (the same URL, give or take the scheme, `www.`, a trailing
/// slash and tracking parameters) is not added again; keys come from titles, made unique.
public struct SubscriptionImport: Sendable {
    /// A source to add, with the key made for it.
    public struct Addition: Sendable, Equatable {
        public var key: String
        public var subscription: Subscription
    }

    public let additions: [Addition]
    /// Subscriptions left out because a source already fetches them.
    public let alreadyConfigured: [Subscription]

    /// Decides what to add to `config` (the file as it is now).
    public init(_ subscriptions: [Subscription], into config: Config) {
        var keys = Set(config.sources.map(\.key))
        var known = Set(config.sources.map { Self.comparable($0.url) })
        var additions: [Addition] = []
        var skipped: [Subscription] = []
        for subscription in subscriptions {
            guard known.insert(Self.comparable(subscription.feedURL)).inserted else {
                skipped.append(subscription)
                continue
            }
            let key = Self.uniqueKey(Self.key(for: subscription), among: keys)
            keys.insert(key)
            additions.append(Addition(key: key, subscription: subscription))
        }
        self.additions = additions
        alreadyConfigured = skipped
    }

    /// The lines to add, in YAML, indented as a list item at `indent` spaces.
    public func yaml(indent: Int = 2) -> String {
        let dash = String(repeating: " ", count: indent)
        let field = String(repeating: " ", count: indent + 2)
        return additions.map { addition in
            var lines = ["\(dash)- key: \(addition.key)"]
            if let title = addition.subscription.title { lines.append("\(field)title: \(Self.quoted(title))") }
            lines.append("\(field)url: \(Self.quoted(addition.subscription.feedURL))")
            return lines.joined(separator: "\n") + "\n"
        }.joined()
    }

    /// `text` (a whole `feeds.yaml`) with the additions at the end of its `sources:` list.
    public func applied(to text: String) -> String {
        guard !additions.isEmpty else { return text }
        var lines = text.components(separatedBy: "\n")
        let hadFinalNewline = text.hasSuffix("\n")
        if hadFinalNewline { lines.removeLast() }
        guard let keyLine = lines.firstIndex(where: { $0.hasPrefix("sources:") }) else {
            let separator = text.isEmpty || hadFinalNewline ? "" : "\n"
            return text + separator + "sources:\n" + yaml()
        }
        // The list runs while lines are indented, list items, blank or comments; it ends before the next
        // top-level key. New items go after its last item line, before comments that lead the next key.
        var end = keyLine
        var index = keyLine + 1
        var indent: Int?
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") {
                index += 1
                continue
            }
            guard line.hasPrefix(" ") || line.hasPrefix("-") else { break }
            if indent == nil, trimmed.hasPrefix("-") { indent = line.count - trimmed.count }
            end = index
            index += 1
        }
        let added = yaml(indent: indent ?? 2).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        lines.insert(contentsOf: added.map(String.init), at: end + 1)
        return lines.joined(separator: "\n") + (hadFinalNewline ? "\n" : "")
    }

    // MARK: Keys

    /// Letters and digits of the title (else the feed's host), lowercased, words joined by "-".
    static func key(for subscription: Subscription) -> String {
        let fromTitle = slug(subscription.title ?? "")
        if !fromTitle.isEmpty { return fromTitle }
        let host = URLComponents(string: subscription.feedURL)?.host ?? ""
        let fromHost = slug(host.hasPrefix("www.") ? String(host.dropFirst(4)) : host)
        return fromHost.isEmpty ? "feed" : fromHost
    }

    static func slug(_ text: String) -> String {
        var result = ""
        var pendingDash = false
        // Accents are dropped (é → e) rather than the letter: a key is ASCII.
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        for character in folded.unicodeScalars {
            if character.isASCII, character.properties.isAlphabetic || ("0"..."9").contains(character) {
                if pendingDash, !result.isEmpty { result.append("-") }
                result.unicodeScalars.append(character)
                pendingDash = false
            } else {
                pendingDash = true
            }
            if result.count >= 40 { break }
        }
        return String(result.lowercased().prefix(40))
    }

    static func uniqueKey(_ key: String, among keys: Set<String>) -> String {
        guard keys.contains(key) else { return key }
        var number = 2
        while keys.contains("\(key)-\(number)") { number += 1 }
        return "\(key)-\(number)"
    }

    // MARK: YAML

    /// A double-quoted YAML scalar: always safe, whatever the title holds (`: `, `#`, quotes, a leading `-`).
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += String(format: "\\x%02X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// A URL as compared with the configured ones: as entry links are (`LinkAlias`), so the scheme, `www.`,
    /// a trailing slash and tracking parameters make no difference.
    static func comparable(_ url: String) -> String {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        return LinkAlias.key(for: trimmed) ?? trimmed
    }
}
