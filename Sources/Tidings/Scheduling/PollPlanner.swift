import Checked
import Fetching
import Foundation
import Parsing
import Storage
import Time

/// Decides when each source is polled next: the regular schedule (adaptive, or the source's own
/// `interval`, never below the feed's ttl), the server's wishes (`Retry-After`, `Cache-Control`,
/// `Expires`, 410 Gone), backoff after failures, and adopting permanent redirects.
public struct PollPlanner: Sendable {
    let policy: PollPolicy

    /// What happened to a source in one fetch, as far as scheduling cares.
    enum Verdict {
        /// A document arrived and was stored, or had not changed.
        case success(ParsedFeed?)
        /// The source failed; `counts` is false when the network was down rather than the server.
        case failure(counts: Bool)
    }

    /// The new poll state after fetching `record` with `result`. `postingDates` are the source's newest
    /// entries' dates, newest first.
    func plan(
        _ record: SourceRecord, result: FetchResult, verdict: Verdict, interval override: Duration?,
        postingDates: [Date], now: Date
    ) -> PollState {
        var poll = record.poll
        switch verdict {
        case .success(let feed):
            poll.goneSince = nil
            poll.waitUntil = nil
            poll.waitReason = nil
            if let feed {
                poll.updateInterval = feed.metadata.updateInterval
                poll.hub = feed.metadata.hub
            }
            trackMove(&poll, record: record, result: result, now: now)
        case .failure(let counts):
            if result.status == 410 { poll.goneSince = poll.goneSince ?? now }
            if counts {
                wait(&poll, key: record.key, failures: record.consecutiveFailures + 1, result: result, now: now)
            }
        }
        var next = Checked.adding(
            seconds(regularInterval(override, feed: poll.updateInterval, posts: postingDates, now: now)), to: now)
        if case .success = verdict, let fresh = result.freshUntil(now: now) {
            next = max(next, min(fresh, now.addingTimeInterval(seconds(policy.maxInterval))))
        }
        if let wait = poll.waitUntil { next = max(next, wait) }
        poll.nextPollAt = next
        return poll
    }

    /// The regular interval: the source's own, else learnt from how often it posts (four polls per
    /// average gap between posts, within the policy's bounds); never shorter than the feed's ttl.
    func regularInterval(_ override: Duration?, feed: Duration?, posts: [Date], now: Date) -> Duration {
        var interval = override ?? adaptiveInterval(posts: posts, now: now)
        if let feed { interval = max(interval, min(feed, policy.maxInterval)) }
        return interval
    }

    private func adaptiveInterval(posts: [Date], now: Date) -> Duration {
        guard posts.count >= 3, let newest = posts.first, let oldest = posts.last else { return policy.interval }
        let meanGap = newest.timeIntervalSince(oldest) / Double(posts.count - 1)
        // A source that has gone quiet is polled as if its next post were as far off as its silence.
        let gap = max(meanGap, now.timeIntervalSince(newest))
        // Dates stored from a feed are within years 1 to 9999, but a gap of millennia still overflows Int
        // arithmetic on Duration: clamp before converting.
        let interval = Duration.seconds(Checked.int(gap / 4, clampedTo: 0...Int(Int32.max)))
        return min(max(interval, policy.interval), policy.maxInterval)
    }

    /// Backoff after `failures` in a row, and the server's `Retry-After` on 429 and 503.
    private func wait(_ poll: inout PollState, key: String, failures: Int, result: FetchResult, now: Date) {
        let backoff = backoff(failures: failures, key: key)
        var until = Checked.adding(backoff, to: now)
        var reason = "backing off after \(failures) failure\(failures == 1 ? "" : "s") in a row"
        if let status = result.status, status == 429 || status == 503, let retryAfter = result.retryAfter(now: now) {
            let capped = min(retryAfter, now.addingTimeInterval(seconds(policy.maxRetryAfter)))
            if capped >= until {
                until = capped
                reason = "the server asked to wait (HTTP \(status), Retry-After)"
            }
        }
        poll.waitUntil = until
        poll.waitReason = reason
    }

    /// `firstBackoff` doubled per further failure, capped, less up to 20% jitter so that sources which
    /// failed together (one host down) do not all come back at the same second. The jitter is derived
    /// from the source's key, so it is stable for a source and differs between sources.
    func backoff(failures: Int, key: String) -> TimeInterval {
        let exponent = min(max(failures - 1, 0), 30)
        let raw = seconds(policy.firstBackoff) * pow(2, Double(exponent))
        let capped = min(raw, seconds(policy.maxBackoff))
        return capped * (1 - 0.2 * Self.stableFraction([key, String(failures)]))
    }

    /// Counts a permanent redirect towards adoption, or forgets it when this fetch went straight through.
    private func trackMove(_ poll: inout PollState, record: SourceRecord, result: FetchResult, now: Date) {
        guard let target = result.redirects.permanentTarget, target != record.fetchURL else {
            if result.redirects.isEmpty { poll.moveCandidate = nil }
            return
        }
        var candidate = poll.moveCandidate ?? MoveCandidate(url: target, firstSeen: now, seen: 0)
        if candidate.url != target { candidate = MoveCandidate(url: target, firstSeen: now, seen: 0) }
        candidate.seen += 1
        if candidate.seen >= policy.adoptMovesSeen,
            now.timeIntervalSince(candidate.firstSeen) >= seconds(policy.adoptMovesAfter)
        {
            poll.movedURL = target
            poll.moveCandidate = nil
        } else {
            poll.moveCandidate = candidate
        }
    }

    /// Start-up after a pause: sources whose poll is overdue are spread over `startupSpread`, each at a
    /// stable offset of its own, instead of all at once. Sources never fetched go first, now.
    public func spreadOverdue(_ records: [SourceRecord], now: Date) -> [(key: String, at: Date)] {
        records.compactMap { record in
            guard record.lastFetchedAt != nil, let next = record.poll.nextPollAt, next < now else { return nil }
            let offset = seconds(policy.startupSpread) * Self.stableFraction([record.key])
            return (record.key, now.addingTimeInterval(offset))
        }
    }

    /// A number in [0, 1) that is the same for the same strings on every run and spreads similar keys
    /// ("blog1", "blog2") evenly: the fingerprint's bits mixed by a 64-bit finaliser (MurmurHash3's).
    static func stableFraction(_ parts: [String]) -> Double {
        var bits = UInt64(Fingerprint.of(parts), radix: 16) ?? 0
        bits ^= bits >> 33
        bits &*= 0xff51_afd7_ed55_8ccd
        bits ^= bits >> 33
        bits &*= 0xc4ce_b9fe_1a85_ec53
        bits ^= bits >> 33
        return Double(bits >> 11) / Double(UInt64(1) << 53)
    }

    /// Why a source may not be fetched now whatever the schedule says (gone, or told to wait), or nil.
    /// `tidings refresh` honours this; `--force` does not.
    static func heldBack(_ record: SourceRecord, now: Date) -> String? {
        if let gone = record.poll.goneSince {
            return "gone (HTTP 410) since \(Timestamp.display(gone)); it is not fetched again until its URL in"
                + " feeds.yaml changes (or with --force)"
        }
        if let wait = record.poll.waitUntil, wait > now {
            let reason = record.poll.waitReason ?? "waiting"
            return "\(reason); next try after \(Timestamp.display(wait)) (or now with --force)"
        }
        return nil
    }

    /// When the schedule next wants the source polled: its planned poll, or the end of a wait the server or
    /// backoff imposed, whichever is later; nil for a source gone (HTTP 410) until its URL changes.
    public static func dueAt(_ record: SourceRecord) -> Date? {
        guard record.poll.goneSince == nil else { return nil }
        return max(record.poll.nextPollAt ?? .distantPast, record.poll.waitUntil ?? .distantPast)
    }

    /// Whether the daemon's schedule wants the source polled now.
    public static func isDue(_ record: SourceRecord, now: Date) -> Bool {
        dueAt(record).map { $0 <= now } ?? false
    }

    /// The earliest moment one of `records` falls due; nil when none ever will.
    public static func nextDue(_ records: [SourceRecord]) -> Date? {
        records.compactMap(dueAt).min()
    }

    private func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
