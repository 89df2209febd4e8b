import Foundation
import KohtaamoBase

/// Writes plausible finder visits: each organisation's help seen a few
/// times a day for every contact a service has, fewer at weekends.
package struct FinderFigureSampler: FigureSampler {
    let finder: FinderService
    package init(finder: FinderService) { self.finder = finder }

    package func sample(_ plan: FigurePlan) async throws -> [FigureLeaf] {
        guard let from = plan.query.periods.first?.first, let to = plan.query.periods.last?.last else { return [] }
        var rng = SplitMix64(seed: plan.seed &+ 0xF1_4DE4)
        let today = HelsinkiDay(ms: plan.nowMs)
        var visits: [FinderVisitKey: Int] = [:]
        for organisation in plan.query.organisations {
            var day = from
            while day <= min(to, today) {
                let n = rng.count(mean: plan.perDay * (day.weekday >= 6 ? 1 : 3))
                if n > 0 { visits[FinderVisitKey(day: day, organisation: organisation)] = n }
                day = day.adding(days: 1)
            }
        }
        try await finder.repository.addVisits(visits)
        var counts = FigureCounts()
        FinderFigures.add(visits, query: plan.query, to: &counts)
        return counts.leaves
    }
}
