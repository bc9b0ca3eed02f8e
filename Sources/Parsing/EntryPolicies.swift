import Foundation

/// The per-source decisions applied to a document's entries once every format has been read the same
/// way: where ids come from, entries that share an id, and dates in the future.
struct EntryPolicies {
    let options: ParserOptions
    let now: Date

    func apply(to entries: [ParsedEntry]) -> [ParsedEntry] {
        var result: [ParsedEntry] = []
        var seen: [String: Int] = [:]
        for var entry in entries {
            entry.id = identity(of: entry)
            applyDatePolicy(to: &entry)
            if let earlier = seen[entry.id] {
                // The same id twice in one document: the same post listed twice is kept once; distinct
                // posts that share a guid (a lazy CMS) are told apart by their links.
                if result[earlier].link == entry.link { continue }
                entry.id += " " + (entry.link ?? String(result.count))
            }
            seen[entry.id] = result.count
            result.append(entry)
        }
        return result
    }

    private func identity(of entry: ParsedEntry) -> String {
        switch options.idSource {
        case .guid: return entry.id
        case .link: return entry.link ?? entry.id
        case .titleAndLink: return StableID.make(from: [entry.title ?? "", entry.link ?? ""])
        }
    }

    private func applyDatePolicy(to entry: inout ParsedEntry) {
        switch options.futureDates {
        case .keep:
            return
        case .clamp:
            if let published = entry.published, published > now { entry.published = now }
            // An update from the future says nothing believable; dropping it (rather than moving it to
            // the fetch time) keeps the entry unchanged from one refresh to the next.
            if let updated = entry.updated, updated > now { entry.updated = nil }
        case .ignoreDate:
            entry.published = nil
            entry.updated = nil
        }
    }
}
