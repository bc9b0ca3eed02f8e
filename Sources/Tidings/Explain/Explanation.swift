import Curation
import Fetching
import Foundation
import Publishing
import Storage
import Time

/// Why a post is or is not on the planet, in words a member can act on: `tidings explain URL|ID`. It reads
/// the store read-only and the configuration as it is.
public struct Explanation: Sendable, Encodable {
    /// One fact: a label and what it says ("hidden by", "feeds.yaml:12: exclude { … }").
    public struct Fact: Sendable, Encodable, Equatable {
        public var label: String
        public var text: String
    }

    public var query: String
    /// A stored post's facts; or, for a URL never stored, what is known of the source that would own it.
    public var posts: [[Fact]] = []
    public var notStored: [Fact]?

    public static func explain(_ query: String, config: Config, now: Date = Date()) throws -> Explanation {
        var result = Explanation(query: query)
        guard FileManager.default.fileExists(atPath: config.databaseFile.path) else {
            result.notStored = [Fact(label: "store", text: "none yet at \(config.databaseFile.path): nothing was fetched")]
            return result
        }
        let reader = try StoreReader(path: config.databaseFile.path)
        let found = try reader.entries(named: query)
        guard !found.isEmpty else {
            result.notStored = try owner(of: query, config: config, reader: reader)
            return result
        }
        let front = Set(
            try reader.latestEntries(limit: config.maxEntries, perSource: config.maxPerSource).map(\.publicID))
        result.posts = try found.map { found in
            var facts = facts(of: found, front: front, config: config)
            let entry = found.entry
            if let fetch = try reader.fetch(of: entry.sourceKey, firstSeen: entry.firstSeen) {
                let status = fetch.status.map { "HTTP \($0)" } ?? "no status"
                facts.insert(
                    Fact(label: "first fetch", text: "\(Timestamp.display(fetch.at)) of \(fetch.url) (\(status))"), at: 4)
            }
            for merge in try reader.merges(of: found) {
                let was = [merge.entryID.map { "id \($0)" }, merge.link.map { "link \($0)" }].compactMap { $0 }
                facts.append(
                    Fact(
                        label: "merged",
                        text: "known as \(was.joined(separator: ", ")) until \(Timestamp.display(merge.at)), when its"
                            + " feed renamed it; its public id stayed"))
            }
            return facts
        }
        return result
    }

    private static func facts(of stored: EntryFacts, front: Set<String>, config: Config) -> [Fact] {
        let entry = stored.entry
        var facts = [
            Fact(label: "title", text: entry.title ?? "(untitled)"),
            Fact(label: "source", text: "\(entry.sourceKey) (\(entry.sourceTitle))"),
            Fact(label: "link", text: entry.link ?? "(none)"),
            Fact(label: "first seen", text: Timestamp.display(entry.firstSeen)),
            Fact(
                label: "date",
                text: stored.claimedDate.map {
                    "\(Timestamp.display(entry.date)): its feed says \(Timestamp.display($0)), in the future when it"
                        + " was fetched, so it was clamped to the fetch (future_dates: clamp)"
                } ?? entry.published.map { "\(Timestamp.display($0)), as its feed gives it" }
                    ?? "\(Timestamp.display(entry.date)): its feed gives none, so when it was first seen"),
            Fact(label: "public id", text: entry.publicID),
            Fact(label: "id in its feed", text: entry.entryID),
        ]
        if !stored.removed.isEmpty {
            let counts = stored.removed.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }
            facts.append(Fact(label: "sanitised", text: "removed " + counts.joined(separator: ", ")))
        }
        if let published = entry.published, published > entry.firstSeen.addingTimeInterval(Curation.futureTolerance) {
            facts.append(Fact(label: "note", text: "dated later than it was first seen (a date in the future)"))
        }
        guard stored.sourceActive else {
            facts.append(
                Fact(label: "published", text: "nowhere: its source is no longer in \(config.file.lastPathComponent)"))
            return facts
        }
        if let rule = stored.hiddenBy {
            facts.append(Fact(label: "hidden", text: rule))
            facts.append(Fact(label: "published", text: "nowhere while the rule holds (it stays stored)"))
            return facts
        }
        var places: [String] = []
        if front.contains(entry.publicID) {
            places.append("feed.atom, feed.rss, feed.json and index.html")
        } else if stored.heldFromTheFront {
            facts.append(
                Fact(
                    label: "front page",
                    text: "held from it: its source's first fetch brought more than new_source_items"
                        + " (\(config.newSourceItems.map(String.init) ?? "-")) posts, and this is one of the older ones"))
        } else {
            let cap = config.maxPerSource.map { " or, with max_per_source: \($0), not among its source's newest \($0)" }
            facts.append(
                Fact(
                    label: "front page",
                    text: "not among the newest \(config.maxEntries) (max_entries)\(cap ?? ""): newer posts came after it"))
        }
        places.append(PostLocation.monthPage(of: entry, pages: config.pages))
        places.append(PostLocation.sourceFeed(of: entry.sourceKey))
        facts.append(Fact(label: "published", text: places.joined(separator: "; ")))
        return facts
    }

    /// For a URL never stored: the configured source on the same site, what its last fetch found, and why a
    /// post can be missing.
    private static func owner(of query: String, config: Config, reader: StoreReader) throws -> [Fact] {
        let records = Dictionary(try reader.sources().map { ($0.key, $0) }) { first, _ in first }
        let site = SiteKey.of(query)
        let owners = config.sources.filter { source in
            SiteKey.of(source.url) == site || records[source.key]?.siteLink.map(SiteKey.of) == site
        }
        // Of several on one site, the one whose address shares the most with the URL.
        func shared(_ text: String?) -> Int { text.map { zip($0, query).prefix { $0 == $1 }.count } ?? 0 }
        let best = owners.max { source, other in
            max(shared(source.url), shared(records[source.key]?.siteLink))
                < max(shared(other.url), shared(records[other.key]?.siteLink))
        }
        guard let source = best else {
            return [
                Fact(label: "stored", text: "no"),
                Fact(label: "source", text: "no configured source is on \(site): add its feed to \(config.file.lastPathComponent)"),
            ]
        }
        var facts = [Fact(label: "stored", text: "no"), Fact(label: "source", text: "\(source.key), on the same site")]
        guard let record = records[source.key], let fetched = record.lastFetchedAt else {
            facts.append(Fact(label: "last fetch", text: "never: it is fetched at the next round"))
            return facts
        }
        let status = record.lastStatus.map { "HTTP \($0)" } ?? "no answer"
        facts.append(Fact(label: "last fetch", text: "\(Timestamp.display(fetched)), \(status)"))
        if let error = record.lastError { facts.append(Fact(label: "last error", text: error)) }
        facts.append(
            Fact(
                label: "why",
                text: "none of its \(record.entryCount) stored posts links to this URL: a post is seen only while it is"
                    + " among the items its feed lists (often only the newest 10 to 20), so one published and"
                    + " dropped between two fetches, or never in the feed, is missed"))
        return facts
    }
}
