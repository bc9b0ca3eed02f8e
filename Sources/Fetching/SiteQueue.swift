/// The requests not yet started, from every caller of one fetcher, grouped by site, handing out the next
/// one whose site is below its limit and whose caller is ready for more. Sites keep the order in which the
/// requests named them, so a long queue of one host's feeds does not hold back everybody else's; running
/// counts are per site across all callers, so polling, discovery and following share one limit.
struct SiteQueue {
    struct Waiting {
        let request: FetchRequest
        let batch: Int
    }

    private var waiting: [String: [Waiting]] = [:]
    private var order: [String] = []
    private var running: [String: Int] = [:]
    var limitPerSite: Int

    init(limitPerSite: Int) {
        self.limitPerSite = max(1, limitPerSite)
    }

    var isEmpty: Bool { order.isEmpty }

    mutating func add(_ requests: [FetchRequest], batch: Int) {
        for request in requests {
            let site = SiteKey.of(request.url)
            if waiting[site] == nil { order.append(site) }
            waiting[site, default: []].append(Waiting(request: request, batch: batch))
        }
    }

    /// Forgets the requests of a batch whose caller has gone.
    mutating func remove(batch: Int) {
        for site in order { waiting[site]?.removeAll { $0.batch == batch } }
        order.removeAll { waiting[$0]?.isEmpty ?? true }
        waiting = waiting.filter { !$0.value.isEmpty }
    }

    /// The next request that may start now (its batch in `ready`), counted as running on its site.
    mutating func next(ready: Set<Int>) -> (request: FetchRequest, batch: Int, site: String)? {
        guard !ready.isEmpty else { return nil }
        for (index, site) in order.enumerated() where running[site, default: 0] < limitPerSite {
            guard let position = waiting[site]?.firstIndex(where: { ready.contains($0.batch) }),
                let item = waiting[site]?.remove(at: position)
            else { continue }
            if waiting[site]?.isEmpty ?? true {
                waiting[site] = nil
                order.remove(at: index)
            }
            running[site, default: 0] += 1
            return (item.request, item.batch, site)
        }
        return nil
    }

    mutating func finished(site: String) {
        running[site, default: 1] -= 1
        if running[site] == 0 { running[site] = nil }
    }
}
