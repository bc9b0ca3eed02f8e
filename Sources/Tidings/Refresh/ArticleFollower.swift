import Fetching
import Foundation
import Parsing

/// `follow:` — fetches the page of each new entry (one without stored content) and keeps its article
/// body as the entry's content, so word counts and the generated feeds carry the full text. A page that
/// fails or yields no article leaves the summary, and is tried again next refresh.
struct ArticleFollower: Sendable {
    let fetcher: Fetcher

    /// The most article pages one refresh fetches for one source: a newly added source with a long
    /// page is followed over several refreshes rather than all at once.
    static let followsPerRefresh = 20

    /// `http`: the source's options; its headers and cookie go only to pages on the source's own host.
    func follow(
        _ feed: ParsedFeed, rule: FollowRule, options: ParserOptions, known: Set<String>, now: Date,
        http: HTTPOptions = HTTPOptions()
    ) async -> ParsedFeed {
        var feed = feed
        let wanted = feed.entries.indices.filter { index in
            feed.entries[index].link != nil && feed.entries[index].content == nil
                && !known.contains(feed.entries[index].id)
        }.prefix(Self.followsPerRefresh)
        guard !wanted.isEmpty else { return feed }
        let requests = wanted.map { FetchRequest(key: String($0), url: feed.entries[$0].link ?? "", http: http) }
        let extractor = ArticleExtractor(options: options)
        var failures = 0
        for await result in fetcher.fetch(requests) {
            guard let index = Int(result.key), case .fetched(let body) = result.outcome,
                let article = extractor.extract(
                    body, url: result.finalURL, contentType: result.contentType, selectors: rule.content, now: now)
            else {
                failures += 1
                continue
            }
            feed.entries[index] = Self.entry(feed.entries[index], with: article, now: now)
        }
        if failures > 0 {
            feed.warnings.append(
                "\(failures) of \(wanted.count) followed article pages gave no article; their summaries stay")
        }
        return feed
    }

    private static func entry(_ entry: ParsedEntry, with article: ArticleExtractor.Article, now: Date) -> ParsedEntry {
        var entry = entry
        entry.content = article.content.html
        entry.wordCount = WordCounter.count(article.content.text)
        entry.excerpt = entry.excerpt ?? PlainText.excerpt(article.content.text, limit: ParsedEntry.excerptLength)
        // A page's own date fills a gap; it never moves past the fetch time.
        if entry.published == nil, let published = article.published { entry.published = min(published, now) }
        entry.origins["content"] = article.origin
        return entry
    }
}
