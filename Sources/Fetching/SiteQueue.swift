/// The requests not yet started, grouped by site, handing out the next one whose site is below its
/// limit. Sites keep the order in which the requests named them, so a long queue of one host's feeds
/// does not hold back everybody else's.
struct SiteQueue {
    private var waiting: [String: ArraySlice<FetchRequest>] = [:]
    private var order: [String] = []
    private var running: [String: Int] = [:]
    private let limitPerSite: Int

    init(_ requests: [FetchRequest], limitPerSite: Int) {
        self.limitPerSite = max(1, limitPerSite)
        var grouped: [String: [FetchRequest]] = [:]
        for request in requests {
            let site = SiteKey.of(request.url)
            if grouped[site] == nil { order.append(site) }
            grouped[site, default: []].append(request)
        }
        waiting = grouped.mapValues { $0[...] }
    }

    var isEmpty: Bool { order.isEmpty }

    /// The next request that may start now, counted as running on its site.
    mutating func next() -> (request: FetchRequest, site: String)? {
        for (index, site) in order.enumerated() where running[site, default: 0] < limitPerSite {
            guard let request = waiting[site]?.popFirst() else { continue }
            if waiting[site]?.isEmpty ?? true {
                waiting[site] = nil
                order.remove(at: index)
            }
            running[site, default: 0] += 1
            return (request, site)
        }
        return nil
    }

    mutating func finished(site: String) {
        running[site, default: 1] -= 1
    }
}
