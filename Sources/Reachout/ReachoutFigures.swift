import Foundation
import KohtaamoBase

/// Reach-out's part of the statistics: contacts planned, made (tried),
/// reached and escalated, per organisation (reach-out is the
/// organisation's own, not a service's). Counted by `ContactTally`, the
/// same count as the coordinator's weekly figures.
package struct ReachoutFigures: FigureSource {
    let reachout: ReachoutService
    package init(reachout: ReachoutService) { self.reachout = reachout }

    package var section: String { "reachout" }
    package var measures: [FigureMeasure] {
        ["reachout.planned", "reachout.made", "reachout.reached", "reachout.escalated"].map { FigureMeasure($0, .count) }
    }

    package func leaves(_ query: FigureQuery) async throws -> [FigureLeaf] {
        guard let first = query.periods.first?.first, let last = query.periods.last?.last else { return [] }
        var counts = FigureCounts()
        for organisation in query.organisations {
            let days = try await reachout.tally(organisation: organisation, from: first, to: last)
            Self.add(days, organisation: organisation, query: query, to: &counts)
        }
        return counts.leaves
    }

    /// A tally's days into the query's periods (the sampler gives its own the same way).
    static func add(_ days: [HelsinkiDay: ContactTally], organisation: UUID, query: FigureQuery, to counts: inout FigureCounts) {
        for (day, t) in days {
            guard let period = query.period(day: day) else { continue }
            for (measure, n) in [("planned", t.planned), ("made", t.made), ("reached", t.reached), ("escalated", t.escalated)] {
                counts.add("reachout." + measure, organisation: organisation, service: nil, period: period, n)
            }
        }
    }

    package func partNames(measure: String, parts: [String], language: Language) async throws -> [String: String] { [:] }
}
