import Booking
import Foundation
import Hummingbird
import KohtaamoBase

/// Digital support's appointment pages are Booking's shared ones, as
/// coaching's are: the worker's `/digital/times` (their organisation's
/// digital support) and the client's `/my/digital/times/{organisation}`.
/// These desks say what is digital support's own: the organisation, that
/// a volunteer keeps no times, the clients' nicknames.
struct DigitalTimesController {
    let digital: DigitalService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        HostTimesPages(desk: DigitalHostDesk(digital: digital), views: views, clock: digital.clock)
            .addRoutes(to: router, path: DigitalPaths.hostTimes)
        GuestTimesPages(desk: DigitalGuestDesk(digital: digital), views: views, clock: digital.clock)
            .addRoutes(to: router, path: "/my/digital/times/{organisation}")
    }
}

/// Digital support's refusals as their `AppError`; the booking layer's pass on to the page.
private func digitalRule<T>(_ body: () async throws -> T) async throws -> T { try await DigitalAPIController.refusing(body) }

struct DigitalHostDesk: HostTimesDesk {
    let digital: DigitalService

    /// The worker's own organisation (a volunteer is refused here, before anything is shown).
    func subject(_ context: StaffContext) async throws -> UUID {
        try await digitalRule { try digital.requireHost(context.staff) }
        return context.staff.organisationID
    }

    func base(_ organisation: UUID) -> String { DigitalPaths.hostTimes }
    func call(_ t: [String: String]) -> String { t["digitimes_call"] ?? "" }

    func frame(_ organisation: UUID, _ x: TimesText) -> HostTimesFrame {
        HostTimesFrame(
            crumbs: [TimesCrumb(href: "/digital/sessions", label: x.t["digital_sessions_title"] ?? "")], name: x.t["digitimes_title"] ?? "",
            intro: x.t["digitimes_intro_worker"] ?? "", guestLabel: x.t["digitimes_client"] ?? "", placeHint: x.t["digitimes_place_hint"] ?? "",
            invitations: "/api/digital/appointments")
    }

    func requireHost(_ p: StaffPrincipal, _ organisation: UUID) async throws { try await digitalRule { try digital.requireHost(p) } }
    func slots(_ p: StaffPrincipal, _ organisation: UUID) async throws -> [HostSlot] { try await digitalRule { try await digital.slots(p) } }
    func guestNames(_ p: StaffPrincipal, _ organisation: UUID) async throws -> [UUID: String] {
        try await digitalRule { try await digital.guestNames(p) }
    }
    func patterns(_ p: StaffPrincipal, _ organisation: UUID) async throws -> [WeeklyPattern] {
        try await digitalRule { try await digital.patterns(p) }
    }
    func appointments(_ p: StaffPrincipal, _ organisation: UUID) async throws -> [Appointment] {
        try await digitalRule { try await digital.appointments(p) }
    }
    func addSlot(_ p: StaffPrincipal, _ organisation: UUID, startMs: Int64, minutes: Int, place: String) async throws -> Slot {
        try await digitalRule { try await digital.addSlot(p, startMs: startMs, minutes: minutes, place: place) }
    }
    func addPattern(_ p: StaffPrincipal, _ organisation: UUID, _ pattern: WeeklyPattern) async throws -> WeeklyPattern {
        try await digitalRule { try await digital.addPattern(p, pattern) }
    }
    func deleteSlot(_ p: StaffPrincipal, id: UUID) async throws { try await digitalRule { try await digital.deleteSlot(p, id: id) } }
    func deletePattern(_ p: StaffPrincipal, id: UUID) async throws { try await digitalRule { try await digital.deletePattern(p, id: id) } }
    func cancel(_ p: StaffPrincipal, appointment id: UUID) async throws -> Appointment {
        try await digitalRule { try await digital.cancel(p, appointment: id) }
    }
    func mark(_ p: StaffPrincipal, appointment id: UUID, attended: Bool) async throws -> Appointment {
        try await digitalRule { try await digital.mark(p, appointment: id, attended: attended) }
    }
}

struct DigitalGuestDesk: GuestTimesDesk {
    let digital: DigitalService

    /// The organisation of the path; one that does not exist is not found.
    func subject(_ context: MemberContext) async throws -> UUID {
        let id = try context.pathID("organisation")
        _ = try await digitalRule { try await digital.organisationName(id, language: context.language) }
        return id
    }

    func base(_ organisation: UUID) -> String { DigitalPaths.guestTimes(organisation) }
    func call(_ t: [String: String]) -> String { t["digitimes_call"] ?? "" }

    func frame(_ member: UUID, _ organisation: UUID, _ x: TimesText) async throws -> GuestTimesFrame {
        let name = try await digitalRule { try await digital.organisationName(organisation, language: x.language) }
        return GuestTimesFrame(
            crumbs: [TimesCrumb(href: "/my/digital", label: x.t["digital_my_title"] ?? "")], name: name, hostLabel: x.t["digitimes_where"],
            hostName: name, active: true, endedText: "", changeLimitHours: DigitalService.changeLimitHours,
            freeNone: x.t["digitimes_free_none"] ?? "", tooLate: x.t["digitimes_too_late"] ?? "", callLink: nil, callLinkText: "",
            invitations: "/api/my/digital/appointments")
    }

    func requireGuest(_ member: UUID, _ organisation: UUID) async throws {}
    func freeSlots(_ member: UUID, _ organisation: UUID) async throws -> [Slot] { try await digital.freeSlots(organisation: organisation) }
    func appointments(_ member: UUID, _ organisation: UUID) async throws -> [Appointment] {
        try await digital.appointments(member: member, organisation: organisation)
    }
    func upcoming(_ member: UUID, _ organisation: UUID) async throws -> [Appointment] {
        let soon = digital.clock.nowMs + 24 * 3_600_000
        return try await digital.appointments(of: member, organisation: organisation).filter { $0.startMs <= soon }
    }
    func book(_ member: UUID, _ organisation: UUID, slot: UUID) async throws -> Appointment {
        try await digital.book(member, organisation: organisation, slot: slot)
    }
    func move(_ member: UUID, appointment id: UUID, to slot: UUID) async throws -> Appointment {
        try await digital.move(member, appointment: id, to: slot)
    }
    func cancel(_ member: UUID, appointment id: UUID) async throws { _ = try await digital.cancel(member, appointment: id) }
}
