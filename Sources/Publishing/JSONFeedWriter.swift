import Foundation
import Parsing

/// A feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1). The blog is credited in `authors`, which
/// readers show, and described in full in the `_tidings` extension object.
enum JSONFeedWriter {
    static func render(_ channel: FeedChannel, site: Site) -> String {
        let feed = Feed(
            title: channel.title, home_page_url: channel.homePage, feed_url: channel.url(.json, site: site),
            description: channel.description, items: channel.items.map(Item.init))
        let encoder = JSONEncoder()
        // Sorted keys: the same store gives the same bytes, so an unchanged feed is not written again.
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(feed) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // The field names are the specification's.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct Feed: Encodable {
        var version = "https://jsonfeed.org/version/1.1"
        var title: String
        var home_page_url: String
        var feed_url: String
        var description: String
        var items: [Item]
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct Item: Encodable {
        var id: String
        var url: String?
        var title: String
        var content_html: String
        var summary: String?
        var date_published: String
        var date_modified: String
        var authors: [Author]
        var tags: [String]?
        var attachments: [Attachment]?
        var _tidings: Extension?

        init(_ item: FeedItem) {
            id = item.id
            url = item.link
            title = item.title
            // One of content_html and content_text is required: the summary stands in when there is no content.
            content_html = item.contentHTML ?? item.summaryHTML ?? ""
            summary = item.contentHTML == nil ? nil : item.summaryHTML.map(PlainText.fromHTML)
            date_published = Timestamp.rfc3339(item.published)
            date_modified = Timestamp.rfc3339(item.updated)
            authors = [Author(name: item.credit)]
            tags = item.categories.isEmpty ? nil : item.categories
            attachments =
                item.enclosures.isEmpty
                ? nil
                : item.enclosures.map {
                    Attachment(
                        url: $0.url, mime_type: $0.type ?? "application/octet-stream",
                        size_in_bytes: $0.length.flatMap { $0 > 0 ? $0 : nil })
                }
            _tidings = item.blog.map {
                Extension(
                    source: Source(key: $0.key, title: $0.title, home_page_url: $0.siteLink, feed_url: $0.feedURL))
            }
        }
    }

    private struct Author: Encodable {
        var name: String
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct Attachment: Encodable {
        var url: String
        var mime_type: String
        var size_in_bytes: Int?
    }

    private struct Extension: Encodable {
        var source: Source
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct Source: Encodable {
        var key: String
        var title: String
        var home_page_url: String?
        var feed_url: String?
    }
}
