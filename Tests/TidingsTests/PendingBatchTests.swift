import Fetching
import Foundation
import Parsing
import Testing

@testable import Tidings

/// 304s and failures are stored a hundred sources at a time; a parsed document never waits.
@Suite struct PendingBatchTests {
    static func processed(_ outcome: Cycle.Processed.Outcome, _ number: Int) -> Cycle.Processed {
        Cycle.Processed(
            source: SourceConfig(key: "s\(number)", url: "https://s\(number).example/feed"),
            result: FetchResult(
                key: "s\(number)", requestedURL: "https://s\(number).example/feed",
                finalURL: "https://s\(number).example/feed", status: 304, outcome: .notModified),
            outcome: outcome)
    }

    @Test func aBatchIsDueAtAHundredResults() {
        var batch = Cycle.PendingBatch()
        var due: [Int] = []
        for number in 1...Cycle.PendingBatch.maxCount where batch.add(Self.processed(.notModified, number)) {
            due.append(number)
        }
        #expect(due == [100])
        let taken = batch.take()
        #expect(taken.count == 100)
        let again = batch.take()
        #expect(again.isEmpty, "taken once")
    }

    @Test func onlyResultsThatChangeNoEntriesWait() {
        #expect(Cycle.PendingBatch.canWait(Self.processed(.notModified, 1)))
        #expect(Cycle.PendingBatch.canWait(Self.processed(.unchanged, 1)))
        let feed = ParsedFeed(metadata: FeedMetadata(format: .rss20), entries: [])
        #expect(!Cycle.PendingBatch.canWait(Self.processed(.parsed(feed), 1)))
        #expect(!Cycle.PendingBatch.canWait(Self.processed(.unparsable(.empty), 1)))
    }
}
