import Foundation
import Parsing
import Product
import Storage

/// Which files a publish rewrites, decided from the store as it is now and what was last published (see
/// `PublishedState`), never from what one run changed: a run killed between storing and publishing is made
/// good by the next one.
///
/// - Nothing but `health.atom` (a source crosses `health_after` with time alone) when the outputs were last
///   written at the store's current change counter with the same layout.
/// - Only the changed months' pages, with the index and the combined feeds, and only the changed sources'
///   own feeds, when just entries changed; plus, when months appeared or vanished, the pages whose links to
///   the months before and after them changed.
/// - Everything when the layout changed (settings, sources, templates, version), when the index is missing,
///   or when asked (`tidings render`).
struct PublishPlan: Equatable {
    enum Scope: Equatable {
        case healthOnly
        /// nil: every month, every source.
        case render(onlyMonths: Set<MonthKey>?, onlySources: Set<String>?)
    }

    var scope: Scope
    var layout: String
    var changeCounter: Int
    var months: [MonthKey]
    /// The marks this publish clears once written (up to `changeCounter`: a mark made meanwhile stays).
    var dirtyMonths: Set<MonthKey>
    var dirtySources: Set<String>

    static func decide(
        published: PublishedState, layout: String, changeCounter: Int, months: [MonthKey], dirtyMonths: Set<MonthKey>,
        dirtySources: Set<String>, hasIndex: Bool, full: Bool
    ) -> PublishPlan {
        var plan = PublishPlan(
            scope: .render(onlyMonths: nil, onlySources: nil), layout: layout, changeCounter: changeCounter,
            months: months, dirtyMonths: dirtyMonths, dirtySources: dirtySources)
        guard published.layout == layout, hasIndex, !full else { return plan }
        if published.changeCounter == changeCounter {
            plan.scope = .healthOnly
        } else {
            let onlyMonths = published.months.map { dirtyMonths.union(newNeighbours(from: $0, to: months)) }
            plan.scope = .render(onlyMonths: onlyMonths, onlySources: dirtySources)
        }
        return plan
    }

    /// What every output shows of the settings, the sources, the templates and the version: a change of it
    /// renders everything.
    static func layout(site: Site, folder: URL, records: [SourceRecord]) -> String {
        let sources = records.map {
            [$0.key, $0.displayTitle, $0.siteLink ?? "", $0.webFeedURL(site: site) ?? ""].joined(separator: "\u{1F}")
        }
        let templates = site.templates.texts.sorted { $0.key < $1.key }.map { "\($0.key)\u{1F}\($0.value)" }
        return Fingerprint.of(
            [
                Product.version, site.title, site.baseURL, String(site.maxEntries),
                site.maxPerSource.map(String.init) ?? "-", folder.path, "\(site.pages)",
            ]
                + sources + templates)
    }

    /// The months of `new` (newest first) whose page must be rendered because it is new or because the
    /// months it links to, the one before and the one after it, are not those of `old`.
    static func newNeighbours(from old: [MonthKey], to new: [MonthKey]) -> Set<MonthKey> {
        let before = neighbours(old)
        let after = neighbours(new)
        return Set(new.filter { before[$0] != after[$0] })
    }

    private struct Neighbours: Equatable {
        var older: MonthKey?
        var newer: MonthKey?
    }

    private static func neighbours(_ months: [MonthKey]) -> [MonthKey: Neighbours] {
        var result: [MonthKey: Neighbours] = [:]
        for (index, month) in months.enumerated() {
            result[month] = Neighbours(
                older: index + 1 < months.count ? months[index + 1] : nil, newer: index > 0 ? months[index - 1] : nil)
        }
        return result
    }
}
