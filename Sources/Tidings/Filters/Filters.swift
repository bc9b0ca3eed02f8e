import Curation
import Foundation
import Parsing
import Storage
import Time

/// The operator's filters applied to the store: each entry's verdict as it is stored, and every stored
/// entry reviewed once the rules change (`feeds.yaml` edited, then a reload or a refresh) — without
/// fetching anything; only the entries whose visibility changed are written, so only the pages and feeds
/// they appear in are rewritten. A source with `future_dates: hold` has its posts dated in the future held
/// the same way, until the first round after their date releases them.
struct Filters {
    let curation: Curation
    /// The sources whose future-dated posts wait for their date.
    let holding: Set<String>

    init(config: Config) {
        curation = config.curation
        holding = Set(config.sources.filter { $0.parser.futureDates == .hold }.map(\.key))
    }

    /// How a verdict that holds an entry for its date begins.
    static let heldPrefix = "held until "

    /// Why a parsed entry of `source` is hidden (nil: shown), first seen at `firstSeen`.
    func hiddenBy(_ entry: ParsedEntry, source: String, firstSeen: Date, now: Date) -> String? {
        guard !curation.isEmpty || holding.contains(source) else { return nil }
        let bodies = curation.readsBodies
        let input = CurationInput(
            title: entry.title, author: entry.author, link: entry.link, categories: entry.categories,
            summary: bodies ? entry.summary.map(PlainText.fromHTML) : nil,
            content: bodies ? entry.content.map(PlainText.fromHTML) : nil, date: entry.published ?? firstSeen,
            firstSeen: firstSeen)
        return verdict(input, source: source, published: entry.published, now: now)
    }

    /// The verdicts of a document's entries when nothing the store holds can change them: rules on text fields
    /// only (a rule on `date` needs when an entry was first seen, and one on the summary or content the
    /// stored body a merge may keep), no hold. Hidden entries by id; nil when the store must decide.
    func verdictsBeforeStoring(_ entries: [ParsedEntry], source: String, now: Date) -> [String: String]? {
        guard !curation.isEmpty, !holding.contains(source), !curation.readsBodies, !curation.readsDates else {
            return curation.isEmpty && !holding.contains(source) ? [:] : nil
        }
        var hidden: [String: String] = [:]
        for entry in entries {
            if let why = hiddenBy(entry, source: source, firstSeen: now, now: now) { hidden[entry.id] = why }
        }
        return hidden
    }

    /// Why a stored entry is hidden by these rules (nil: shown).
    func hiddenBy(_ row: VisibilityRow, now: Date) -> String? {
        guard !curation.isEmpty || holding.contains(row.sourceKey) else { return nil }
        return verdict(Self.input(row), source: row.sourceKey, published: row.published, now: now)
    }

    /// A rule that hides it first; else, for a holding source, its date when that is still to come.
    func verdict(_ input: CurationInput, source: String, published: Date?, now: Date) -> String? {
        if let rule = curation.hiddenBy(input, source: source, now: now) { return rule }
        guard holding.contains(source), let published, published > now.addingTimeInterval(Curation.futureTolerance)
        else { return nil }
        return Self.heldPrefix + "\(Timestamp.display(published)): dated in the future (future_dates: hold)"
    }

    /// What the rules read of a stored entry.
    static func input(_ row: VisibilityRow) -> CurationInput {
        CurationInput(
            title: row.title, author: row.author, link: row.link, categories: row.categories,
            summary: row.summary.map(PlainText.fromHTML), content: row.content.map(PlainText.fromHTML),
            date: row.published ?? row.firstSeen, firstSeen: row.firstSeen)
    }

    /// What tells these rules and holds from others.
    func fingerprint(now: Date) -> String {
        curation.fingerprint(now: now) + "\u{1F}hold " + holding.sorted().joined(separator: ",")
    }

    /// Reviews every stored entry when the rules differ from those the store's verdicts were made by, and
    /// releases held entries whose date has come. Returns how many were newly hidden and shown (nil when
    /// nothing needed a full review).
    @discardableResult
    func apply(to store: Store, now: Date) throws(StoreError) -> (hidden: Int, shown: Int)? {
        let fingerprint = fingerprint(now: now)
        guard try store.curationFingerprint() != fingerprint else {
            if !holding.isEmpty {
                try store.reviewVisibility(heldOnly: Self.heldPrefix, withBodies: curation.readsBodies) {
                    hiddenBy($0, now: now)
                }
            }
            return nil
        }
        var totals = (hidden: 0, shown: 0)
        // No rules and nothing hidden: nothing to read (a store upgraded to filters, a planet without them).
        let anyHidden = try store.hasHiddenEntries()
        if !curation.isEmpty || !holding.isEmpty || anyHidden {
            totals = try store.reviewVisibility(withBodies: curation.readsBodies) { hiddenBy($0, now: now) }
        }
        try store.saveCurationFingerprint(fingerprint)
        return totals
    }
}
