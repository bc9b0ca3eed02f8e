/// `index.html`: the latest posts, the recent months, the blogroll and the subscribe links.
struct SiteIndex: Output {
    func render(_ context: PublishContext) throws {
        try context.write(
            context.renderer.indexPage(latest: context.latest, months: context.months, sources: context.records),
            "index.html")
    }
}

/// `archive.html`: every month with its count.
struct Archive: Output {
    func render(_ context: PublishContext) throws {
        try context.write(context.renderer.archivePage(months: context.months), "archive.html")
    }
}
