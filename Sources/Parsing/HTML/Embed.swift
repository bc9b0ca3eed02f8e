import Foundation
import XML

/// What becomes of an `<iframe>`: a player from a known video or audio host, made private (YouTube without
/// its tracking cookies, Vimeo with Do Not Track) and contained (sandboxed, lazy, sending only the page's
/// origin as referrer); anything else a plain link to the page it showed; nothing when it points nowhere
/// safe. The player's address is rebuilt from its parsed parts, so what a reader's browser loads is exactly
/// what was checked: no user-info, port or backslash trick can make the browser see another host.
enum Embed: Equatable {
    case player([HTMLAttribute])
    case link(url: String, host: String)
    case none

    /// Hosts whose players are kept, and the host each is rewritten to.
    static let players: [String: String] = [
        "www.youtube.com": "www.youtube-nocookie.com", "youtube.com": "www.youtube-nocookie.com",
        "m.youtube.com": "www.youtube-nocookie.com", "www.youtube-nocookie.com": "www.youtube-nocookie.com",
        "youtube-nocookie.com": "www.youtube-nocookie.com", "player.vimeo.com": "player.vimeo.com",
        "www.dailymotion.com": "www.dailymotion.com", "w.soundcloud.com": "w.soundcloud.com",
        "bandcamp.com": "bandcamp.com", "open.spotify.com": "open.spotify.com", "player.twitch.tv": "player.twitch.tv",
    ]

    /// What a player needs and no more: its own scripts and storage, fullscreen, opening itself in a new tab.
    /// (Scripts and same-origin together are safe here: the frame's origin is the player's, never the page's.)
    static let sandbox = "allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox"
    static let permissions = "encrypted-media; fullscreen; picture-in-picture"
    /// Players refuse to play without knowing the embedding site; its origin is all they get.
    static let referrerPolicy = "strict-origin-when-cross-origin"

    static func decide(_ attributes: [HTMLAttribute], base: String?) -> Embed {
        let source = attributes.first { $0.name == "data-src" } ?? attributes.first { $0.name == "src" }
        guard let raw = source?.value, let resolved = URLResolver.resolve(TextScan.trimmed(raw), against: base),
            URLResolver.hasSafeScheme(resolved), let parts = URLComponents(string: resolved),
            let host = parts.host?.lowercased(), !host.isEmpty
        else { return .none }
        let plain = parts.user == nil && parts.password == nil && (parts.port == nil || parts.port == 443)
        guard plain, let playerHost = players[host] else { return .link(url: resolved, host: host) }
        var query = parts.percentEncodedQuery.map { "?" + $0 } ?? ""
        if playerHost == "player.vimeo.com" { query = withDoNotTrack(query) }
        var kept = [HTMLAttribute(name: "src", value: "https://" + playerHost + parts.percentEncodedPath + query)]
        for name in ["width", "height", "title"] {
            if let value = attributes.first(where: { $0.name == name })?.value, isPlainValue(value, name: name) {
                kept.append(HTMLAttribute(name: name, value: value))
            }
        }
        kept += [
            HTMLAttribute(name: "sandbox", value: sandbox), HTMLAttribute(name: "allow", value: permissions),
            HTMLAttribute(name: "allowfullscreen", value: ""), HTMLAttribute(name: "loading", value: "lazy"),
            HTMLAttribute(name: "referrerpolicy", value: referrerPolicy),
        ]
        return .player(kept)
    }

    /// Vimeo's query with `dnt=1` in place of any `dnt` it had.
    private static func withDoNotTrack(_ query: String) -> String {
        let items = query.dropFirst().split(separator: "&").filter { !$0.lowercased().hasPrefix("dnt=") && $0 != "dnt" }
        return "?" + (items + ["dnt=1"]).joined(separator: "&")
    }

    /// Sizes are numbers (or percentages); a title is any text.
    private static func isPlainValue(_ value: String, name: String) -> Bool {
        guard name != "title" else { return true }
        let digits = value.hasSuffix("%") ? value.dropLast() : Substring(value)
        return !digits.isEmpty && digits.count <= 5 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
