import Foundation

/// The per-source decisions applied to a document's entries once every format has been read the same
/// way: where ids come from, entries that share an id, and dates in the future.
struct EntryPolicies {
    let options: ParserOptions
    let now: Date

    func apply(to entries: [ParsedEntry]) -> [ParsedEntry] {
        var result: [ParsedEntry] = []
        var seen: Set<String> = []
        let prepared = entries.map { entry in
            var entry = entry
            entry.id = identity(of: entry)
            applyDatePolicy(to: &entry)
            return entry
        }
        let shared = Self.sharedIDs(prepared)
        for var entry in prepared {
            // Distinct posts that share a guid (a lazy CMS) are each told apart by something of their own,
            // never by their position: reordering, adding or removing a sibling changes no id.
            if shared.contains(entry.id) { entry.id += " " + Self.distinction(of: entry) }
            // The same post listed twice is kept once.
            guard seen.insert(entry.id).inserted else { continue }
            result.append(entry)
        }
        return result
    }

    /// The ids that more than one distinct post carries. Only ids seen twice are looked at closer: working
    /// out a normalised link costs a URL parse, and nearly every id is unique.
    private static func sharedIDs(_ entries: [ParsedEntry]) -> Set<String> {
        var counts: [String: Int] = [:]
        for entry in entries { counts[entry.id, default: 0] += 1 }
        var distinctions: [String: Set<String>] = [:]
        for entry in entries where counts[entry.id, default: 0] > 1 {
            distinctions[entry.id, default: []].insert(distinction(of: entry))
        }
        return Set(distinctions.filter { $0.value.count > 1 }.keys)
    }

    /// What tells a post apart from others sharing its guid: its link, normalised (so a move to https or
    /// tracking parameters change nothing), else its title and date.
    private static func distinction(of entry: ParsedEntry) -> String {
        LinkAlias.key(for: entry.link) ?? entry.link
            ?? StableID.make(from: [entry.title ?? "", entry.published.map { String($0.timeIntervalSince1970) } ?? ""])
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
        case .keep, .hold:
            return
        case .clamp:
            if let published = entry.published, published > now {
                entry.claimedPublished = published
                entry.published = now
            }
            // An update from the future says nothing believable; dropping it (rather than moving it to
            // the fetch time) keeps the entry unchanged from one refresh to the next.
            if let updated = entry.updated, updated > now { entry.updated = nil }
        case .ignoreDate:
            entry.published = nil
            entry.updated = nil
        }
    }
}
