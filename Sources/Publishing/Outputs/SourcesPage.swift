import Foundation
import Parsing
import Storage
import Time

/// `sources.html`: the operator's page — every source with its health in words, its last post, its posts
/// per month over the last twelve months, and how many of its posts are hidden or held from the front.
/// Rendered with the index (whenever entries, sources or settings changed), and when a source starts, stops or
/// changes failing (`healthFingerprint`). A working source's "last fetched" moves on only with the index: a
/// round in which nothing changed rewrites no page.
struct SourcesPage: Output {
    func render(_ context: PublishContext) throws {
        let reader = try StoreReader(path: context.storePath)
        let months = SourcesPage.lastTwelveMonths(now: context.now)
        let activity = try reader.activity(fromMonth: months[0])
        try context.write(
            context.renderer.sourcesPage(sources: context.records, activity: activity, months: months, now: context.now),
            "sources.html")
    }

    /// What the page shows of the sources' failures: which fail, since when, with what error.
    static func healthFingerprint(_ records: [SourceRecord]) -> String {
        Fingerprint.of(
            records.filter(\.isFailing).map {
                [$0.key, $0.lastError ?? "", $0.failingSince.map { String(Int($0.timeIntervalSince1970)) } ?? ""]
                    .joined(separator: "\u{1F}")
            })
    }

    /// The twelve months ending with `now`'s, oldest first, as year * 100 + month (UTC, as the pages are).
    static func lastTwelveMonths(now: Date) -> [Int] {
        let today = CivilCalendar.civil(now)
        return (0..<12).reversed().map { back in
            let index = today.year * 12 + (today.month - 1) - back
            return (index / 12) * 100 + index % 12 + 1
        }
    }
}
