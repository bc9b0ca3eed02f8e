import XML

/// A feed subscription listed in an OPML file (what feed readers and planets export).
public struct Subscription: Sendable, Equatable {
    /// The outline's title (its `title`, else its `text`), when it has one.
    public var title: String?
    public var feedURL: String
    public var siteURL: String?
    /// The titles of the outlines it is nested in: a reader's folders.
    public var folders: [String]

    public init(title: String?, feedURL: String, siteURL: String? = nil, folders: [String] = []) {
        self.title = title
        self.feedURL = feedURL
        self.siteURL = siteURL
        self.folders = folders
    }
}

/// An OPML file that lists no subscription Tidings can use.
public enum OPMLError: Error, CustomStringConvertible, Equatable, Sendable {
    case notXML(reason: String)
    case notOPML(rootElement: String)
    case noSubscriptions

    public var description: String {
        switch self {
        case .notXML(let reason): "not an OPML file: \(reason)"
        case .notOPML(let root): "not an OPML file: its root element is <\(root)>, not <opml>"
        case .noSubscriptions: "the OPML file lists no feed (no <outline> with an http or https xmlUrl)"
        }
    }
}

/// Reads the subscriptions of an OPML 1.0 or 2.0 file: every `<outline>` with an `xmlUrl`, at any depth,
/// in document order. Outlines whose `xmlUrl` is not http(s) are left out, as are repeats of a URL.
public enum OPMLReader {
    public static func subscriptions(in bytes: [UInt8]) throws(OPMLError) -> [Subscription] {
        let document: Document
        do {
            document = try Document.xml(bytes)
        } catch {
            throw .notXML(reason: "\(error)")
        }
        guard let root = document.root, root.name.lowercased() == "opml" else {
            throw .notOPML(rootElement: document.root?.name ?? "")
        }
        var found: [Subscription] = []
        var seen: Set<String> = []
        // An explicit stack, not recursion: a hostile file may nest outlines very deeply.
        var pending: [(node: Node, folders: [String])] = root.elementChildren.reversed().map { ($0, []) }
        while let (node, folders) = pending.popLast() {
            guard node.name == "outline" || node.name == "body" else { continue }
            let title = (node.attribute("title") ?? node.attribute("text")).map(PlainText.collapsed)?.nilIfEmpty
            if let url = node.attribute("xmlUrl").map(TextScan.trimmed), isWebURL(url), seen.insert(url).inserted {
                let site = node.attribute("htmlUrl").map(TextScan.trimmed).flatMap { isWebURL($0) ? $0 : nil }
                found.append(Subscription(title: title, feedURL: url, siteURL: site, folders: folders))
            }
            let inner = node.name == "body" ? folders : folders + [title].compactMap { $0 }
            pending.append(contentsOf: node.elementChildren.reversed().map { ($0, inner) })
        }
        guard !found.isEmpty else { throw .noSubscriptions }
        return found
    }

    private static func isWebURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && text.count > 8
            && !text.contains(where: { $0.isWhitespace || $0.isNewline })
    }
}
