import Foundation
import Testing

@testable import Booking
@testable import Kohtaamo
@testable import KohtaamoBase

/// Appointments on the suite's database (SQLite, or PostgreSQL under
/// `scripts/pg-throwaway`): free times and weekly patterns in Helsinki time,
/// bookings that race, the guest's limit for changes, attendance, and the
/// invitations a calendar reads.
@Suite struct BookingTests {
    /// A booking service on a fresh database with the booking tables.
    static func withBooking(_ body: @escaping @Sendable (BookingService, Kohtaamo) async throws -> Void) async throws {
        try await withApp(demo: false) { app, _ in
            try await app.storage.migrate(BookingMigrations.all)
            try await body(BookingService(storage: app.storage, clock: app.clock), app)
        }
    }

    static func day(_ y: Int, _ m: Int, _ d: Int) -> BookingDay { BookingDay(year: y, month: m, day: d) }
    static func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int = 0) -> Date { day(y, m, d).at(minute: h * 60 + min) }
    static func ms(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970 * 1000) }
    /// "HH:MM" in Helsinki and in UTC, to see a wall time and its offset.
    static func clock(_ ms: Int64, _ zone: String) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: zone)!
        let d = c.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: Double(ms) / 1000))
        return String(format: "%02d:%02d", d.hour!, d.minute!)
    }

    static func attempt<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    // Tuesday 24.11.2026 at noon in Helsinki.
    static let now = at(2026, 11, 24, 12)

    @Test func aHostAddsFreeTimesThatDoNotOverlapInAnyScope() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, other, host) = (UUID(), UUID(), UUID())
            let nine = Self.ms(Self.at(2026, 11, 26, 9))
            let slot = try await booking.addSlot(scope: scope, host: host, startMs: nine, minutes: 60, place: " Kirjasto, huone 2 ", now: Self.now)
            #expect(slot.place == "Kirjasto, huone 2")
            #expect(try await booking.slot(id: slot.id) == slot)
            // 9.30 overlaps 9–10, also in another service of the same host.
            await #expect(throws: BookingRefusal.slotOverlaps) {
                try await booking.addSlot(scope: other, host: host, startMs: nine + 30 * 60_000, minutes: 30, place: "", now: Self.now)
            }
            await #expect(throws: BookingRefusal.slotOverlaps) {
                try await booking.addSlot(scope: scope, host: host, startMs: nine - 30 * 60_000, minutes: 240, place: "", now: Self.now)
            }
            // Touching ends do not overlap; another host may have the same time.
            _ = try await booking.addSlot(scope: scope, host: host, startMs: nine + 60 * 60_000, minutes: 10, place: "", now: Self.now)
            _ = try await booking.addSlot(scope: scope, host: UUID(), startMs: nine, minutes: 60, place: "", now: Self.now)
            // Out of range: too short, too long, a split minute, a control character, a place too long, a year away.
            let later = nine + 86_400_000
            for (minutes, start, place) in [
                (9, later, ""), (241, later, ""), (30, later + 1, ""), (30, later, "a\u{7}b"), (30, later, String(repeating: "x", count: 201)),
                (30, Self.ms(Self.now) + 367 * 86_400_000, ""),
            ] {
                await #expect(throws: BookingRefusal.badSlot) {
                    try await booking.addSlot(scope: scope, host: host, startMs: start, minutes: minutes, place: place, now: Self.now)
                }
            }
            await #expect(throws: BookingRefusal.slotInPast) {
                try await booking.addSlot(
                    scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, 24, 11)), minutes: 30, place: "", now: Self.now)
            }
            let listed = try await booking.hostSlots(host: host, fromMs: Self.ms(Self.now), now: Self.now)
            #expect(listed.map(\.slot.startMs) == [nine, nine + 60 * 60_000])
            #expect(listed.allSatisfy { $0.booked == nil })
        }
    }

    @Test func aFreeTimeIsDeletedButABookedOneOnlyAfterCancelling() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, host, guest) = (UUID(), UUID(), UUID())
            let free = try await booking.addSlot(
                scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, 26, 9)), minutes: 30, place: "", now: Self.now)
            let taken = try await booking.addSlot(
                scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, 26, 10)), minutes: 30, place: "", now: Self.now)
            let appointment = try await booking.book(slot: taken.id, guest: guest, scope: scope, now: Self.now)
            // Another host cannot delete it, nor can anyone delete the booked one.
            await #expect(throws: BookingRefusal.slotNotFound) { try await booking.deleteSlot(id: free.id, host: UUID()) }
            await #expect(throws: BookingRefusal.slotBooked) { try await booking.deleteSlot(id: taken.id, host: host) }
            try await booking.deleteSlot(id: free.id, host: host)
            #expect(try await booking.slot(id: free.id) == nil)
            let listed = try await booking.hostSlots(host: host, fromMs: Self.ms(Self.now), now: Self.now)
            #expect(listed.count == 1 && listed[0].booked?.id == appointment.id)
            _ = try await booking.cancel(appointment: appointment.id, by: .host(host), now: Self.now)
            try await booking.deleteSlot(id: taken.id, host: host)
            #expect(try await booking.slot(id: taken.id) == nil)
            // The cancelled appointment keeps its time and place.
            #expect(try await booking.appointments(guest: guest).map(\.startMs) == [taken.startMs])
        }
    }

    /// Monday 9.00 stays 9.00 in Helsinki across the change to winter time
    /// (25.10.2026) and to summer time (28.3.2027), so its UTC hour moves.
    @Test func aWeeklyPatternKeepsItsWallTimeAcrossBothSummerTimeChanges() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, host) = (UUID(), UUID())
            let autumnNow = Self.at(2026, 10, 12, 12)
            let pattern = try await booking.savePattern(
                WeeklyPattern(
                    scope: scope, host: host, weekday: 1, startMinute: 9 * 60, minutes: 45, place: "",
                    from: Self.day(2026, 10, 12), skipping: [Self.day(2026, 11, 2)]),
                now: autumnNow)
            var slots = try await booking.hostSlots(host: host, fromMs: Self.ms(autumnNow), now: autumnNow).map(\.slot)
            // 12.10 at 9 has gone by noon; 2.11 is skipped; eight weeks ahead ends 7.12.
            #expect(
                slots.map { BookingDay(ms: $0.startMs).description } == [
                    "2026-10-19", "2026-10-26", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30", "2026-12-07",
                ])
            #expect(slots.allSatisfy { Self.clock($0.startMs, "Europe/Helsinki") == "09:00" && $0.minutes == 45 && $0.pattern == pattern.id })
            #expect(Self.clock(slots[0].startMs, "UTC") == "06:00")
            #expect(Self.clock(slots[1].startMs, "UTC") == "07:00")
            // Refreshing again, even twice at once, adds nothing.
            async let a = booking.materialise(now: autumnNow)
            async let b = booking.materialise(now: autumnNow)
            #expect(try await a + b == 0)
            #expect(try await booking.hostSlots(host: host, fromMs: Self.ms(autumnNow), now: autumnNow).count == 7)

            let springNow = Self.at(2027, 3, 15, 12)
            slots = try await booking.hostSlots(host: host, fromMs: Self.ms(springNow), days: 21, now: springNow).map(\.slot)
            #expect(slots.map { BookingDay(ms: $0.startMs).description } == ["2027-03-22", "2027-03-29", "2027-04-05"])
            #expect(slots.map { Self.clock($0.startMs, "Europe/Helsinki") } == ["09:00", "09:00", "09:00"])
            #expect(slots.map { Self.clock($0.startMs, "UTC") } == ["07:00", "06:00", "06:00"])
        }
    }

    @Test func patternsAreCheckedAndTheirFutureFreeTimesFollowAChange() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, host, guest) = (UUID(), UUID(), UUID())
            let base = WeeklyPattern(scope: scope, host: host, weekday: 4, startMinute: 14 * 60, minutes: 60, place: "", from: Self.day(2026, 11, 24))
            func changed(_ change: (inout WeeklyPattern) -> Void) -> WeeklyPattern {
                var p = base
                change(&p)
                return p
            }
            let bad = [
                changed { $0.weekday = 8 }, changed { $0.startMinute = 23 * 60 + 30 }, changed { $0.minutes = 5 },
                changed { $0.until = Self.day(2026, 11, 1) }, changed { $0.place = "a\nb" },
            ]
            for pattern in bad {
                await #expect(throws: BookingRefusal.badSlot) { try await booking.savePattern(pattern, now: Self.now) }
            }
            var pattern = try await booking.savePattern(base, now: Self.now)
            var clash = base
            (clash.id, clash.startMinute) = (UUID(), 14 * 60 + 30)
            await #expect(throws: BookingRefusal.slotOverlaps) { try await booking.savePattern(clash, now: Self.now) }
            // Someone else's pattern id is not found, not replaced.
            var stranger = base
            stranger.host = UUID()
            stranger.id = pattern.id
            await #expect(throws: BookingRefusal.slotNotFound) { try await booking.savePattern(stranger, now: Self.now) }

            let free = try await booking.freeSlots(scope: scope, now: Self.now)
            #expect(free.count == 8)
            let booked = try await booking.book(slot: free[0].id, guest: guest, scope: scope, now: Self.now)
            // Skip the second Thursday and stop after the fifth: the booked one stays.
            pattern.skipping = [BookingDay(ms: free[1].startMs)]
            pattern.until = BookingDay(ms: free[4].startMs)
            pattern = try await booking.savePattern(pattern, now: Self.now)
            let after = try await booking.hostSlots(host: host, fromMs: Self.ms(Self.now), now: Self.now)
            #expect(after.map(\.slot.startMs) == [free[0].startMs, free[2].startMs, free[3].startMs, free[4].startMs])
            #expect(after[0].booked?.id == booked.id)
            #expect(try await booking.freeSlots(scope: scope, now: Self.now).map(\.startMs) == [free[2], free[3], free[4]].map(\.startMs))
            try await booking.deletePattern(id: pattern.id, host: host, now: Self.now)
            #expect(try await booking.hostSlots(host: host, fromMs: Self.ms(Self.now), now: Self.now).map(\.slot.id) == [free[0].id])
            #expect(try await booking.patterns(host: host).isEmpty)
        }
    }

    /// Many guests book the last time at the same moment: the database lets
    /// exactly one in, and every other one hears `slot_taken`.
    @Test func manyGuestsBookTheLastTimeAtOnceAndExactlyOneWins() async throws {
        try await Self.withBooking { booking, app in
            let (scope, host) = (UUID(), UUID())
            let slot = try await booking.addSlot(
                scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, 27, 10)), minutes: 30, place: "", now: Self.now)
            let guests = (0..<16).map { _ in UUID() }
            let results = await withTaskGroup(of: Result<Appointment, BookingRefusal>.self) { group in
                for guest in guests {
                    group.addTask {
                        do { return .success(try await booking.book(slot: slot.id, guest: guest, scope: scope, now: Self.now)) } catch let r
                            as BookingRefusal
                        {
                            return .failure(r)
                        } catch { return .failure(.notBooked) }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let winners = results.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            #expect(results.filter { if case .failure(.taken) = $0 { true } else { false } }.count == guests.count - 1)
            let rows = try await app.storage.sql.raw("SELECT guest_id FROM booking_appointments WHERE slot_id = \(bind: slot.id)").all()
            #expect(rows.count == 1)
            #expect(try await booking.freeSlots(scope: scope, now: Self.now).isEmpty)
            // Cancelled, the time is free again for the next guest.
            _ = try await booking.cancel(appointment: winners[0].id, by: .guest(winners[0].guest), now: Self.now)
            let second = try await booking.book(slot: slot.id, guest: guests.first { $0 != winners[0].guest }!, scope: scope, now: Self.now)
            #expect(second.status == .booked && second.id != winners[0].id)
            // The index itself refuses a second booked row, whoever writes it.
            await #expect(throws: (any Error).self) {
                try await app.storage.sql.raw(
                    """
                    INSERT INTO booking_appointments (id, scope_id, host_id, guest_id, slot_id, start_ms, minutes, place, status, sequence, created_ms, changed_ms)
                    VALUES (\(bind: UUID()), \(bind: scope), \(bind: host), \(bind: UUID()), \(bind: slot.id), 0, 30, '', 'booked', 0, 0, 0)
                    """
                ).run()
            }
        }
    }

    /// Two guests each move onto the same free time at once: one gets it.
    @Test func twoMovesOntoOneTimeAtOnceLeaveOneWinner() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, host) = (UUID(), UUID())
            var slots: [Slot] = []
            for hour in [9, 10, 11] {
                slots.append(
                    try await booking.addSlot(
                        scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, 30, hour)), minutes: 30, place: "", now: Self.now))
            }
            let a = try await booking.book(slot: slots[0].id, guest: UUID(), scope: scope, now: Self.now)
            let b = try await booking.book(slot: slots[1].id, guest: UUID(), scope: scope, now: Self.now)
            let target = slots[2].id
            async let moveA = Self.attempt { try await booking.move(appointment: a.id, to: target, by: a.guest, now: Self.now) }
            async let moveB = Self.attempt { try await booking.move(appointment: b.id, to: target, by: b.guest, now: Self.now) }
            let outcomes = [await moveA, await moveB]
            #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
            #expect(outcomes.contains { if case .failure(let e) = $0 { (e as? BookingRefusal) == .taken } else { false } })
            #expect(try await booking.freeSlots(scope: scope, now: Self.now).count == 1)
        }
    }

    @Test func theGuestMovesAndCancelsOnlyBeforeTheLimitAndTheHostAlways() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, host, guest) = (UUID(), UUID(), UUID())
            // Thursday 26.11 at 12 and at 14: 48 and 50 hours away.
            let first = try await booking.addSlot(
                scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, 26, 12)), minutes: 60, place: "Kahvila", now: Self.now)
            let second = try await booking.addSlot(
                scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, 26, 14)), minutes: 30, place: "", now: Self.now)
            let booked = try await booking.book(slot: first.id, guest: guest, scope: scope, now: Self.now)
            #expect(booked.sequence == 0 && booked.status == .booked && booked.uid == booked.id.uuidString.lowercased() + "@kohtaamo")
            // Another service's page cannot book this service's time.
            await #expect(throws: BookingRefusal.slotNotFound) { try await booking.book(slot: second.id, guest: guest, scope: UUID(), now: Self.now) }
            // Another guest cannot see, move or cancel it.
            await #expect(throws: BookingRefusal.appointmentNotFound) {
                try await booking.move(appointment: booked.id, to: second.id, by: UUID(), now: Self.now)
            }
            await #expect(throws: BookingRefusal.appointmentNotFound) {
                try await booking.cancel(appointment: booked.id, by: .guest(UUID()), now: Self.now)
            }
            #expect(try await booking.appointment(id: booked.id, for: .guest(UUID())) == nil)

            // 28 hours before: the move goes through, same id, the old time free again.
            let moved = try await booking.move(appointment: booked.id, to: second.id, by: guest, now: Self.at(2026, 11, 25, 8))
            #expect(moved.id == booked.id && moved.uid == booked.uid && moved.sequence == 1)
            #expect(moved.startMs == second.startMs && moved.minutes == 30 && moved.place == "" && moved.slot == second.id)
            #expect(try await booking.freeSlots(scope: scope, now: Self.now).map(\.id) == [first.id])

            // 23 hours before the 14.00 start: too late for the guest, with the default 24 hours.
            let late = Self.at(2026, 11, 25, 15)
            await #expect(throws: BookingRefusal.tooLate) { try await booking.move(appointment: booked.id, to: first.id, by: guest, now: late) }
            await #expect(throws: BookingRefusal.tooLate) { try await booking.cancel(appointment: booked.id, by: .guest(guest), now: late) }
            // A service with a 2-hour limit lets the guest move then.
            let again = try await booking.move(appointment: booked.id, to: first.id, by: guest, changeLimitHours: 2, now: late)
            #expect(again.sequence == 2 && again.startMs == first.startMs)
            // The host may cancel even ten minutes before.
            let cancelled = try await booking.cancel(appointment: booked.id, by: .host(host), now: Self.at(2026, 11, 26, 11, 50))
            #expect(cancelled.status == .cancelled && cancelled.sequence == 3)
            #expect(try await booking.appointment(id: booked.id, for: .guest(guest)) == cancelled)
            // A cancelled appointment no longer changes.
            await #expect(throws: BookingRefusal.notBooked) { try await booking.cancel(appointment: booked.id, by: .host(host), now: Self.now) }
            await #expect(throws: BookingRefusal.notBooked) {
                try await booking.move(appointment: booked.id, to: second.id, by: guest, now: Self.now)
            }
            // Booking a time that has begun is refused.
            await #expect(throws: BookingRefusal.slotInPast) {
                try await booking.book(slot: first.id, guest: guest, scope: scope, now: Self.at(2026, 11, 26, 12, 5))
            }
            await #expect(throws: BookingRefusal.slotNotFound) { try await booking.book(slot: UUID(), guest: guest, scope: scope, now: Self.now) }
        }
    }

    @Test func attendanceIsMarkedByTheHostAfterTheStartAndCountedPerWeek() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, host) = (UUID(), UUID())
            var appointments: [Appointment] = []
            // Wednesday, Thursday and Friday of the week of 23.11, and Monday 30.11.
            for (d, h) in [(25, 9), (26, 9), (27, 9), (30, 9)] {
                let slot = try await booking.addSlot(
                    scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, d, h)), minutes: 30, place: "", now: Self.now)
                appointments.append(try await booking.book(slot: slot.id, guest: UUID(), scope: scope, now: Self.now))
            }
            await #expect(throws: BookingRefusal.notStarted) {
                try await booking.mark(appointment: appointments[0].id, as: .attended, by: host, now: Self.at(2026, 11, 25, 8, 59))
            }
            await #expect(throws: BookingRefusal.appointmentNotFound) {
                try await booking.mark(appointment: appointments[0].id, as: .attended, by: UUID(), now: Self.at(2026, 11, 25, 9))
            }
            let attended = try await booking.mark(appointment: appointments[0].id, as: .attended, by: host, now: Self.at(2026, 11, 25, 9))
            #expect(attended.status == .attended && attended.sequence == 1)
            await #expect(throws: BookingRefusal.notBooked) {
                try await booking.mark(appointment: appointments[0].id, as: .noShow, by: host, now: Self.at(2026, 11, 25, 10))
            }
            _ = try await booking.mark(appointment: appointments[1].id, as: .noShow, by: host, now: Self.at(2026, 11, 26, 9, 15))
            _ = try await booking.cancel(appointment: appointments[2].id, by: .guest(appointments[2].guest), now: Self.now)
            _ = try await booking.mark(appointment: appointments[3].id, as: .attended, by: host, now: Self.at(2026, 11, 30, 9, 30))
            let weeks = try await booking.weekCounts(scope: scope, from: Self.day(2026, 11, 18), through: Self.day(2026, 12, 2))
            #expect(weeks.map(\.week.description) == ["2026-11-16", "2026-11-23", "2026-11-30"])
            #expect(weeks.map { [$0.attended, $0.noShow, $0.cancelled] } == [[0, 0, 0], [1, 1, 1], [1, 0, 0]])
            #expect(try await booking.weekCounts(scope: UUID(), from: Self.day(2026, 11, 23), through: Self.day(2026, 11, 29)).map(\.attended) == [0])
        }
    }

    @Test func upcomingAppointmentsAreTheBookedOnesWithinTheHours() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, host, guest) = (UUID(), UUID(), UUID())
            var ids: [UUID] = []
            for (d, h) in [(24, 13), (25, 11), (26, 9)] {
                let slot = try await booking.addSlot(
                    scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, d, h)), minutes: 60, place: "", now: Self.now)
                ids.append(try await booking.book(slot: slot.id, guest: guest, scope: scope, now: Self.now).id)
            }
            #expect(try await booking.upcoming(for: .guest(guest), withinHours: 24, now: Self.now).map(\.id) == [ids[0], ids[1]])
            #expect(try await booking.upcoming(for: .host(host), withinHours: 24, now: Self.now).map(\.id) == [ids[0], ids[1]])
            // Under way still counts; ended or cancelled does not.
            #expect(try await booking.upcoming(for: .guest(guest), withinHours: 1, now: Self.at(2026, 11, 24, 13, 30)).map(\.id) == [ids[0]])
            _ = try await booking.cancel(appointment: ids[1], by: .host(host), now: Self.now)
            #expect(try await booking.upcoming(for: .guest(guest), withinHours: 48, now: Self.at(2026, 11, 24, 14, 0)).map(\.id) == [ids[2]])
            #expect(try await booking.upcoming(for: .guest(UUID()), withinHours: 48, now: Self.now).isEmpty)
            // The member's erasure takes their appointments and frees the times.
            #expect(try await booking.erase(guest: guest) == 3)
            #expect(try await booking.appointments(guest: guest).isEmpty)
            #expect(try await booking.freeSlots(scope: scope, now: Self.now).count == 3)
        }
    }

    /// REQUEST → REQUEST (moved) → CANCEL: one UID, a rising SEQUENCE,
    /// Helsinki times with their VTIMEZONE, text escaped and lines folded.
    @Test func invitationsKeepTheirUIDAndRaiseTheSequence() async throws {
        try await Self.withBooking { booking, _ in
            let (scope, host, guest) = (UUID(), UUID(), UUID())
            let first = try await booking.addSlot(
                scope: scope, host: host, startMs: Self.ms(Self.at(2026, 11, 26, 9)), minutes: 45, place: "Kirjasto; huone 2, 1. krs", now: Self.now)
            let second = try await booking.addSlot(
                scope: scope, host: host, startMs: Self.ms(Self.at(2027, 6, 1, 15, 30)), minutes: 60, place: "", now: Self.now)
            let booked = try await booking.book(slot: first.id, guest: guest, scope: scope, now: Self.now)
            let moved = try await booking.move(appointment: booked.id, to: second.id, by: guest, now: Self.now)
            let cancelled = try await booking.cancel(appointment: booked.id, by: .host(host), now: Self.now)
            func invitation(_ a: Appointment) -> String {
                Invitation(
                    appointment: a, summary: "Valmennus: Aino", description: "Rivi 1\nRivi 2, \\ loppu", hostName: "Työntekijä \"Tiina\"; K:lla",
                    guestName: "aino_88", callAddress: "https://kohtaamo.example/coaching/appointments/\(a.id.uuidString.lowercased())",
                    stamp: Self.now
                ).text
            }
            let texts = [invitation(booked), invitation(moved), invitation(cancelled)]
            func values(_ text: String, _ name: String) -> [String] {
                // Unfold first (RFC 5545 3.1), then pick the property's value.
                text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
                    .filter { $0.hasPrefix(name + ":") || $0.hasPrefix(name + ";") }
                    .map { String($0[$0.index(after: $0.firstIndex(of: ":")!)...]) }
            }
            #expect(texts.map { values($0, "METHOD") } == [["REQUEST"], ["REQUEST"], ["CANCEL"]])
            #expect(Set(texts.flatMap { values($0, "UID") }) == [booked.uid])
            #expect(texts.map { values($0, "SEQUENCE") } == [["0"], ["1"], ["2"]])
            #expect(texts.map { values($0, "STATUS") } == [["CONFIRMED"], ["CONFIRMED"], ["CANCELLED"]])
            #expect(
                values(texts[0], "DTSTART;TZID=Europe/Helsinki") == ["20261126T090000"]
                    && values(texts[0], "DTEND;TZID=Europe/Helsinki") == ["20261126T094500"])
            #expect(
                values(texts[1], "DTSTART;TZID=Europe/Helsinki") == ["20270601T153000"]
                    && values(texts[1], "DTEND;TZID=Europe/Helsinki") == ["20270601T163000"])
            #expect(values(texts[0], "DTSTAMP") == ["20261124T100000Z"])
            #expect(texts[0].contains("\r\nDTSTART;TZID=Europe/Helsinki:20261126T090000\r\n"))
            #expect(texts[0].contains("\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki\r\n"))
            #expect(values(texts[0], "LOCATION") == ["Kirjasto\\; huone 2\\, 1. krs"])
            #expect(values(texts[1], "LOCATION") == ["https://kohtaamo.example/coaching/appointments/\(booked.id.uuidString.lowercased())"])
            #expect(values(texts[0], "DESCRIPTION") == ["Rivi 1\\nRivi 2\\, \\\\ loppu"])
            let unfolded = texts[0].replacingOccurrences(of: "\r\n ", with: "")
            #expect(unfolded.contains("\r\nORGANIZER;CN=\"Työntekijä Tiina; K:lla\":urn:uuid:\(host.uuidString.lowercased())\r\n"))
            #expect(
                unfolded.contains("\r\nATTENDEE;CN=aino_88;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:urn:uuid:\(guest.uuidString.lowercased())\r\n"))
            #expect(!texts.joined().contains("mailto:"))
            for text in texts {
                #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
                #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
                #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            }
        }
    }

    /// Every refusal has its message in Finnish, Swedish and English.
    @Test func everyRefusalHasItsTextInEveryLanguage() throws {
        let locales = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/Kohtaamo/Resources/locales")
        let localizer = try Localizer(directory: locales)
        for refusal in BookingRefusal.allCases {
            #expect(refusal.messageKey == "error_" + refusal.code)
            for language in Language.allCases {
                let text = localizer.catalogue(language)[refusal.messageKey]
                #expect(text != nil && text != refusal.messageKey, "\(language) \(refusal.code)")
            }
        }
        #expect(
            Set(BookingRefusal.allCases.map(\.code)).isSuperset(of: [
                "slot_taken", "slot_not_found", "slot_in_past", "slot_overlaps", "bad_slot", "appointment_not_found", "booking_too_late",
                "not_started",
            ]))
    }

    @Test func helsinkiDaysParseOnlyRealDates() {
        #expect(BookingDay("2026-02-29") == nil)
        #expect(BookingDay("2028-02-29") == Self.day(2028, 2, 29))
        #expect(BookingDay("2026-1-05") == nil && BookingDay("") == nil && BookingDay("2026-13-01") == nil)
        #expect(Self.day(2026, 11, 24).weekday == 2 && Self.day(2026, 11, 29).weekday == 7 && Self.day(2026, 11, 29).monday == Self.day(2026, 11, 23))
        #expect(BookingDay(ms: Self.ms(Self.at(2026, 11, 24, 0, 30))) == Self.day(2026, 11, 24))
        #expect(BookingDay("1900-02-29") == nil && BookingDay("2000-02-29") == Self.day(2000, 2, 29) && BookingDay("2026-04-31") == nil)
    }

    /// Days are counted, not asked of the calendar: every day of 1899–2101
    /// has the calendar's weekday, next day and distance, and reads back
    /// from its own text.
    @Test func countedDaysAgreeWithTheCalendar() {
        var day = Self.day(1899, 12, 25)
        var date = day.at(minute: 12 * 60)
        var wrong: [String] = []
        for n in 0..<73_800 {
            let c = Helsinki.calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let weekday = (c.weekday! + 5) % 7 + 1
            if BookingDay(year: c.year!, month: c.month!, day: c.day!) != day || day.weekday != weekday || BookingDay(day.description) != day
                || day.days(since: Self.day(1899, 12, 25)) != n
            {
                wrong.append("\(day) \(c)")
            }
            day = day.adding(days: 1)
            date = Helsinki.calendar.date(byAdding: .day, value: 1, to: date)!
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(day.adding(days: -73_800) == Self.day(1899, 12, 25) && Self.day(2026, 12, 4).description == "2026-12-04")
    }
}
