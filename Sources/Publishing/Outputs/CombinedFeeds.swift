/// `feed.atom`, `feed.rss`, `feed.json`: the newest posts of every source.
struct CombinedFeeds: Output {
    func render(_ context: PublishContext) throws {
        try context.writeFeed(FeedSet(site: context.site).combined(context.latest, sources: context.sources))
    }
}
