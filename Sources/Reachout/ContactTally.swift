import Foundation
import KohtaamoBase

/// A day's contacts in numbers, without names: the one count behind the
/// coordinator's weekly figures and the statistics' part of reach-out. A
/// contact is one plan's planned day.
package struct ContactTally: Sendable, Equatable {
    /// Planned days up to today.
    package var planned = 0
    /// Planned contacts with an outcome that day (tried).
    package var made = 0
    package var reached = 0
    /// Past planned contacts never reached that day.
    package var missed = 0
    package var escalated = 0

    package init() {}

    package static func + (a: ContactTally, b: ContactTally) -> ContactTally {
        var s = a
        (s.planned, s.made, s.reached, s.missed, s.escalated) =
            (a.planned + b.planned, a.made + b.made, a.reached + b.reached, a.missed + b.missed, a.escalated + b.escalated)
        return s
    }

    /// Each day of `from`…`to` that has something: contacts planned up to
    /// `today` (a future day is not planned yet in this sense), what was
    /// tried and reached of them (`marks`), and the escalations of the days.
    package static func days(
        plans: [ContactPlan], marks: [OutcomeMark], escalations: [HelsinkiDay], from: HelsinkiDay, to: HelsinkiDay, today: HelsinkiDay
    ) -> [HelsinkiDay: ContactTally] {
        var reachedBy: [String: Bool] = [:]
        for m in marks { reachedBy["\(m.plan)\(m.day)", default: false] = reachedBy["\(m.plan)\(m.day)", default: false] || m.reached }
        var out: [HelsinkiDay: ContactTally] = [:]
        var day = from
        let end = min(to, today)
        while day <= end {
            let d = day
            for plan in plans where plan.isDue(on: d) {
                var t = out[d] ?? ContactTally()
                t.planned += 1
                let reached = reachedBy["\(plan.id)\(d)"]
                if reached != nil { t.made += 1 }
                if reached == true { t.reached += 1 } else if d < today { t.missed += 1 }
                out[d] = t
            }
            day = day.adding(days: 1)
        }
        for d in escalations where d >= from && d <= to { out[d, default: ContactTally()].escalated += 1 }
        return out
    }
}

/// That a plan's contact of a day was tried, and whether the person was
/// reached (one outcome of the day that reached them is enough).
package struct OutcomeMark: Sendable, Hashable {
    package var plan: UUID
    package var day: HelsinkiDay
    package var reached: Bool
    package init(plan: UUID, day: HelsinkiDay, reached: Bool) { (self.plan, self.day, self.reached) = (plan, day, reached) }
}

extension ReachoutService {
    /// The organisation's contacts of `from`…`to` in numbers, by day.
    package func tally(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [HelsinkiDay: ContactTally] {
        let today = today
        let plans = try await repository.plans(organisation: organisation).filter { p in (p.endedOn.map { $0 >= from } ?? true) && p.starts <= to }
        let end = min(to, today)
        let marks = from <= end ? try await repository.outcomeMarks(plans: plans.map(\.id), from: from, to: end) : []
        let escalations = try await repository.escalationDays(organisation: organisation, from: from, to: to)
        return ContactTally.days(plans: plans, marks: marks, escalations: escalations, from: from, to: to, today: today)
    }
}
