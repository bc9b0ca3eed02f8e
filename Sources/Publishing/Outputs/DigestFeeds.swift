import Storage

/// `digest.*`: one entry per month, listing the month's posts.
struct DigestFeeds: Output {
    func render(_ context: PublishContext) throws {
        let reader = try StoreReader(path: context.storePath)
        let digest = try FeedSet(site: context.site).digest(context.months, now: context.now) { month in
            try reader.newestEntries(year: month.year, month: month.month, limit: FeedSet.digestListLength)
        }
        try context.writeFeed(digest)
    }
}
