import Storage

/// The months that had pages when the outputs were last published, kept in the store as text
/// ("2026-3,2026-1", newest first), and what a change of them means for the pages.
struct MonthList {
    let months: [MonthKey]

    init(_ months: [MonthKey]) {
        self.months = months
    }

    init?(_ text: String) {
        var months: [MonthKey] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "-")
            guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
            months.append(MonthKey(year: year, month: month))
        }
        self.months = months
    }

    var text: String {
        months.map { "\($0.year)-\($0.month)" }.joined(separator: ",")
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
