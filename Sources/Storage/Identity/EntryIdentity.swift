import Checked
import Foundation
import Parsing

/// Every rule of a post's identity, as pure functions of the incoming entry, its document and the stored
/// candidates, so they are tested without SQL and any store backend keeps them; the store only runs the
/// queries that find the candidates and writes what these decide.
///
/// - A stored entry's public id (the Atom `<id>` and RSS `<guid>` subscribers see) is made once, when the
///   entry is first inserted, from its source and its id at that moment, and never changes after.
/// - A parsed entry is matched to a stored one by its id, else by its link's alias (`LinkAlias`) when the
///   publisher churned its GUIDs or URLs: that decides only which row it is, and the row keeps its public id
///   through every rename.
/// - What a match keeps of the stored entry: its published date when the new one is later, its content when
///   the new entry carries none, and, from a document recovery had to repair, every longer field.
///
/// Within one document, an entry's id (its guid, else its link, else a hash; posts sharing a guid told apart)
/// is the parser's decision (`EntryPolicies`), and its alias is `LinkAlias.key`: both are properties of
/// the document alone. Everything that compares an entry with what was stored before is here.
public enum EntryIdentity {
    /// The id a new entry is published under (the form every earlier version published, so stores that
    /// predate the column keep their ids). Migration 5 keeps its own copy of this formula.
    public static func publicID(sourceKey: String, entryID: String) -> String {
        "urn:tidings:\(sourceKey):\(Fingerprint.of([entryID]))"
    }

    /// `candidate`, or the first of `candidate#2`, `#3`… that `isTaken` says no entry has: an entry merged under
    /// a new id keeps its public id, so a later post carrying its old id must not be published under the same
    /// one.
    public static func unusedPublicID(
        _ candidate: String, isTaken: (String) throws(StoreError) -> Bool
    ) throws(StoreError) -> String {
        var publicID = candidate
        var suffix = 1
        while try isTaken(publicID) {
            suffix += 1
            publicID = "\(candidate)#\(suffix)"
        }
        return publicID
    }

    /// What a whole document says about identity, worked out once per document rather than per entry.
    struct Document {
        /// Each entry's link alias, in document order.
        let aliases: [String?]
        let ids: Set<String>
        /// The aliases that can identify a single post: they occur once in the document and have a path.
        let distinctiveAliases: Set<String>

        init(_ entries: [ParsedEntry]) {
            aliases = entries.map { LinkAlias.key(for: $0.link) }
            ids = Set(entries.map(\.id))
            var counts: [String: Int] = [:]
            for alias in aliases.compactMap({ $0 }) { counts[alias, default: 0] += 1 }
            distinctiveAliases = Set(counts.filter { $0.value == 1 && $0.key.contains("/") }.keys)
        }

        /// Whether an entry's alias may be looked up at all: unique in the document and not a bare home page,
        /// so a feed whose every item links to one page keeps its items apart.
        func mayMatch(byAlias alias: String?) -> Bool {
            alias.map(distinctiveAliases.contains) ?? false
        }
    }

    /// A stored entry a parsed one may be matched to: what the rules read of it.
    struct Candidate {
        var rowID: Int64
        var fingerprint: String?
        var firstSeen: Int64
        var entryID: String?
        var published: Int64?
        var wordCount: Int
        var title: String?
        var excerpt: String?
        /// Why the operator's filters hide it (not an identity rule: what the store compares before writing).
        var hiddenBy: String? = nil
        /// Its link as stored, to record what it was known as when a match renames it.
        var link: String? = nil
    }

    /// A stored entry's summary and content, read only when a match needs them.
    struct Bodies {
        var summary: String?
        var content: String?
    }

    /// Whether the stored entry an alias found is the same post under a new id: its own id must be gone from
    /// the document (else both posts are there, sharing a link), and their dates, when both have one, within
    /// a day of each other.
    static func isSamePost(_ candidate: Candidate, as entry: ParsedEntry, in document: Document) -> Bool {
        if document.ids.contains(candidate.entryID ?? "") { return false }
        guard let stored = candidate.published, let published = entry.published else { return true }
        return abs(Double(stored) - published.timeIntervalSince1970) <= 86_400
    }

    /// Whether the match needs the stored bodies to decide what to keep.
    static func needsBodies(_ entry: ParsedEntry, isRecovered: Bool) -> Bool {
        entry.content == nil || isRecovered
    }

    /// The entry as it is stored over `candidate`: the published date never moves later than the stored one
    /// once it was seen, content once stored is kept when the entry carries none (a followed article's full
    /// text, a feed that has since gone teaser-only), and a document read by recovery (maybe cut short)
    /// keeps every stored field it has shorter or lacks. `bodies` is nil when `needsBodies` said no.
    static func merged(
        _ entry: ParsedEntry, over candidate: Candidate, bodies: Bodies?, isRecovered: Bool
    ) -> ParsedEntry {
        var entry = entry
        keepPublishedDate(of: candidate, for: &entry)
        guard let bodies else { return entry }
        if entry.content == nil, let content = bodies.content {
            entry.content = content
            entry.wordCount = candidate.wordCount
        }
        if isRecovered { keepLongerFields(of: candidate, bodies, for: &entry) }
        return entry
    }

    /// A stored post's published date never moves later than when it was first seen: a later date is a
    /// future date clamped to the fetch time (which would otherwise change on every refresh) or a
    /// publisher re-dating an old post to push it back to the top.
    private static func keepPublishedDate(of candidate: Candidate, for entry: inout ParsedEntry) {
        guard let stored = candidate.published, let published = entry.published else { return }
        let new = Checked.unixSeconds(published)
        if new > stored && new >= candidate.firstSeen {
            entry.published = Date(timeIntervalSince1970: TimeInterval(stored))
        }
    }

    private static func keepLongerFields(of candidate: Candidate, _ stored: Bodies, for entry: inout ParsedEntry) {
        func isShorter(_ new: String?, than old: String?) -> Bool {
            guard let old else { return false }
            return (new?.utf8.count ?? 0) < old.utf8.count
        }
        if isShorter(entry.title, than: candidate.title) { entry.title = candidate.title }
        if isShorter(entry.summary, than: stored.summary) {
            entry.summary = stored.summary
            entry.excerpt = candidate.excerpt
        }
        if isShorter(entry.content, than: stored.content) {
            entry.content = stored.content
            entry.wordCount = candidate.wordCount
        }
    }
}
