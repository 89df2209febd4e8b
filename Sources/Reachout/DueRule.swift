import Foundation
import KohtaamoBase

/// When a plan's contact is due, and who makes it. Pure rules over Helsinki
/// days, so that the tests walk whole weeks and both summer-time changes.
extension ContactPlan {
    /// Whether a contact is planned on this day.
    package func isDue(on day: HelsinkiDay) -> Bool {
        guard day >= starts else { return false }
        if let until, day > until { return false }
        if let endedOn, day > endedOn { return false }
        if skipHolidays, FinnishHolidays.name(of: day) != nil { return false }
        switch rhythm {
        case .daily: return true
        case .weekdays(let days): return days.contains(day.weekday)
        case .everyDays(let n): return day.days(since: starts) % n == 0
        }
    }

    /// The moment the contact of this day is planned for (9.00 is 9.00 in
    /// winter and summer).
    package func dueMs(on day: HelsinkiDay) -> Int64 { day.ms(minute: minute) }

    /// The moment a contact of this day not yet reached goes to the coordinator.
    package func escalationMs(on day: HelsinkiDay) -> Int64 { day.ms(minute: escalationMinute) }

    /// Who contacts the person on this day: the owner, or the backup while
    /// the owner is away (and the backup is not). `away` says whether a
    /// worker is away on the day.
    package func responsible(on day: HelsinkiDay, away: (UUID) -> Bool) -> (worker: UUID, covering: Bool) {
        if away(owner), let backup, !away(backup) { return (backup, true) }
        return (owner, false)
    }

    /// The last planned day before this one, within `limit` days.
    package func previousDueDay(before day: HelsinkiDay, limit: Int = 62) -> HelsinkiDay? {
        var d = day.adding(days: -1)
        for _ in 0..<limit {
            if d < starts { return nil }
            if isDue(on: d) { return d }
            d = d.adding(days: -1)
        }
        return nil
    }
}
