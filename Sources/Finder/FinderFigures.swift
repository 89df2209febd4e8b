import Foundation
import KohtaamoBase

/// The finder's part of the statistics: visits of the public finder per
/// organisation (the finder's help points are the organisation's own, not
/// a service's), as `FinderVisits` counts them.
package struct FinderFigures: FigureSource {
    let finder: FinderService
    package init(finder: FinderService) { self.finder = finder }

    package var section: String { "finder" }
    package var measures: [FigureMeasure] { [FigureMeasure("finder.visits", .count)] }

    package func leaves(_ query: FigureQuery) async throws -> [FigureLeaf] {
        guard let first = query.periods.first?.first, let last = query.periods.last?.last else { return [] }
        // What this node has gathered goes in first, so the page is up to date.
        try await finder.visits.flush()
        var counts = FigureCounts()
        Self.add(try await finder.repository.visits(organisations: query.organisations, from: first, to: last), query: query, to: &counts)
        return counts.leaves
    }

    /// Stored counts into leaves (the sampler gives its own the same way).
    static func add(_ visits: [FinderVisitKey: Int], query: FigureQuery, to counts: inout FigureCounts) {
        for (key, n) in visits {
            guard let period = query.period(day: key.day) else { continue }
            counts.add("finder.visits", organisation: key.organisation, service: nil, period: period, n)
        }
    }

    package func partNames(measure: String, parts: [String], language: Language) async throws -> [String: String] { [:] }
}
