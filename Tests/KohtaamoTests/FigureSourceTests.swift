import Foundation
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Reachout

/// Each feature's part of the statistics, on the suite's database: what a
/// sampler writes is what its source reads back (cell by cell), and a small
/// hand-made case through the feature's own service gives exact numbers,
/// leaving out another organisation's and what falls outside the periods.
@Suite struct FigureSourceTests {
    /// Every cell of the roll-up, comparable whatever the order of leaves.
    static func cells(_ leaves: [FigureLeaf], _ source: any FigureSource) -> Set<Figure> {
        Set(FigureRollup.figures(leaves, measures: source.measures))
    }

    /// The value of one measure for an organisation (all services) in a period (nil: all periods).
    static func value(_ leaves: [FigureLeaf], _ source: any FigureSource, _ measure: String, organisation: UUID?, service: UUID? = nil, period: Int?)
        -> Double
    {
        FigureRollup.figures(leaves, measures: source.measures).first {
            $0.measure == measure && $0.organisation == organisation && $0.service == service && $0.period == period && $0.part == nil
        }?.value ?? 0
    }

    /// The sampler's leaves and the source's reading of what it wrote agree
    /// in every cell, and there is something in them.
    static func agree(_ app: Kohtaamo, _ source: any FigureSource, _ sampler: any FigureSampler, organisations: [UUID], perDay: Double = 6)
        async throws
    {
        let query = FigureQuery(
            organisations: organisations, from: HelsinkiDay(year: 2026, month: 9, day: 7), until: HelsinkiDay(ms: app.clock.nowMs), length: .week)
        let written = try await sampler.sample(FigurePlan(query: query, perDay: perDay, seed: 2026, nowMs: app.clock.nowMs))
        let read = try await source.leaves(query)
        let expected = cells(written, source)
        let differ = cells(read, source).symmetricDifference(expected)
        #expect(differ.isEmpty, "\(differ.count) cells differ, e.g. \(Array(differ.prefix(4)))")
        for measure in source.measures {
            #expect(expected.contains { $0.measure == measure.key && $0.value > 0 }, "\(measure.key) is never sampled")
        }
    }

    // MARK: reach-out

    @Test func reachoutSamplerAndSourceAgree() async throws {
        try await withApp(demo: false) { app, _ in
            try await Self.agree(app, app.reachout.figureSource, app.reachout.figureSampler, organisations: [UUID(), UUID()])
        }
    }

    /// The week of the weekly figures' test: two plans, four contacts made,
    /// two reached, three escalated; a plan of another organisation and a
    /// Friday plan whose contacts fall before the week or after today are
    /// not counted.
    @Test func reachoutCountsPlannedMadeReachedEscalated() async throws {
        try await ReachoutRuleTests.onBoth { w, repository in
            let monday = ReachoutRuleTests.monday
            let tue = monday.adding(days: 1), wed = monday.adding(days: 2)
            let a = try await w.plan("A", .daily, from: monday)
            let b = try await w.plan("B", .weekdays([1, 3]), from: monday, at: 10 * 60)
            let c = try await w.plan("C", .weekdays([5]), from: monday.adding(days: -10))
            let other = ContactPlan(
                organisation: UUID(), member: nil, label: "Other", note: "", rhythm: .daily, starts: monday, until: nil, minute: 9 * 60,
                channel: .phone, owner: UUID(), backup: nil, createdMs: 0)
            try await w.reachout.repository.addPlan(other)
            w.set(ReachoutRuleTests.at(monday.adding(days: -3), 9, 10))
            _ = try await w.reachout.log(w.worker, plan: c.id, .init(kind: "reached"))
            w.set(ReachoutRuleTests.at(monday, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "no_answer"))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "reached"))
            w.set(ReachoutRuleTests.at(tue, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "no_answer"))
            w.set(ReachoutRuleTests.at(wed, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "left_message"))
            _ = try await w.reachout.log(w.worker, plan: b.id, .init(kind: "reached"))
            w.set(ReachoutRuleTests.at(wed, 18))
            try await w.reachout.sweep(organisation: w.organisation)
            try await w.reachout.sweep(organisation: other.organisation)
            let source = ReachoutFigures(reachout: w.reachout)
            let query = FigureQuery(organisations: [w.organisation], from: monday, until: monday, length: .week)
            let leaves = try await source.leaves(query)
            let got = ["planned", "made", "reached", "escalated"].map {
                Self.value(leaves, source, "reachout.\($0)", organisation: w.organisation, period: 0)
            }
            #expect(got == [5, 4, 2, 3], "\(repository)")
            #expect(Set(leaves.map(\.organisation)) == [w.organisation] && leaves.allSatisfy { $0.service == nil && $0.period == 0 })
        }
    }
}
