import Foundation
import KohtaamoBase

/// A week's contacts in numbers, without names (for the coordinator and the
/// statistics): a contact is one plan's planned day.
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
        let contacts = try await contacts(organisation: organisation, from: first, to: end)
        let escalations = try await repository.escalations(organisation: organisation, from: first, to: last.adding(days: 6))
        return (0..<max(1, weeks)).map { w in
            let monday = first.adding(days: 7 * w)
            var f = WeekFigures(week: monday, planned: 0, made: 0, reached: 0, missed: 0, escalated: 0)
            for i in 0..<7 {
                let d = monday.adding(days: i)
                for c in contacts[d] ?? [] {
                    f.planned += 1
                    if !c.outcomes.isEmpty { f.made += 1 }
                    if c.state == .reached { f.reached += 1 } else if d < today { f.missed += 1 }
                }
            }
            f.escalated = escalations.filter { $0.day >= monday && $0.day <= monday.adding(days: 6) }.count
            return f
        }
    }

    /// The asker's organisation's figures (coordinators).
    package func figures(_ p: StaffPrincipal, weeks: Int) async throws -> [WeekFigures] {
        try requireCoordinator(p)
        return try await figures(organisation: p.organisationID, weeks: min(max(weeks, 1), 53))
    }
}
