import Booking
import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// Appointments: the coach publishes free times (one by one, or a weekly
/// pattern with days skipped) in the service; their coachee books one,
/// moves or cancels it until the service's limit; both get an iCalendar
/// invitation. The rules of times and the race for the last one are the
/// Booking layer's; here is who may do what.
extension CoachingService {
    // MARK: the coach

    /// The coach's times in the service from now on (four weeks back, to mark who came).
    package func slots(_ p: StaffPrincipal, service id: UUID) async throws -> [HostSlot] {
        let (info, _) = try await asCoach(p, service: id)
        let from = clock.nowMs - 28 * 86_400_000
        return try await booking.hostSlots(host: p.staffID, fromMs: from, days: 28 + Booking.patternWeeks * 7, now: clock.now)
            .filter { $0.slot.scope == info.id }
    }

    package func addSlot(_ p: StaffPrincipal, service id: UUID, startMs: Int64, minutes: Int, place: String) async throws -> Slot {
        let (info, _) = try await asCoach(p, service: id)
        return try await booking.addSlot(scope: info.id, host: p.staffID, startMs: startMs, minutes: minutes, place: place, now: clock.now)
    }

    package func addPattern(_ p: StaffPrincipal, service id: UUID, _ pattern: WeeklyPattern) async throws -> WeeklyPattern {
        let (info, _) = try await asCoach(p, service: id)
        var made = pattern
        (made.id, made.scope, made.host) = (UUID(), info.id, p.staffID)
        return try await booking.savePattern(made, now: clock.now)
    }

    package func patterns(_ p: StaffPrincipal, service id: UUID) async throws -> [WeeklyPattern] {
        let (info, _) = try await asCoach(p, service: id)
        return try await booking.patterns(host: p.staffID).filter { $0.scope == info.id }
    }

    package func deletePattern(_ p: StaffPrincipal, id: UUID) async throws {
        try await booking.deletePattern(id: id, host: p.staffID, now: clock.now)
    }

    package func deleteSlot(_ p: StaffPrincipal, id: UUID) async throws {
        try await booking.deleteSlot(id: id, host: p.staffID)
    }

    /// The coach marks whether the coachee came (a no-show is counted for the statistics).
    package func mark(_ p: StaffPrincipal, appointment id: UUID, attended: Bool) async throws -> Appointment {
        let a = try await booking.mark(appointment: id, as: attended ? .attended : .noShow, by: p.staffID, now: clock.now)
        await tellAppointment(a, to: .client(a.guest))
        return a
    }

    // MARK: the coachee

    /// The free times of the coachee's own coach in the service.
    package func freeSlots(_ member: UUID, service id: UUID) async throws -> [Slot] {
        let (info, c) = try await mine(member, service: id)
        guard c.status == .active else { return [] }
        return try await booking.freeSlots(scope: info.id, host: c.coach, now: clock.now)
    }

    package func book(_ member: UUID, service id: UUID, slot: UUID) async throws -> Appointment {
        let (info, c) = try await mine(member, service: id)
        guard c.status == .active, let s = try await booking.slot(id: slot), s.host == c.coach else { throw BookingRefusal.slotNotFound }
        let a = try await booking.book(slot: slot, guest: member, scope: info.id, now: clock.now)
        await tellAppointment(a, to: .staff(a.host))
        return a
    }

    package func move(_ member: UUID, appointment id: UUID, to slot: UUID) async throws -> Appointment {
        guard let current = try await booking.appointment(id: id, for: .guest(member)) else { throw BookingRefusal.appointmentNotFound }
        let s = try await settings(try await service(current.scope))
        let a = try await booking.move(appointment: id, to: slot, by: member, changeLimitHours: s.changeLimitHours, now: clock.now)
        await tellAppointment(a, to: .staff(a.host))
        return a
    }

    // MARK: both

    /// Who asks about an appointment: its coach (staff) or its coachee.
    static func party(_ viewer: Identity) -> BookingParty? {
        switch viewer {
        case .staff(let id): .host(id)
        case .client(let id): .guest(id)
        }
    }

    /// The coachee until the service's limit, the coach at any time.
    package func cancel(_ viewer: Identity, appointment id: UUID) async throws -> Appointment {
        guard let party = Self.party(viewer), let current = try await booking.appointment(id: id, for: party) else {
            throw BookingRefusal.appointmentNotFound
        }
        let s = try await settings(try await service(current.scope))
        let a = try await booking.cancel(appointment: id, by: party, changeLimitHours: s.changeLimitHours, now: clock.now)
        await tellAppointment(a, to: viewer.kind == .staff ? .client(a.guest) : .staff(a.host))
        return a
    }

    /// The appointments of the service the person sees: the coachee's own,
    /// or the coach's (from four weeks back).
    package func appointments(_ viewer: Identity, service id: UUID) async throws -> [Appointment] {
        switch viewer {
        case .client(let member):
            _ = try await mine(member, service: id)
            return try await booking.appointments(guest: member).filter { $0.scope == id }.sorted { $0.startMs < $1.startMs }
        case .staff(let staff):
            guard try await settings(try await service(id)).coaches.contains(staff) else { throw Refusal.notCoach }
            let now = clock.nowMs
            return try await booking.appointments(host: staff, fromMs: now - 28 * 86_400_000, toMs: now + 366 * 86_400_000)
                .filter { $0.scope == id }
        }
    }

    /// Booked and starting within a day: the page's reminder.
    package func upcoming(_ viewer: Identity) async throws -> [Appointment] {
        guard let party = Self.party(viewer) else { return [] }
        return try await booking.upcoming(for: party, withinHours: 24, now: clock.now)
    }

    /// The appointment as a calendar invitation for either side: the
    /// coach's work name and the coachee's nickname, the service's name in
    /// the reader's language, and where to meet (the place, or the thread's
    /// page for a call).
    package func invitation(_ viewer: Identity, appointment id: UUID, language: Language, publicURL: String?) async throws -> Invitation {
        guard let party = Self.party(viewer), let a = try await booking.appointment(id: id, for: party) else {
            throw BookingRefusal.appointmentNotFound
        }
        let info = try await service(a.scope)
        let coachName = try await staff.member(id: a.host)?.workName ?? ""
        let nickname = try await repository.coachee(service: a.scope, member: a.guest)?.nickname ?? ""
        let page = viewer.kind == .staff ? "/coaching/\(info.id.text())/coachees/\(a.guest.text())" : "/my/coaching/\(info.id.text())"
        return Invitation(
            appointment: a, summary: info.names.in(language), description: viewer.kind == .staff ? nickname : coachName,
            hostName: coachName, guestName: nickname, callAddress: (publicURL ?? "") + page, stamp: clock.now)
    }

    /// The other side's page shows the change at once.
    func tellAppointment(_ a: Appointment, to identity: Identity) async {
        await realtime.tell(
            identity,
            .event(
                type: "coaching_appointment", conversation: nil,
                fieldsJSON: #"{"appointment":"\#(a.id.text())","status":"\#(a.status.rawValue)"}"#))
    }
}
