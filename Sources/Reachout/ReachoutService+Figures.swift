import Foundation
import KohtaamoBase

/// A week's contacts in numbers, without names (for the coordinator): a
/// contact is one plan's planned day, counted by `ContactTally`.
package struct WeekFigures: Sendable, Equatable, Codable {
    /// The Monday.
    package var week: HelsinkiDay
    /// Planned days up to today.
    package var planned: Int
    /// Planned contacts with an outcome that day (tried).
    package var made: Int
    package var reached: Int
    /// Past planned contacts never reached that day.
    package var missed: Int
    package var escalated: Int
}

extension ReachoutService {
    /// `weeks` weeks ending with the week of `until` (today unless given), oldest first.
    package func figures(organisation: UUID, weeks: Int, until: HelsinkiDay? = nil) async throws -> [WeekFigures] {
        let today = today
        let last = (until ?? today).monday
        let first = last.adding(days: -7 * (max(1, weeks) - 1))
        let end = min(last.adding(days: 6), today)
        guard first <= end else { return [] }
        let days = try await tally(organisation: organisation, from: first, to: last.adding(days: 6))
        return (0..<max(1, weeks)).map { w in
            let monday = first.adding(days: 7 * w)
            let t = (0..<7).compactMap { days[monday.adding(days: $0)] }.reduce(ContactTally(), +)
            return WeekFigures(week: monday, planned: t.planned, made: t.made, reached: t.reached, missed: t.missed, escalated: t.escalated)
        }
    }

    /// The asker's organisation's figures (coordinators).
    package func figures(_ p: StaffPrincipal, weeks: Int) async throws -> [WeekFigures] {
        try requireCoordinator(p)
        return try await figures(organisation: p.organisationID, weeks: min(max(weeks, 1), 53))
    }
}
