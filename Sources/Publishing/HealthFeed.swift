import Checked
import Foundation
import Parsing
import Storage
import Time

/// A source that has been failing for longer than the site's `health_after`.
public struct HealthProblem: Sendable, Equatable {
    public var key: String
    public var title: String
    /// Where its fetches go.
    public var url: String
    public var failingSince: Date
    /// Since when its error has read as `error`.
    public var errorSince: Date
    public var error: String
    public var lastSuccess: Date?
    /// Not a failure: a burst of new posts held from the front page, `error` saying how many.
    public var isBurst = false

    /// The sources of `records` failing for longer than `after`, and those with a burst of new posts held
    /// from the front page (at once: the operator decides).
    public static func all(in records: [SourceRecord], after: Duration, now: Date) -> [HealthProblem] {
        let threshold = now.addingTimeInterval(-Double(after.components.seconds))
        let failing = records.compactMap { record -> HealthProblem? in
            guard let since = record.failingSince, since <= threshold, let error = record.lastError else { return nil }
            return HealthProblem(
                key: record.key, title: record.displayTitle, url: record.fetchURL, failingSince: since,
                errorSince: record.errorSince ?? since, error: error, lastSuccess: record.lastSuccessAt)
        }
        let bursts = records.compactMap { record -> HealthProblem? in
            guard let burst = record.burst else { return nil }
            return HealthProblem(
                key: record.key, title: record.displayTitle, url: record.fetchURL, failingSince: burst.at,
                errorSince: burst.at, error: "\(burst.held) new posts held from the front page",
                lastSuccess: record.lastSuccessAt, isBurst: true)
        }
        return failing + bursts
    }
}

/// `health.atom`: the sources that have been failing for too long, one entry per problem, so the operator
/// reads them in the same feed reader as the posts. A problem keeps its id while the source keeps failing
/// (a new failure after a success is a new problem), its entry is updated when the error changes, and it
/// leaves the feed when the source heals. Nothing in it changes from one round to the next otherwise, so the
/// file is rewritten only when a problem appears, changes or goes.
public enum HealthFeed {
    public static let path = "health.atom"

    /// `updated`: when the set of problems last changed.
    static func render(_ problems: [HealthProblem], site: Site, updated: Date) -> String {
        let url = site.baseURL + path
        var xml = XMLBuilder()
        xml.open("feed", [("xmlns", "http://www.w3.org/2005/Atom")])
        xml.element("title", "\(site.title): sources failing")
        xml.element(
            "subtitle", "Sources whose every fetch has failed for a while; each leaves this feed when it works again.")
        xml.element("id", url)
        xml.empty("link", [("rel", "self"), ("type", FeedFormat.atom.mediaType), ("href", url)])
        xml.empty("link", [("rel", "alternate"), ("type", "text/html"), ("href", site.baseURL)])
        xml.element("updated", Timestamp.rfc3339(updated))
        xml.element("generator", Site.generatorName, [("uri", Site.generatorURL), ("version", Site.generatorVersion)])
        for problem in problems.sorted(by: { ($0.failingSince, $0.key) < ($1.failingSince, $1.key) }) {
            entry(problem, feedURL: url, into: &xml)
        }
        xml.close("feed")
        return xml.output
    }

    private static func entry(_ problem: HealthProblem, feedURL: String, into xml: inout XMLBuilder) {
        let since = Timestamp.display(problem.failingSince)
        xml.open("entry")
        let title =
            problem.isBurst
            ? "\(problem.title) (\(problem.key)) brought a burst of new posts on \(since)"
            : "\(problem.title) (\(problem.key)) has been failing since \(since)"
        xml.element("title", title, [("type", "text")])
        // Dated by the failure's start: a later failure after a success is another problem.
        let kind = problem.isBurst ? "burst-" : ""
        xml.element("id", "\(feedURL)#\(problem.key)-\(kind)\(Checked.unixSeconds(problem.failingSince))")
        xml.empty("link", [("rel", "alternate"), ("href", problem.url)])
        xml.element("published", Timestamp.rfc3339(problem.failingSince))
        xml.element("updated", Timestamp.rfc3339(max(problem.errorSince, problem.failingSince)))
        xml.open("author")
        xml.element("name", Site.generatorName)
        xml.close("author")
        xml.element("content", problem.isBurst ? burstText(problem) : failureText(problem, since: since), [("type", "text")])
        xml.close("entry")
    }

    private static func failureText(_ problem: HealthProblem, since: String) -> String {
        let lastSuccess = problem.lastSuccess.map { "The last fetch that worked was on \(Timestamp.display($0))." }
        return [
            "Every fetch of \(problem.url) since \(since) has failed.",
            "The error, since \(Timestamp.display(problem.errorSince)): \(problem.error)",
            lastSuccess ?? "No fetch of it has worked yet.",
            "`tidings status` shows its state; `tidings refresh \(problem.key)` tries it again now.",
        ].joined(separator: "\n\n")
    }

    private static func burstText(_ problem: HealthProblem) -> String {
        [
            "A fetch of \(problem.url) on \(Timestamp.display(problem.failingSince)) brought far more new posts than"
                + " the source ever does: \(problem.error), listed on their month pages. A blog that moved often"
                + " re-publishes its whole archive under new links.",
            "If they are new posts, `tidings release \(problem.key)` sends them to the front page; if they are old"
                + " ones, a filter (`date: { older_than: … }`) can hide them.",
        ].joined(separator: "\n\n")
    }

    /// What `health.atom` shows in one publish: the problems, and when they last changed (the feed's date),
    /// which moves only when the set of problems does.
    struct Snapshot: Sendable, Equatable {
        var problems: [HealthProblem]
        var updated: Date
        /// What tells one set of problems from another, kept in the store.
        var fingerprint: String

        init(_ problems: [HealthProblem], previous: PublishedState, now: Date) {
            self.problems = problems
            fingerprint = Fingerprint.of(
                problems.map { "\($0.key) \($0.failingSince) \($0.errorSince) \($0.error) \($0.title) \($0.url)" })
            let unchanged = previous.healthProblems == fingerprint
            updated = unchanged ? previous.healthUpdated ?? now : now
        }
    }
}
