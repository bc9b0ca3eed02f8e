import Foundation
import Storage
import Testing

@testable import Publishing

/// Which files a publish rewrites, decided from what was last published and the store's marks.
@Suite struct PublishPlanTests {
    static let march = MonthKey(year: 2026, month: 3)
    static let february = MonthKey(year: 2026, month: 2)
    static let january = MonthKey(year: 2026, month: 1)

    static func published(layout: String = "L", counter: Int = 7, months: [MonthKey]? = [march, january])
        -> PublishedState
    {
        var state = PublishedState()
        state.layout = layout
        state.changeCounter = counter
        state.months = months
        return state
    }

    static func decide(
        _ published: PublishedState, layout: String = "L", counter: Int = 7, months: [MonthKey] = [march, january],
        dirty: Set<MonthKey> = [], sources: Set<String> = [], hasIndex: Bool = true, full: Bool = false
    ) -> PublishPlan.Scope {
        PublishPlan.decide(
            published: published, layout: layout, changeCounter: counter, months: months, dirtyMonths: dirty,
            dirtySources: sources, hasIndex: hasIndex, full: full
        ).scope
    }

    @Test func nothingChangedWritesOnlyTheHealthFeed() {
        #expect(Self.decide(Self.published()) == .healthOnly)
    }

    @Test func changedEntriesRenderOnlyTheirMonthsAndSources() {
        #expect(
            Self.decide(Self.published(), counter: 9, dirty: [Self.march], sources: ["alpha"])
                == .render(onlyMonths: [Self.march], onlySources: ["alpha"]))
    }

    @Test func aNewMonthAlsoRendersTheMonthsWhoseNeighboursChanged() {
        let scope = Self.decide(
            Self.published(), counter: 9, months: [Self.march, Self.february, Self.january], dirty: [Self.february])
        #expect(scope == .render(onlyMonths: [Self.march, Self.february, Self.january], onlySources: []))
        #expect(
            PublishPlan.newNeighbours(from: [Self.march, Self.january], to: [Self.march, Self.january]).isEmpty)
    }

    @Test func aChangedLayoutAMissingIndexOrAFullRenderWritesEverything() {
        let everything = PublishPlan.Scope.render(onlyMonths: nil, onlySources: nil)
        #expect(Self.decide(Self.published(layout: "old")) == everything)
        #expect(Self.decide(Self.published(), hasIndex: false) == everything)
        #expect(Self.decide(Self.published(), full: true) == everything)
        #expect(Self.decide(PublishedState()) == everything, "never published")
    }

    @Test func withoutTheMonthsLastPublishedEveryMonthIsRendered() {
        #expect(
            Self.decide(Self.published(months: nil), counter: 9, sources: ["alpha"])
                == .render(onlyMonths: nil, onlySources: ["alpha"]))
    }

    /// The layout moves with anything every output shows: a source's title, the site's title, a template.
    @Test func theLayoutMovesWithWhatEveryOutputShows() {
        let folder = URL(fileURLWithPath: "/srv/out")
        let site = Site(title: "Planet", baseURL: "https://p.example/", maxEntries: 10)
        let records = [SourceRecord(key: "alpha", url: "https://a.example/feed", displayTitle: "Alpha")]
        let layout = PublishPlan.layout(site: site, folder: folder, records: records)
        #expect(layout == PublishPlan.layout(site: site, folder: folder, records: records))
        var renamed = records
        renamed[0].displayTitle = "Alpha's blog"
        #expect(layout != PublishPlan.layout(site: site, folder: folder, records: renamed))
        var retitled = site
        retitled.title = "Another planet"
        #expect(layout != PublishPlan.layout(site: retitled, folder: folder, records: records))
    }
}
