import Foundation
import Testing

@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Reachout

/// The rules of reach-out with `AppClock` over whole weeks and both
/// summer-time changes: who is due when, the backup while the owner is away,
/// a plan that ends, escalation at the set hour and not before, the weekly
/// figures. Each test runs on the memory twin and on the suite's database
/// (SQLite, or PostgreSQL under `scripts/pg-throwaway`).
@Suite struct ReachoutRuleTests {
    static func day(_ y: Int, _ m: Int, _ d: Int) -> HelsinkiDay { HelsinkiDay(year: y, month: m, day: d) }
    /// A Helsinki wall-clock moment.
    static func at(_ d: HelsinkiDay, _ h: Int, _ min: Int = 0) -> Date { d.at(minute: h * 60 + min) }
    static func hhmm(_ ms: Int64, _ zone: String) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone)!
        let d = c.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: Double(ms) / 1000))
        return String(format: "%02d:%02d", d.hour!, d.minute!)
    }

    /// Monday 30.11.2026.
    static let monday = day(2026, 11, 30)

    struct World: Sendable {
        let app: Kohtaamo
        let reachout: ReachoutService
        let organisation: UUID
        let worker: StaffPrincipal
        let backup: StaffPrincipal
        let coordinator: StaffPrincipal

        func staff(_ role: Role) -> StaffPrincipal {
            StaffPrincipal(
                staffID: UUID(), sessionID: UUID(), email: "", role: role, organisationID: organisation, networkID: UUID(), workName: "\(role)")
        }

        /// A plan straight into storage, made the day before it starts.
        @discardableResult
        func plan(
            _ label: String, _ rhythm: Rhythm, from starts: HelsinkiDay, until: HelsinkiDay? = nil, at minute: Int = 9 * 60,
            escalation: Int = Reachout.defaultEscalationMinute, backup: UUID? = nil, skipHolidays: Bool = false, createdMs: Int64? = nil
        ) async throws -> ContactPlan {
            let p = ContactPlan(
                organisation: organisation, member: nil, label: label, note: "", rhythm: rhythm, starts: starts, until: until, minute: minute,
                escalationMinute: escalation, channel: .phone, owner: worker.staffID, backup: backup, skipHolidays: skipHolidays,
                createdMs: createdMs ?? starts.adding(days: -1).ms(minute: 12 * 60))
            try await reachout.repository.addPlan(p)
            return p
        }

        func names(_ who: StaffPrincipal, _ day: HelsinkiDay) async throws -> [String] {
            try await reachout.list(who, day: day).map(\.plan.label)
        }

        func set(_ date: Date) { app.clock.set(date) }
    }

    /// Runs `body` on the memory twin, then on the database.
    static func onBoth(_ body: @escaping @Sendable (World, String) async throws -> Void) async throws {
        // No background sweep: these tests move the clock and count escalations.
        try await withAppParts { app in
            for (name, repository) in [
                ("memory", MemoryReachoutRepository() as any ReachoutRepository), ("database", app.reachout.service.repository),
            ] {
                let s = app.reachout.service
                let service = ReachoutService(
                    repository: repository, realtime: s.realtime, services: s.services, staff: s.staff, members: s.members, audit: s.audit,
                    clock: app.clock)
                let organisation = UUID()
                func principal(_ role: Role, _ name: String) -> StaffPrincipal {
                    StaffPrincipal(
                        staffID: UUID(), sessionID: UUID(), email: "", role: role, organisationID: organisation, networkID: UUID(), workName: name)
                }
                let world = World(
                    app: app, reachout: service, organisation: organisation, worker: principal(.worker, "Owner"),
                    backup: principal(.worker, "Backup"), coordinator: principal(.coordinator, "Coordinator"))
                try await body(world, name)
            }
        }
    }

    @Test func whoIsDueOverTwoWholeWeeks() async throws {
        try await Self.onBoth { w, repository in
            try await w.plan("A daily", .daily, from: Self.monday, at: 9 * 60)
            try await w.plan("B Tue+Thu", .weekdays([2, 4]), from: Self.monday, at: 10 * 60)
            try await w.plan("C every 3", .everyDays(3), from: Self.monday.adding(days: 1), at: 11 * 60)
            try await w.plan("D until Thu", .daily, from: Self.monday, until: Self.monday.adding(days: 3), at: 12 * 60)
            for i in 0..<14 {
                let d = Self.monday.adding(days: i)
                var expected = ["A daily"]
                if [1, 3, 8, 10].contains(i) { expected.append("B Tue+Thu") }
                if [1, 4, 7, 10, 13].contains(i) { expected.append("C every 3") }
                if i <= 3 { expected.append("D until Thu") }
                #expect(try await w.names(w.worker, d) == expected, "\(repository) \(d)")
                // Nothing before the first day.
                #expect(try await w.names(w.worker, Self.monday.adding(days: -1)) == [], "\(repository)")
            }
        }
    }

    @Test func aDailyNineIsAtNineOnBothSidesOfEachSummerTimeChange() async throws {
        try await Self.onBoth { w, repository in
            let spring = Self.day(2027, 3, 28), autumn = Self.day(2026, 10, 25)
            let plan = try await w.plan("Daily", .daily, from: Self.day(2026, 10, 20), at: 9 * 60)
            for (d, utc) in [
                (autumn.adding(days: -1), "06:00"), (autumn, "07:00"), (autumn.adding(days: 1), "07:00"),
                (spring.adding(days: -1), "07:00"), (spring, "06:00"), (spring.adding(days: 1), "06:00"),
            ] {
                w.set(Self.at(d, 8))
                let due = try #require(try await w.reachout.list(w.worker, day: d).first { $0.plan.id == plan.id }, "\(repository) \(d)")
                #expect(Self.hhmm(due.dueMs, "Europe/Helsinki") == "09:00", "\(repository) \(d)")
                #expect(Self.hhmm(due.dueMs, "UTC") == utc, "\(repository) \(d)")
            }
            // Escalation at 16.00 Helsinki on the change days themselves: not at 15.59, at 16.00.
            for d in [spring, autumn] {
                let p = try await w.plan("Change day \(d)", .daily, from: d, until: d, at: 9 * 60)
                w.set(Self.at(d, 15, 59))
                try await w.reachout.sweep(organisation: w.organisation)
                #expect(try await w.reachout.repository.escalations(organisation: w.organisation, from: d, to: d).filter { $0.plan == p.id }.isEmpty)
                w.set(Self.at(d, 16))
                try await w.reachout.sweep(organisation: w.organisation)
                let e = try await w.reachout.repository.escalations(organisation: w.organisation, from: d, to: d).filter { $0.plan == p.id }
                #expect(e.count == 1, "\(repository) \(d)")
                #expect(Self.hhmm(p.escalationMs(on: d), "Europe/Helsinki") == "16:00")
            }
        }
    }

    @Test func theBackupGetsTheContactsWhileTheOwnerIsAway() async throws {
        try await Self.onBoth { w, repository in
            w.set(Self.at(Self.monday, 8))
            try await w.plan("P", .daily, from: Self.monday, at: 9 * 60, backup: w.backup.staffID)
            try await w.plan("Q no backup", .daily, from: Self.monday, at: 10 * 60)
            // The owner is away Tuesday and Wednesday; the backup on Wednesday too.
            try await w.reachout.repository.addAbsence(
                Absence(
                    organisation: w.organisation, staff: w.worker.staffID, from: Self.monday.adding(days: 1), to: Self.monday.adding(days: 2),
                    createdBy: w.worker.staffID, createdMs: 0))
            try await w.reachout.repository.addAbsence(
                Absence(
                    organisation: w.organisation, staff: w.backup.staffID, from: Self.monday.adding(days: 2), to: Self.monday.adding(days: 2),
                    createdBy: w.backup.staffID, createdMs: 0))
            let tue = Self.monday.adding(days: 1), wed = Self.monday.adding(days: 2), thu = Self.monday.adding(days: 3)
            #expect(try await w.names(w.worker, Self.monday) == ["P", "Q no backup"], "\(repository)")
            #expect(try await w.names(w.backup, Self.monday) == [], "\(repository)")
            #expect(try await w.names(w.worker, tue) == ["Q no backup"], "\(repository)")
            let covered = try await w.reachout.list(w.backup, day: tue)
            #expect(covered.map(\.plan.label) == ["P"] && covered.allSatisfy(\.covering), "\(repository)")
            // Both away: the contact stays the owner's (and escalates if no one makes it).
            #expect(try await w.names(w.worker, wed) == ["P", "Q no backup"], "\(repository)")
            #expect(try await w.names(w.backup, wed) == [], "\(repository)")
            #expect(try await w.names(w.worker, thu) == ["P", "Q no backup"], "\(repository)")
            // The team's week names who is away each day.
            let week = try await w.reachout.week(w.worker, of: wed, worker: nil)
            #expect(week.map(\.day) == (0..<7).map { Self.monday.adding(days: $0) })
            #expect(week[1].away == [w.worker.staffID] && Set(week[2].away) == [w.worker.staffID, w.backup.staffID] && week[3].away.isEmpty)
            #expect(week[1].contacts.map(\.worker) == [w.backup.staffID, w.worker.staffID], "\(repository)")
            let backupsWeek = try await w.reachout.week(w.worker, of: wed, worker: w.backup.staffID)
            #expect(backupsWeek.map { $0.contacts.count } == [0, 1, 0, 0, 0, 0, 0], "\(repository)")
        }
    }

    @Test func aPlanEndsOnItsLastDayWhenEndedAndWhenDeclined() async throws {
        try await Self.onBoth { w, repository in
            let wed = Self.monday.adding(days: 2), thu = Self.monday.adding(days: 3)
            let ended = try await w.plan("Ended", .daily, from: Self.monday)
            let declines = try await w.plan("Declines", .daily, from: Self.monday, at: 10 * 60)
            try await w.plan("Until Wed", .daily, from: Self.monday, until: wed, at: 11 * 60)
            w.set(Self.at(wed, 10, 30))
            _ = try await w.reachout.endPlan(w.worker, id: ended.id)
            _ = try await w.reachout.log(w.worker, plan: declines.id, .init(kind: "declined", note: "Ei halua enää soittoja."))
            // Wednesday keeps all three (ended today); Thursday has none.
            #expect(try await w.names(w.worker, wed) == ["Ended", "Declines", "Until Wed"], "\(repository)")
            #expect(try await w.names(w.worker, thu) == [], "\(repository)")
            await #expect(throws: ReachoutRefusal.planEnded) { try await w.reachout.endPlan(w.worker, id: ended.id) }
            // Declined counts as reached: Wednesday's contact does not escalate.
            w.set(Self.at(wed, 17))
            try await w.reachout.sweep(organisation: w.organisation)
            let escalated = try await w.reachout.repository.escalations(organisation: w.organisation, from: wed, to: wed).map(\.plan)
            #expect(!escalated.contains(declines.id) && escalated.contains(ended.id), "\(repository)")
        }
    }

    @Test func aContactEscalatesAtTheSetHourAndNotBefore() async throws {
        try await Self.onBoth { w, repository in
            let plan = try await w.plan("Daily", .daily, from: Self.monday)
            let noon = try await w.plan("Noon", .daily, from: Self.monday.adding(days: 4), at: 8 * 60, escalation: 12 * 60)
            func escalations(_ d: HelsinkiDay) async throws -> [Escalation] {
                try await w.reachout.repository.escalations(organisation: w.organisation, from: d, to: d)
            }
            // Monday: not at 15.59, at 16.00.
            w.set(Self.at(Self.monday, 15, 59))
            #expect(try await w.reachout.sweep(organisation: w.organisation) == 0, "\(repository)")
            w.set(Self.at(Self.monday, 16))
            #expect(try await w.reachout.sweep(organisation: w.organisation) == 1, "\(repository)")
            #expect(try await escalations(Self.monday).map(\.repeated) == [false])
            // Tuesday: reached at 15.00, so nothing at 16.00.
            let tue = Self.monday.adding(days: 1)
            w.set(Self.at(tue, 15))
            _ = try await w.reachout.log(w.worker, plan: plan.id, .init(kind: "reached"))
            w.set(Self.at(tue, 16))
            #expect(try await w.reachout.sweep(organisation: w.organisation) == 0, "\(repository)")
            // Wednesday: no answer, then reached only at 16.30: it escalates all the same.
            let wed = Self.monday.adding(days: 2)
            w.set(Self.at(wed, 10))
            _ = try await w.reachout.log(w.worker, plan: plan.id, .init(kind: "no_answer"))
            w.set(Self.at(wed, 16, 30))
            _ = try await w.reachout.log(w.worker, plan: plan.id, .init(kind: "reached", note: "Soitti takaisin."))
            #expect(try await w.reachout.sweep(organisation: w.organisation) == 1, "\(repository)")
            // Thursday missed too: the second missed day in a row says so.
            let thu = Self.monday.adding(days: 3)
            w.set(Self.at(thu, 16))
            #expect(try await w.reachout.sweep(organisation: w.organisation) == 1, "\(repository)")
            #expect(try await escalations(thu).map(\.repeated) == [true], "\(repository)")
            #expect(try await escalations(wed).map(\.repeated) == [false], "\(repository)")
            #expect(try await w.reachout.sweep(organisation: w.organisation) == 0)
            // Friday: a plan's own hour (12.00); eight sweeps at once store one escalation each.
            let fri = Self.monday.adding(days: 4)
            w.set(Self.at(fri, 11, 59))
            #expect(try await w.reachout.sweep(organisation: w.organisation) == 0)
            w.set(Self.at(fri, 12))
            #expect(try await w.reachout.sweep(organisation: w.organisation) == 1)
            #expect(try await escalations(fri).map(\.plan) == [noon.id])
            w.set(Self.at(fri, 16))
            let added = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await w.reachout.sweep(organisation: w.organisation) } }
                return try await group.reduce(0, +)
            }
            #expect(added == 1, "\(repository)")
            #expect(try await escalations(fri).count == 2, "\(repository)")
            // A plan made after its hour does not escalate that day.
            w.set(Self.at(fri, 17))
            let late = try await w.plan("Late", .daily, from: fri, createdMs: w.app.clock.nowMs)
            w.set(Self.at(fri, 17, 1))
            try await w.reachout.sweep(organisation: w.organisation)
            #expect(try await escalations(fri).contains { $0.plan == late.id } == false, "\(repository)")
            // The coordinator's list, and closing once.
            let list = try await w.reachout.escalations(w.coordinator)
            #expect(list.count == 5 && list.allSatisfy(\.escalation.isOpen), "\(repository)")
            await #expect(throws: ReachoutRefusal.notCoordinator) { try await w.reachout.escalations(w.worker) }
            let first = list[0].escalation
            await #expect(throws: ReachoutRefusal.badNote) { try await w.reachout.close(w.coordinator, escalation: first.id, note: "  ") }
            let closed = try await w.reachout.close(w.coordinator, escalation: first.id, note: "Soitin itse. Kaikki hyvin.")
            #expect(closed.closingNote == "Soitin itse. Kaikki hyvin." && !closed.isOpen)
            await #expect(throws: ReachoutRefusal.escalationClosed) {
                try await w.reachout.close(w.coordinator, escalation: first.id, note: "Toinen kerta")
            }
            let after = try await w.reachout.escalations(w.coordinator)
            #expect(after.last?.escalation.id == first.id && after.filter(\.escalation.isOpen).count == 4, "\(repository)")
        }
    }

    @Test func weeklyFiguresCountPlannedMadeReachedMissedAndEscalated() async throws {
        try await Self.onBoth { w, repository in
            let tue = Self.monday.adding(days: 1), wed = Self.monday.adding(days: 2)
            let a = try await w.plan("A", .daily, from: Self.monday)
            let b = try await w.plan("B", .weekdays([1, 3]), from: Self.monday, at: 10 * 60)
            w.set(Self.at(Self.monday, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "reached"))
            w.set(Self.at(tue, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "no_answer"))
            w.set(Self.at(wed, 9, 10))
            _ = try await w.reachout.log(w.worker, plan: a.id, .init(kind: "left_message"))
            _ = try await w.reachout.log(w.worker, plan: b.id, .init(kind: "reached"))
            w.set(Self.at(wed, 18))
            try await w.reachout.sweep(organisation: w.organisation)
            let figures = try await w.reachout.figures(organisation: w.organisation, weeks: 2)
            #expect(
                figures == [
                    WeekFigures(week: Self.monday.adding(days: -7), planned: 0, made: 0, reached: 0, missed: 0, escalated: 0),
                    WeekFigures(week: Self.monday, planned: 5, made: 4, reached: 2, missed: 2, escalated: 3),
                ], "\(repository)")
            await #expect(throws: ReachoutRefusal.notCoordinator) { try await w.reachout.figures(w.worker, weeks: 2) }
        }
    }

    @Test func aRetriedOutcomeIsStoredOnceAndDaysOutsideTheWeekAreRefused() async throws {
        try await Self.onBoth { w, repository in
            let plan = try await w.plan("Daily", .daily, from: Self.monday)
            let wed = Self.monday.adding(days: 2)
            w.set(Self.at(wed, 9, 30))
            let id = UUID()
            let first = try await w.reachout.log(w.worker, plan: plan.id, .init(id: id, kind: "left_message", note: "Viesti vastaajaan."))
            w.set(Self.at(wed, 9, 31))
            let again = try await w.reachout.log(w.worker, plan: plan.id, .init(id: id, kind: "left_message", note: "Viesti vastaajaan."))
            #expect(again == first, "\(repository)")
            #expect(try await w.reachout.history(w.worker, plan: plan.id).count == 1, "\(repository)")
            // Yesterday may be logged late; tomorrow, before the plan, or eight days back may not.
            _ = try await w.reachout.log(w.worker, plan: plan.id, .init(day: Self.monday.adding(days: 1).description, kind: "reached"))
            for day in [wed.adding(days: 1), Self.monday.adding(days: -1), wed.adding(days: -8)] {
                await #expect(throws: ReachoutRefusal.badDay) {
                    try await w.reachout.log(w.worker, plan: plan.id, .init(day: day.description, kind: "reached"))
                }
            }
            await #expect(throws: ReachoutRefusal.badOutcome) { try await w.reachout.log(w.worker, plan: plan.id, .init(kind: "maybe")) }
            await #expect(throws: ReachoutRefusal.badReferral) { try await w.reachout.log(w.worker, plan: plan.id, .init(kind: "referral")) }
            // Another organisation's worker, and a volunteer, are refused.
            let stranger = StaffPrincipal(
                staffID: UUID(), sessionID: UUID(), email: "", role: .worker, organisationID: UUID(), networkID: UUID(), workName: "X")
            await #expect(throws: ReachoutRefusal.notFound) { try await w.reachout.log(stranger, plan: plan.id, .init(kind: "reached")) }
            await #expect(throws: ReachoutRefusal.notAllowed) { try await w.reachout.list(w.staff(.volunteer)) }
        }
    }

    @Test func whatHappenedLastTimeComesWithTheContactEvenWeeksBack() async throws {
        try await Self.onBoth { w, repository in
            let plan = try await w.plan("Every 10", .everyDays(10), from: Self.monday)
            let other = try await w.plan("Daily", .daily, from: Self.monday, at: 10 * 60)
            w.set(Self.at(Self.monday, 9, 5))
            _ = try await w.reachout.log(w.worker, plan: plan.id, .init(kind: "no_answer"))
            w.set(Self.at(Self.monday, 9, 40))
            _ = try await w.reachout.log(w.worker, plan: plan.id, .init(kind: "reached", note: "Menee lääkäriin ensi viikolla."))
            _ = try await w.reachout.log(w.worker, plan: other.id, .init(kind: "left_message"))
            let tenth = Self.monday.adding(days: 10)
            w.set(Self.at(tenth, 8))
            let today = try await w.reachout.list(w.worker)
            #expect(today.map(\.plan.label) == ["Every 10", "Daily"], "\(repository)")
            #expect(today[0].last?.note == "Menee lääkäriin ensi viikolla." && today[0].last?.kind == .reached, "\(repository)")
            #expect(today[1].last?.kind == .leftMessage && today[1].state == .open, "\(repository)")
            // In a week view, a day's "last time" is the latest before it, also inside the week.
            let week = try await w.reachout.week(w.worker, of: Self.monday, worker: nil)
            #expect(week[0].contacts.first { $0.plan.id == other.id }?.last == nil)
            #expect(week[1].contacts.first { $0.plan.id == other.id }?.last?.kind == .leftMessage, "\(repository)")
            #expect(week[0].contacts.first { $0.plan.id == plan.id }?.state == .reached, "\(repository)")
        }
    }

    @Test func publicHolidaysAreKnownAndAPlanMaySkipThem() async throws {
        #expect(FinnishHolidays.easterSunday(2027) == Self.day(2027, 3, 28))
        #expect(FinnishHolidays.easterSunday(2026) == Self.day(2026, 4, 5))
        let y2027 = FinnishHolidays.all(year: 2027)
        #expect(y2027[Self.day(2027, 3, 26)] == "good_friday" && y2027[Self.day(2027, 5, 6)] == "ascension")
        #expect(y2027[Self.day(2027, 6, 25)] == "midsummer_eve" && y2027[Self.day(2027, 6, 26)] == "midsummer")
        #expect(FinnishHolidays.name(of: Self.day(2026, 10, 31)) == "all_saints")
        #expect(FinnishHolidays.name(of: Self.day(2026, 12, 6)) == "independence")
        #expect(FinnishHolidays.name(of: Self.day(2026, 12, 7)) == nil)
        try await Self.onBoth { w, repository in
            try await w.plan("Skips", .daily, from: Self.day(2026, 12, 20), skipHolidays: true)
            try await w.plan("Keeps", .daily, from: Self.day(2026, 12, 20), at: 10 * 60)
            for (d, expected) in [
                (Self.day(2026, 12, 23), ["Skips", "Keeps"]), (Self.day(2026, 12, 24), ["Keeps"]), (Self.day(2026, 12, 26), ["Keeps"]),
                (Self.day(2026, 12, 27), ["Skips", "Keeps"]), (Self.day(2027, 1, 1), ["Keeps"]), (Self.day(2027, 1, 6), ["Keeps"]),
            ] {
                #expect(try await w.names(w.worker, d) == expected, "\(repository) \(d)")
            }
            let week = try await w.reachout.week(w.worker, of: Self.day(2026, 12, 24), worker: nil)
            #expect(week.map(\.holiday) == [nil, nil, nil, "christmas_eve", "christmas", "boxing_day", nil])
        }
    }
}
