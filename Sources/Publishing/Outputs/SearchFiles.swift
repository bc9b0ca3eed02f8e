import Foundation
import Storage
import Time

/// What the pages' search box reads, with no server: one small JSON file per month, `search/YYYY-MM.json`
/// (each post's title, source, day, link, author and tags), written with the month's page from the same
/// read of its entries; `search/index.json`, the months newest first with their counts; and `search.js`,
/// the script that loads the months only when someone searches, newest first, and stops once it has enough.
/// Only what the month pages show is listed: hidden posts and inactive sources are not.
///
/// Full text stays with `tidings search`: a million posts' bodies are gigabytes no browser should load.
struct SearchFiles: Output {
    func render(_ context: PublishContext) throws {
        guard context.site.pages.search else { return }
        try context.write(Self.index(context.months), Self.indexPath)
        try context.write(Self.script, Self.scriptPath)
    }

    func stalePaths(_ context: PublishContext) -> [String] {
        let kept: Set<String> =
            context.site.pages.search
            ? Set(context.months.map(SearchList.path) + [Self.indexPath]) : []
        let folder = context.folder.appendingPathComponent("search")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var stale = names.map { "search/" + $0 }.filter { $0.hasSuffix(".json") && !kept.contains($0) }.sorted()
        if !context.site.pages.search,
            FileManager.default.fileExists(atPath: context.folder.appendingPathComponent(Self.scriptPath).path)
        {
            stale.append(Self.scriptPath)
        }
        return stale
    }

    static let indexPath = "search/index.json"
    static let scriptPath = "search.js"
    static let script = String(decoding: PackageResources.search_js, as: UTF8.self)

    /// `{"version":1,"months":[["2026-12",120],…]}`, newest first: what the script loads, and how many posts
    /// each month holds (shown while it searches).
    static func index(_ months: [MonthCount]) -> String {
        let lines = months.map { "[\"\(SearchList.name($0))\",\($0.count)]" }
        return "{\"version\":1,\"months\":[\n" + lines.joined(separator: ",\n") + "\n]}\n"
    }
}

/// One month's search file, made while its page is rendered: the month's sources once, then a line per post,
/// `[title, source, day, link, author, tags]` (the day in the pages' zone, as the page's anchors name it;
/// empty trailing fields left out).
final class SearchList {
    private var sourceIndex: [String: Int] = [:]
    private var sources: [UInt8] = []
    private var posts: [UInt8] = []
    private let zone: TimeZone
    /// The last day written and its label: a month's posts come in day order, most share their day's.
    private var day = (number: Int.min, label: [UInt8]())

    init(zone: TimeZone) {
        self.zone = zone
    }

    func add(_ entry: StoredEntry) {
        let source: Int
        if let known = sourceIndex[entry.sourceKey] {
            source = known
        } else {
            source = sourceIndex.count
            sourceIndex[entry.sourceKey] = source
            if source > 0 { sources.append(UInt8(ascii: ",")) }
            sources.append(UInt8(ascii: "["))
            JSONText.appendQuoted(entry.sourceKey, to: &sources)
            sources.append(UInt8(ascii: ","))
            JSONText.appendQuoted(entry.sourceTitle, to: &sources)
            sources.append(UInt8(ascii: "]"))
        }
        let number = CivilCalendar.dayNumber(entry.date, in: zone)
        if number != day.number {
            day = (number, Array(("\"" + Timestamp.day(entry.date, in: zone) + "\"").utf8))
        }
        if !posts.isEmpty { posts.append(contentsOf: ",\n".utf8) }
        posts.append(UInt8(ascii: "["))
        JSONText.appendQuoted(entry.displayTitle, to: &posts)
        posts.append(UInt8(ascii: ","))
        posts.append(contentsOf: String(source).utf8)
        posts.append(UInt8(ascii: ","))
        posts.append(contentsOf: day.label)
        // Empty trailing fields are left out: most posts have no tags, many no author.
        let tags = entry.categories.joined(separator: ", ")
        let optional = [entry.publicLink ?? "", entry.author ?? "", tags]
        let kept = (optional.lastIndex { !$0.isEmpty }).map { $0 + 1 } ?? 0
        for value in optional.prefix(kept) {
            posts.append(UInt8(ascii: ","))
            JSONText.appendQuoted(value, to: &posts)
        }
        posts.append(UInt8(ascii: "]"))
    }

    /// The file's text.
    func json(_ month: MonthCount) -> String {
        var text = Array("{\"version\":1,\"month\":\"\(Self.name(month))\",\"sources\":[".utf8)
        text.reserveCapacity(text.count + sources.count + posts.count + 16)
        text += sources
        text += Array("],\"posts\":[\n".utf8)
        text += posts
        text += Array("\n]}\n".utf8)
        return String(decoding: text, as: UTF8.self)
    }

    /// "2026-03".
    static func name(_ month: MonthCount) -> String {
        String(format: "%04d-%02d", month.year, month.month)
    }

    static func path(_ month: MonthCount) -> String {
        "search/\(name(month)).json"
    }
}

/// A month's entries as they pass to its page, each also added to the month's search list.
struct ListedEntries<Base: IteratorProtocol<StoredEntry>>: IteratorProtocol {
    var base: Base
    let list: SearchList?

    mutating func next() -> StoredEntry? {
        let entry = base.next()
        if let entry { list?.add(entry) }
        return entry
    }
}
