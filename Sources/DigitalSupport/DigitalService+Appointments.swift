import Booking
import Foundation
import KohtaamoBase

/// Appointments of individual digital coaching, through the Booking layer
/// (the same rules as coaching's: free times one by one and weekly, the
/// race for the last time, the limit for changes, invitations).
///
/// The scope is a name-based UUID of the organisation (`scope(of:)`):
/// digital support has no service row of its own, the organisation is
/// what clients book with, and a derived id keeps its appointments apart
/// from any coaching service of the same organisation and from other
/// organisations, the same on every server, without a table to keep.
///
/// A worker or coordinator of the organisation is a host (a volunteer is
/// not: the lists hold clients' names); any registered client may book.
extension DigitalService {
    /// The namespace-free name; the organisation's id is the namespace.
    static let scopeName = "kohtaamo:digital-support:appointments"

    /// The booking scope of an organisation's digital support.
    package static func scope(of organisation: UUID) -> UUID { UUID(name: scopeName, in: organisation) }

    /// How long before the start a client may still move or cancel.
    package static var changeLimitHours: Int { Booking.defaultChangeLimitHours }

    // MARK: the worker

    /// A worker of the organisation (a volunteer is refused); answers the scope.
    @discardableResult
    package func requireHost(_ p: StaffPrincipal) throws -> UUID {
        try requireWorker(p)
        return Self.scope(of: p.organisationID)
    }

    /// The worker's own times in their organisation's digital support, four weeks back and the patterns' weeks ahead.
    package func slots(_ p: StaffPrincipal) async throws -> [HostSlot] {
        let scope = try requireHost(p)
        let from = clock.nowMs - 28 * 86_400_000
        return try await booking.hostSlots(host: p.staffID, fromMs: from, days: 28 + Booking.patternWeeks * 7, now: clock.now)
            .filter { $0.slot.scope == scope }
    }

    package func addSlot(_ p: StaffPrincipal, startMs: Int64, minutes: Int, place: String) async throws -> Slot {
        let scope = try requireHost(p)
        return try await booking.addSlot(scope: scope, host: p.staffID, startMs: startMs, minutes: minutes, place: place, now: clock.now)
    }

    package func addPattern(_ p: StaffPrincipal, _ pattern: WeeklyPattern) async throws -> WeeklyPattern {
        let scope = try requireHost(p)
        var made = pattern
        (made.id, made.scope, made.host) = (UUID(), scope, p.staffID)
        return try await booking.savePattern(made, now: clock.now)
    }

    package func patterns(_ p: StaffPrincipal) async throws -> [WeeklyPattern] {
        let scope = try requireHost(p)
        return try await booking.patterns(host: p.staffID).filter { $0.scope == scope }
    }

    /// Only the worker's own, of digital support (not their coaching times).
    package func deleteSlot(_ p: StaffPrincipal, id: UUID) async throws {
        let scope = try requireHost(p)
        guard try await booking.slot(id: id)?.scope == scope else { throw BookingRefusal.slotNotFound }
        try await booking.deleteSlot(id: id, host: p.staffID)
    }

    package func deletePattern(_ p: StaffPrincipal, id: UUID) async throws {
        let scope = try requireHost(p)
        guard try await patterns(p).contains(where: { $0.id == id && $0.scope == scope }) else { throw BookingRefusal.slotNotFound }
        try await booking.deletePattern(id: id, host: p.staffID, now: clock.now)
    }

    /// The worker's appointments of digital support, four weeks back and a year ahead.
    package func appointments(_ p: StaffPrincipal) async throws -> [Appointment] {
        let scope = try requireHost(p)
        let now = clock.nowMs
        return try await booking.appointments(host: p.staffID, fromMs: now - 28 * 86_400_000, toMs: now + 366 * 86_400_000)
            .filter { $0.scope == scope }
    }

    /// The worker's own appointment of digital support, or not found.
    func hosted(_ p: StaffPrincipal, _ id: UUID) async throws -> Appointment {
        let scope = try requireHost(p)
        guard let a = try await booking.appointment(id: id, for: .host(p.staffID)), a.scope == scope else {
            throw BookingRefusal.appointmentNotFound
        }
        return a
    }

    /// The worker cancels at any time.
    package func cancel(_ p: StaffPrincipal, appointment id: UUID) async throws -> Appointment {
        _ = try await hosted(p, id)
        return try await booking.cancel(appointment: id, by: .host(p.staffID), changeLimitHours: Self.changeLimitHours, now: clock.now)
    }

    /// Came or did not come, once the time has begun.
    package func mark(_ p: StaffPrincipal, appointment id: UUID, attended: Bool) async throws -> Appointment {
        _ = try await hosted(p, id)
        return try await booking.mark(appointment: id, as: attended ? .attended : .noShow, by: p.staffID, now: clock.now)
    }

    /// The nicknames of the worker's clients of digital support.
    package func guestNames(_ p: StaffPrincipal) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for guest in Set(try await appointments(p).map(\.guest)) { names[guest] = try await members.nickname(member: guest) ?? "" }
        return names
    }

    // MARK: the client

    /// The organisation's name, or not found (an organisation that does not exist has no times).
    package func organisationName(_ organisation: UUID, language: Language) async throws -> String {
        guard let name = try await services.organisationName(organisation, language: language) else { throw DigitalRefusal.notFound }
        return name
    }

    /// The free times of every worker of the organisation's digital support.
    package func freeSlots(organisation: UUID) async throws -> [Slot] {
        try await booking.freeSlots(scope: Self.scope(of: organisation), host: nil, now: clock.now)
    }

    package func book(_ member: UUID, organisation: UUID, slot: UUID) async throws -> Appointment {
        let scope = Self.scope(of: organisation)
        guard let s = try await booking.slot(id: slot), s.scope == scope else { throw BookingRefusal.slotNotFound }
        return try await booking.book(slot: slot, guest: member, scope: scope, now: clock.now)
    }

    /// The client's own appointment of digital support (not a coaching one: its rules are the service's), or not found.
    func guestOf(_ member: UUID, _ id: UUID) async throws -> Appointment {
        guard let a = try await booking.appointment(id: id, for: .guest(member)), try await organisation(ofScope: a.scope, host: a.host) != nil
        else { throw BookingRefusal.appointmentNotFound }
        return a
    }

    /// To another free time of the same organisation, until the limit.
    package func move(_ member: UUID, appointment id: UUID, to slot: UUID) async throws -> Appointment {
        let current = try await guestOf(member, id)
        guard let target = try await booking.slot(id: slot), target.scope == current.scope else { throw BookingRefusal.slotNotFound }
        return try await booking.move(appointment: id, to: slot, by: member, changeLimitHours: Self.changeLimitHours, now: clock.now)
    }

    package func cancel(_ member: UUID, appointment id: UUID) async throws -> Appointment {
        _ = try await guestOf(member, id)
        return try await booking.cancel(appointment: id, by: .guest(member), changeLimitHours: Self.changeLimitHours, now: clock.now)
    }

    /// An appointment as the API answers it: of its organisation, booked by a client.
    func json(_ a: Appointment) async throws -> AppointmentJSON {
        AppointmentJSON(a, of: ("organisation", try await organisation(ofScope: a.scope, host: a.host) ?? a.scope), guestKey: "client")
    }

    /// Every digital appointment of the client with the organisation, soonest first.
    package func appointments(member: UUID, organisation: UUID) async throws -> [Appointment] {
        let scope = Self.scope(of: organisation)
        return try await booking.appointments(guest: member).filter { $0.scope == scope }.sorted { $0.startMs < $1.startMs }
    }

    /// The client's upcoming booked digital appointments with the organisation
    /// (not ended), soonest first: for `/my/digital` and a digital buddy's page.
    package func appointments(of member: UUID, organisation: UUID) async throws -> [Appointment] {
        let now = clock.nowMs
        return try await appointments(member: member, organisation: organisation).filter { $0.status == .booked && $0.endMs > now }
    }

    /// The client's digital appointments with any organisation (coaching's are not digital support's).
    package func digitalAppointments(member: UUID) async throws -> [(organisation: UUID, appointment: Appointment)] {
        var out: [(UUID, Appointment)] = []
        for a in try await booking.appointments(guest: member) {
            if let organisation = try await organisation(ofScope: a.scope, host: a.host) { out.append((organisation, a)) }
        }
        return out
    }

    /// The organisation whose digital scope this is: the host's organisation, when the scope is its digital one.
    func organisation(ofScope scope: UUID, host: UUID) async throws -> UUID? {
        guard let o = try await staff.member(id: host)?.organisationID, Self.scope(of: o) == scope else { return nil }
        return o
    }

    /// The appointment as a calendar invitation: the organisation's digital
    /// support in the reader's language, the worker's work name and the
    /// client's nickname, the place (or the client's page for a call).
    package func invitation(_ party: BookingParty, appointment id: UUID, language: Language, t: [String: String], publicURL: String?)
        async throws -> Invitation
    {
        let isHost: Bool
        if case .host = party { isHost = true } else { isHost = false }
        guard let a = try await booking.appointment(id: id, for: party), let organisation = try await organisation(ofScope: a.scope, host: a.host)
        else { throw BookingRefusal.appointmentNotFound }
        let worker = try await staff.member(id: a.host)?.workName ?? ""
        let nickname = try await members.nickname(member: a.guest) ?? ""
        let name = try await services.organisationName(organisation, language: language) ?? ""
        let summary = (t["digitimes_invitation_summary"] ?? "{organisation}").replacingOccurrences(of: "{organisation}", with: name)
        let page = isHost ? DigitalPaths.hostTimes : DigitalPaths.guestTimes(organisation)
        return Invitation(
            appointment: a, summary: summary, description: isHost ? nickname : worker, hostName: worker, guestName: nickname,
            callAddress: (publicURL ?? "") + page, stamp: clock.now)
    }
}
