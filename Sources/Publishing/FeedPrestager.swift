import Foundation
import Storage
import Synchronization

/// Renders a source's own feeds as soon as a refresh has stored its entries, on a thread of its own, while
/// other sources are still being fetched and parsed: at 1,000 sources a cold refresh's final publish would
/// otherwise render 3,000 feed files after everything else. The files are written under temporary names;
/// the publish takes those still current (the source's entries unchanged since) and renders the rest.
public final class FeedPrestager: Sendable {
    /// One source's feeds, rendered from the store as it was at `counter` (its `dirty_sources` mark).
    struct Feeds: Sendable {
        var counter: Int?
        /// Each file with its staged copy, or nil when the file already held these bytes.
        var files: [(path: String, staged: OutputSet.StagedFile?)]

        /// Removes the temporary files of those of `files` no publish took.
        func removeStaged(except taken: Set<String> = []) {
            for file in files where !taken.contains(file.path) {
                if let staged = file.staged { unlink(staged.temporary.path) }
            }
        }
    }

    private let site: Site
    private let folder: URL
    private let storePath: String
    private let queue = DispatchQueue(label: "tidings.source-feeds", qos: .utility)
    private let reader = Mutex<StoreReader?>(nil)
    private let rendered = Mutex<[String: Feeds]>([:])

    public init(site: Site, folder: URL, storePath: String) {
        self.site = site
        self.folder = folder
        self.storePath = storePath
    }

    /// Renders `key`'s feeds soon, once its entries are committed. A failure is left to the publish.
    public func stage(_ key: String) {
        queue.async { [self] in
            let feeds = reader.withLock { reader -> Feeds? in
                do {
                    if reader == nil { reader = try StoreReader(path: storePath) }
                    guard let read = try reader?.sourceFeed(key, limit: SourceFeeds.length) else { return nil }
                    let channel = FeedSet(site: site).source(read.source, entries: read.entries)
                    var files: [(String, OutputSet.StagedFile?)] = []
                    for (contents, path) in FeedFormatWriters.render(channel, site: site) {
                        files.append((path, try OutputSet.write(contents, at: path, in: folder)))
                    }
                    return Feeds(counter: read.counter, files: files)
                } catch {
                    return nil
                }
            }
            if let feeds { rendered.withLock { $0[key] = feeds } }
        }
    }

    /// Waits until every feed asked for so far is rendered.
    public func wait() {
        queue.sync {}
    }

    /// Waits for the feeds in progress, and hands over every one rendered (the publish removes the
    /// temporary files of those it does not take).
    func take() -> [String: Feeds] {
        wait()
        return rendered.withLock { feeds in
            defer { feeds = [:] }
            return feeds
        }
    }

    /// Removes the temporary files of feeds no publish took (a refresh that failed, or published nothing).
    public func discard() {
        for feeds in take().values { feeds.removeStaged() }
    }
}

/// A channel in its three formats, with the path of each.
enum FeedFormatWriters {
    static func render(_ channel: FeedChannel, site: Site) -> [(String, String)] {
        [
            (AtomWriter.render(channel, site: site), channel.path + ".atom"),
            (RSSWriter.render(channel, site: site), channel.path + ".rss"),
            (JSONFeedWriter.render(channel, site: site), channel.path + ".json"),
        ]
    }
}
