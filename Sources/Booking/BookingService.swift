import Foundation
import KohtaamoBase

/// The rules of booking: who may add, book, move, cancel and mark, and when.
/// It knows no feature and no route: a feature checks its own rights (who is
/// a host, who a guest of the scope) and calls these with the ids; a refusal
/// is thrown as a `BookingRefusal` with a stable code.
package struct BookingService: Sendable {
    package let repository: any BookingRepository
    package let clock: AppClock

    package init(repository: any BookingRepository, clock: AppClock) {
        self.repository = repository
        self.clock = clock
    }

    package init(storage: Storage, clock: AppClock) {
        self.init(repository: SQLBookingRepository(storage: storage), clock: clock)
    }

    private func ms(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    // MARK: free times

    /// Checks what a slot and a pattern share: length, place.
    private static func check(minutes: Int, place: String) throws {
        guard (Booking.minMinutes...Booking.maxMinutes).contains(minutes), Validate.length(place, 0...Booking.maxPlaceLength),
            Validate.plainLine(place)
        else { throw BookingRefusal.badSlot }
    }

    /// Adds one free time. It starts on a whole minute, in the future and
    /// within a year, lasts 10–240 minutes, and shares no minute with the
    /// host's other times in any scope.
    package func addSlot(scope: UUID, host: UUID, startMs: Int64, minutes: Int, place: String, now: Date? = nil) async throws -> Slot {
        let nowMs = ms(now ?? clock.now)
        let place = place.trimmingCharacters(in: .whitespaces)
        try Self.check(minutes: minutes, place: place)
        guard startMs % 60_000 == 0, startMs < nowMs + 366 * 86_400_000 else { throw BookingRefusal.badSlot }
        guard startMs > nowMs else { throw BookingRefusal.slotInPast }
        let slot = Slot(scope: scope, host: host, startMs: startMs, minutes: minutes, place: place, createdMs: nowMs)
        try await repository.addSlot(slot)
        return slot
    }

    /// Deletes a free time of the host; a booked one stays (`slot_booked`):
    /// cancel its appointment first.
    package func deleteSlot(id: UUID, host: UUID) async throws {
        try await repository.deleteFreeSlot(id: id, host: host)
    }

    package func slot(id: UUID) async throws -> Slot? { try await repository.slot(id: id) }

    // MARK: weekly patterns

    /// Adds a weekly pattern (or, with an existing id of the same host,
    /// replaces it: its future free times are made anew, booked ones stay)
    /// and makes its free times for the next weeks. A pattern may not share
    /// minutes with another of the host's patterns on the same days.
    @discardableResult
    package func savePattern(_ pattern: WeeklyPattern, now: Date? = nil) async throws -> WeeklyPattern {
        let now = now ?? clock.now
        var p = pattern
        p.place = p.place.trimmingCharacters(in: .whitespaces)
        try Self.check(minutes: p.minutes, place: p.place)
        guard (1...7).contains(p.weekday), (0..<1440).contains(p.startMinute), p.startMinute + p.minutes <= 1440,
            p.until.map({ $0 >= p.from }) ?? true, p.skipping.count <= Booking.maxExceptions
        else { throw BookingRefusal.badSlot }
        let existing = try await repository.patterns(host: p.host)
        if let old = existing.first(where: { $0.id == p.id }) {
            p.createdMs = old.createdMs
        } else {
            // Another host's pattern with this id is not theirs to replace.
            if try await repository.pattern(id: p.id) != nil { throw BookingRefusal.slotNotFound }
            p.createdMs = ms(now)
        }
        for other in existing where other.id != p.id && Self.clash(p, other) { throw BookingRefusal.slotOverlaps }
        try await repository.savePattern(p, clearingFreeFromMs: ms(now))
        _ = try await materialise(patterns: [p], now: now)
        return p
    }

    /// Same weekday, shared minutes and shared days.
    private static func clash(_ a: WeeklyPattern, _ b: WeeklyPattern) -> Bool {
        guard a.weekday == b.weekday, a.startMinute < b.startMinute + b.minutes, b.startMinute < a.startMinute + a.minutes else { return false }
        let aEndsBeforeB = a.until.map { $0 < b.from } ?? false
        let bEndsBeforeA = b.until.map { $0 < a.from } ?? false
        return !aEndsBeforeB && !bEndsBeforeA
    }

    /// Deletes the host's pattern and its future free times; booked times stay.
    package func deletePattern(id: UUID, host: UUID, now: Date? = nil) async throws {
        guard try await repository.pattern(id: id)?.host == host else { throw BookingRefusal.slotNotFound }
        _ = try await repository.deletePattern(id: id, clearingFreeFromMs: ms(now ?? clock.now))
    }

    package func patterns(host: UUID) async throws -> [WeeklyPattern] { try await repository.patterns(host: host) }

    /// Makes the free times of every pattern for the next `Booking.patternWeeks`
    /// weeks; those already there (or overlapping another time of the host)
    /// are left as they are, so it is safe to run at any time and on any node.
    /// Answers how many were added.
    @discardableResult
    package func materialise(now: Date? = nil) async throws -> Int {
        try await materialise(patterns: try await repository.allPatterns(), now: now ?? clock.now)
    }

    private func materialise(patterns: [WeeklyPattern], now: Date) async throws -> Int {
        let nowMs = ms(now)
        let today = BookingDay(now)
        let last = today.adding(days: Booking.patternWeeks * 7)
        var missing: [Slot] = []
        for (host, own) in Dictionary(grouping: patterns, by: \.host) {
            let there = try await repository.slots(host: host, fromMs: nowMs, toMs: last.adding(days: 1).ms(minute: 0))
            for p in own {
                for day in p.days(from: today, through: last) {
                    let start = day.ms(minute: p.startMinute)
                    let end = start + Int64(p.minutes) * 60_000
                    guard start > nowMs, !there.contains(where: { $0.overlaps(startMs: start, endMs: end) }) else { continue }
                    missing.append(
                        Slot(scope: p.scope, host: p.host, startMs: start, minutes: p.minutes, place: p.place, pattern: p.id, createdMs: nowMs))
                }
            }
        }
        // Reading first keeps a refresh with nothing to add from writing at all.
        return missing.isEmpty ? 0 : try await repository.addMissingSlots(missing)
    }

    // MARK: lists

    /// The host's times (every scope) from `fromMs` for `days` days, each with
    /// what is booked on it; patterns are refreshed first.
    package func hostSlots(host: UUID, fromMs: Int64, days: Int = Booking.patternWeeks * 7, now: Date? = nil) async throws -> [HostSlot] {
        let now = now ?? clock.now
        _ = try await materialise(patterns: try await repository.patterns(host: host), now: now)
        let toMs = fromMs + Int64(max(days, 1)) * 86_400_000
        let slots = try await repository.slots(host: host, fromMs: fromMs, toMs: toMs)
        let booked = try await repository.appointments(host: host, fromMs: fromMs - Int64(Booking.maxMinutes) * 60_000, toMs: toMs)
            .filter { $0.status == .booked }
        let bySlot = Dictionary(booked.map { ($0.slot, $0) }, uniquingKeysWith: { a, _ in a })
        return slots.map { HostSlot(slot: $0, booked: bySlot[$0.id]) }
    }

    /// The times a guest may book in a scope (of one host, or of all): free,
    /// starting after now, within the patterns' weeks; patterns are refreshed first.
    package func freeSlots(scope: UUID, host: UUID? = nil, now: Date? = nil) async throws -> [Slot] {
        let now = now ?? clock.now
        let nowMs = ms(now)
        let patterns = try await repository.allPatterns().filter { $0.scope == scope && (host == nil || $0.host == host) }
        _ = try await materialise(patterns: patterns, now: now)
        let toMs = BookingDay(now).adding(days: Booking.patternWeeks * 7 + 1).ms(minute: 0)
        let slots = try await repository.slots(scope: scope, fromMs: nowMs, toMs: toMs)
        // A booked appointment starts when its slot does.
        let booked = Set(
            try await repository.appointments(scope: scope, fromMs: nowMs, toMs: toMs).filter { $0.status == .booked }.map(\.slot))
        return slots.filter { $0.startMs > nowMs && (host == nil || $0.host == host) && !booked.contains($0.id) }
    }

    // MARK: appointments

    /// Books a free time of the scope for the guest. Of two guests who book
    /// the same time at once, one gets it and the other `slot_taken`.
    package func book(slot id: UUID, guest: UUID, scope: UUID, now: Date? = nil) async throws -> Appointment {
        let nowMs = ms(now ?? clock.now)
        guard let slot = try await repository.slot(id: id), slot.scope == scope else { throw BookingRefusal.slotNotFound }
        guard slot.startMs > nowMs else { throw BookingRefusal.slotInPast }
        let appointment = Appointment(
            scope: slot.scope, host: slot.host, guest: guest, slot: slot.id, startMs: slot.startMs, minutes: slot.minutes, place: slot.place,
            createdMs: nowMs, changedMs: nowMs)
        return try await repository.book(appointment)
    }

    /// The guest moves the appointment to another free time of the same host
    /// in the same scope, until `changeLimitHours` before its start. Same id
    /// and uid, sequence + 1; the old time is free again.
    package func move(
        appointment id: UUID, to slotID: UUID, by guest: UUID, changeLimitHours: Int = Booking.defaultChangeLimitHours, now: Date? = nil
    ) async throws -> Appointment {
        let nowMs = ms(now ?? clock.now)
        guard let current = try await repository.appointment(id: id), current.guest == guest else { throw BookingRefusal.appointmentNotFound }
        guard current.status == .booked else { throw BookingRefusal.notBooked }
        guard Self.beforeLimit(current, hours: changeLimitHours, nowMs: nowMs) else { throw BookingRefusal.tooLate }
        guard let target = try await repository.slot(id: slotID), target.scope == current.scope, target.host == current.host else {
            throw BookingRefusal.slotNotFound
        }
        guard target.startMs > nowMs else { throw BookingRefusal.slotInPast }
        guard target.id != current.slot else { throw BookingRefusal.taken }
        return try await repository.move(appointment: id, to: target, changedMs: nowMs)
    }

    /// Cancels: the host at any time, the guest until `changeLimitHours`
    /// before the start. Sequence + 1; the time is free again.
    package func cancel(
        appointment id: UUID, by party: BookingParty, changeLimitHours: Int = Booking.defaultChangeLimitHours, now: Date? = nil
    ) async throws -> Appointment {
        let nowMs = ms(now ?? clock.now)
        guard let current = try await repository.appointment(id: id), Self.involves(current, party) else {
            throw BookingRefusal.appointmentNotFound
        }
        guard current.status == .booked else { throw BookingRefusal.notBooked }
        if case .guest = party, !Self.beforeLimit(current, hours: changeLimitHours, nowMs: nowMs) { throw BookingRefusal.tooLate }
        return try await repository.setStatus(appointment: id, to: .cancelled, changedMs: nowMs)
    }

    /// How an appointment went, as its host marks it once it has begun.
    package enum Attendance: String, Sendable, CaseIterable {
        case attended
        case noShow = "no_show"
    }

    /// The host marks the guest as come or not come, once the time has begun.
    package func mark(appointment id: UUID, as attendance: Attendance, by host: UUID, now: Date? = nil) async throws -> Appointment {
        let nowMs = ms(now ?? clock.now)
        guard let current = try await repository.appointment(id: id), current.host == host else { throw BookingRefusal.appointmentNotFound }
        guard current.status == .booked else { throw BookingRefusal.notBooked }
        guard nowMs >= current.startMs else { throw BookingRefusal.notStarted }
        return try await repository.setStatus(
            appointment: id, to: attendance == .attended ? .attended : .noShow, changedMs: nowMs)
    }

    private static func involves(_ a: Appointment, _ party: BookingParty) -> Bool {
        switch party {
        case .host(let id): a.host == id
        case .guest(let id): a.guest == id
        }
    }

    /// True while the start is at least `hours` away (a negative limit counts as none).
    private static func beforeLimit(_ a: Appointment, hours: Int, nowMs: Int64) -> Bool {
        nowMs <= a.startMs - Int64(max(hours, 0)) * 3_600_000
    }

    /// The appointment if the party is its host or guest.
    package func appointment(id: UUID, for party: BookingParty) async throws -> Appointment? {
        guard let a = try await repository.appointment(id: id), Self.involves(a, party) else { return nil }
        return a
    }

    /// Every appointment of the guest, latest start first.
    package func appointments(guest: UUID) async throws -> [Appointment] { try await repository.appointments(guest: guest) }

    /// The host's appointments starting in the window, by start.
    package func appointments(host: UUID, fromMs: Int64, toMs: Int64) async throws -> [Appointment] {
        try await repository.appointments(host: host, fromMs: fromMs, toMs: toMs)
    }

    /// Booked appointments of the party that have not ended and start within
    /// `hours` (the page's reminder), soonest first.
    package func upcoming(for party: BookingParty, withinHours hours: Int, now: Date? = nil) async throws -> [Appointment] {
        let nowMs = ms(now ?? clock.now)
        let untilMs = nowMs + Int64(max(hours, 0)) * 3_600_000
        let candidates: [Appointment]
        switch party {
        case .host(let id):
            candidates = try await repository.appointments(host: id, fromMs: nowMs - Int64(Booking.maxMinutes) * 60_000, toMs: untilMs + 1)
        case .guest(let id):
            candidates = try await repository.appointments(guest: id)
        }
        return candidates.filter { $0.status == .booked && $0.endMs > nowMs && $0.startMs <= untilMs }.sorted { $0.startMs < $1.startMs }
    }

    /// Attended, no-show and cancelled appointments of a scope per week
    /// (Monday to Sunday, Helsinki, by the appointment's start), every week
    /// from the one of `from` through the one of `through`, empty weeks too.
    package func weekCounts(scope: UUID, from: BookingDay, through: BookingDay) async throws -> [BookingWeekCounts] {
        guard from <= through else { return [] }
        let first = from.monday
        let end = through.monday.adding(days: 7)
        var weeks: [BookingDay: BookingWeekCounts] = [:]
        var order: [BookingDay] = []
        var week = first
        while week < end {
            weeks[week] = BookingWeekCounts(scope: scope, week: week, attended: 0, noShow: 0, cancelled: 0)
            order.append(week)
            week = week.adding(days: 7)
        }
        for a in try await repository.appointments(scope: scope, fromMs: first.ms(minute: 0), toMs: end.ms(minute: 0)) {
            let key = BookingDay(ms: a.startMs).monday
            switch a.status {
            case .attended: weeks[key]?.attended += 1
            case .noShow: weeks[key]?.noShow += 1
            case .cancelled: weeks[key]?.cancelled += 1
            case .booked: break
            }
        }
        return order.compactMap { weeks[$0] }
    }

    /// Erases the guest's appointments (the member's erasure); answers how many.
    package func erase(guest: UUID) async throws -> Int { try await repository.deleteAppointments(guest: guest) }
}
