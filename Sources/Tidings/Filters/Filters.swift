import Curation
import Foundation
import Parsing
import Storage

/// The operator's filters applied to the store: each entry's verdict as it is stored, and every stored
/// entry reviewed once the rules change (`feeds.yaml` edited, then a reload or a refresh) — without
/// fetching anything; only the entries whose visibility changed are written, so only the pages and feeds
/// they appear in are rewritten.
struct Filters {
    let curation: Curation

    /// Why a parsed entry of `source` is hidden (nil: shown), first seen at `firstSeen`.
    func hiddenBy(_ entry: ParsedEntry, source: String, firstSeen: Date, now: Date) -> String? {
        guard !curation.isEmpty else { return nil }
        let bodies = curation.readsBodies
        let input = CurationInput(
            title: entry.title, author: entry.author, link: entry.link, categories: entry.categories,
            summary: bodies ? entry.summary.map(PlainText.fromHTML) : nil,
            content: bodies ? entry.content.map(PlainText.fromHTML) : nil, date: entry.published ?? firstSeen,
            firstSeen: firstSeen)
        return curation.hiddenBy(input, source: source, now: now)
    }

    /// Why a stored entry is hidden by these rules (nil: shown).
    func hiddenBy(_ row: VisibilityRow, now: Date) -> String? {
        guard !curation.isEmpty else { return nil }
        return curation.hiddenBy(Self.input(row), source: row.sourceKey, now: now)
    }

    /// What the rules read of a stored entry.
    static func input(_ row: VisibilityRow) -> CurationInput {
        CurationInput(
            title: row.title, author: row.author, link: row.link, categories: row.categories,
            summary: row.summary.map(PlainText.fromHTML), content: row.content.map(PlainText.fromHTML),
            date: row.published ?? row.firstSeen, firstSeen: row.firstSeen)
    }

    /// Reviews every stored entry when the rules differ from those the store's verdicts were made by.
    /// Returns how many were newly hidden and shown (nil when nothing needed reviewing).
    @discardableResult
    func apply(to store: Store, now: Date) throws(StoreError) -> (hidden: Int, shown: Int)? {
        let fingerprint = curation.fingerprint(now: now)
        guard try store.curationFingerprint() != fingerprint else { return nil }
        var totals = (hidden: 0, shown: 0)
        // No rules and nothing hidden: nothing to read (a store upgraded to filters, a planet without them).
        let anyHidden = try store.hasHiddenEntries()
        if !curation.isEmpty || anyHidden {
            totals = try store.reviewVisibility(withBodies: curation.readsBodies) { hiddenBy($0, now: now) }
        }
        try store.saveCurationFingerprint(fingerprint)
        return totals
    }
}
