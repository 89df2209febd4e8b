import Foundation
import KohtaamoBase

/// Absences and the week view.
extension ReachoutService {
    /// The organisation's absences touching these days.
    package func absences(_ p: StaffPrincipal, from: HelsinkiDay, to: HelsinkiDay) async throws -> [Absence] {
        try requireWorker(p)
        return try await repository.absences(organisation: p.organisationID, from: from, to: to)
    }

    /// A worker marks themselves away (a coordinator may mark anyone of the
    /// team); their contacts go to the backups for those days.
    package func addAbsence(_ p: StaffPrincipal, staff: UUID?, from: String, to: String) async throws -> Absence {
        try requireWorker(p)
        let who = staff ?? p.staffID
        guard who == p.staffID || p.role.canAdminister else { throw ReachoutRefusal.notCoordinator }
        guard try await team(p).contains(where: { $0.id == who }) else { throw ReachoutRefusal.badWorker }
        guard let first = HelsinkiDay(from), let last = to.isEmpty ? first : HelsinkiDay(to), first <= last,
            last.days(since: first) < Reachout.maxAbsenceDays, first >= today.adding(days: -Reachout.lookBackDays),
            first.days(since: today) <= 366
        else { throw ReachoutRefusal.badAbsence }
        let absence = Absence(organisation: p.organisationID, staff: who, from: first, to: last, createdBy: p.staffID, createdMs: clock.nowMs)
        try await repository.addAbsence(absence)
        return absence
    }

    /// Their own absence, or anyone's for a coordinator.
    package func deleteAbsence(_ p: StaffPrincipal, id: UUID) async throws {
        try requireWorker(p)
        let mine = try await repository.absences(
            organisation: p.organisationID, from: HelsinkiDay(year: 2000, month: 1, day: 1), to: today.adding(days: 2000))
        guard let a = mine.first(where: { $0.id == id }) else { throw ReachoutRefusal.notFound }
        guard a.staff == p.staffID || p.role.canAdminister else { throw ReachoutRefusal.notCoordinator }
        guard try await repository.deleteAbsence(id: id, organisation: p.organisationID) else { throw ReachoutRefusal.notFound }
    }

    /// One day of the week view.
    package struct CalendarDay: Sendable {
        package var day: HelsinkiDay
        /// The public holiday's name key (`new_year`, …), if any.
        package var holiday: String?
        /// Who is away.
        package var away: [UUID]
        package var contacts: [DueContact]
    }

    /// Monday to Sunday of the week of `day`: the contacts of one worker
    /// (nil: the whole team), holidays and absences.
    package func week(_ p: StaffPrincipal, of day: HelsinkiDay, worker: UUID?) async throws -> [CalendarDay] {
        try requireWorker(p)
        let monday = day.monday, sunday = day.monday.adding(days: 6)
        let contacts = try await contacts(organisation: p.organisationID, from: monday, to: sunday)
        let absences = try await repository.absences(organisation: p.organisationID, from: monday, to: sunday)
        return (0..<7).map { i in
            let d = monday.adding(days: i)
            return CalendarDay(
                day: d, holiday: FinnishHolidays.name(of: d),
                away: absences.filter { $0.covers(d) && (worker == nil || $0.staff == worker) }.map(\.staff),
                contacts: (contacts[d] ?? []).filter { worker == nil || $0.worker == worker })
        }
    }
}
