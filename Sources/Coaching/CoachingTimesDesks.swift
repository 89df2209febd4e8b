import Booking
import Foundation
import Hummingbird
import KohtaamoBase

/// Coaching's appointment pages are Booking's shared ones (`HostTimesPages`,
/// `GuestTimesPages`): the coach's `/coaching/{service}/times` and the
/// coachee's `/my/coaching/{service}/times`. These desks say what is
/// coaching's own: the service of the path, who is its coach or coachee,
/// the nicknames, the thread where a call begins.
struct CoachingTimesController {
    let coaching: CoachingService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        HostTimesPages(desk: CoachDesk(coaching: coaching), views: views, clock: coaching.clock)
            .addRoutes(to: router, path: "/coaching/{service}/times")
        GuestTimesPages(desk: CoacheeDesk(coaching: coaching), views: views, clock: coaching.clock)
            .addRoutes(to: router, path: "/my/coaching/{service}/times")
    }
}

/// Coaching's refusals as their `AppError`; the booking layer's pass on to the page.
private func coachingRule<T>(_ body: () async throws -> T) async throws -> T { try await CoachingAPIController.refusing(body) }

struct CoachDesk: HostTimesDesk {
    let coaching: CoachingService
    /// The API names the service by its id only; the pages by its slug too.
    var byID = false

    func subject(_ context: StaffContext) async throws -> ServiceInfo {
        guard byID else { return try await CoachingPagesController.serviceInfo(coaching, context) }
        let id = try context.pathID("service")
        return try await coachingRule { try await coaching.service(id) }
    }
    func base(_ info: ServiceInfo) -> String { "/coaching/\(info.slug)/times" }
    func call(_ t: [String: String]) -> String { t["coaching_times_call"] ?? "" }

    func frame(_ info: ServiceInfo, _ x: TimesText) -> HostTimesFrame {
        HostTimesFrame(
            crumbs: [
                TimesCrumb(href: "/coaching", label: x.t["coaching_title"] ?? ""),
                TimesCrumb(href: "/coaching/\(info.slug)", label: info.names.in(x.language)),
            ],
            name: info.names.in(x.language), intro: x.t["coaching_times_intro_coach"] ?? "", guestLabel: x.t["coaching_nickname"] ?? "",
            placeHint: x.t["coaching_times_place_hint"] ?? "", invitations: "/api/coaching/appointments")
    }

    func requireHost(_ p: StaffPrincipal, _ info: ServiceInfo) async throws {
        _ = try await coachingRule { try await coaching.asCoach(p, service: info.id) }
    }
    func slots(_ p: StaffPrincipal, _ info: ServiceInfo) async throws -> [HostSlot] {
        try await coachingRule { try await coaching.slots(p, service: info.id) }
    }

    func guestNames(_ p: StaffPrincipal, _ info: ServiceInfo) async throws -> [UUID: String] {
        try await coachingRule {
            Dictionary(try await coaching.coachees(p, service: info.id).map { ($0.member, $0.nickname) }, uniquingKeysWith: { a, _ in a })
        }
    }

    func patterns(_ p: StaffPrincipal, _ info: ServiceInfo) async throws -> [WeeklyPattern] {
        try await coachingRule { try await coaching.patterns(p, service: info.id) }
    }

    func appointments(_ p: StaffPrincipal, _ info: ServiceInfo) async throws -> [Appointment] {
        try await coachingRule { try await coaching.appointments(.staff(p.staffID), service: info.id) }
    }

    func addSlot(_ p: StaffPrincipal, _ info: ServiceInfo, startMs: Int64, minutes: Int, place: String) async throws -> Slot {
        try await coachingRule { try await coaching.addSlot(p, service: info.id, startMs: startMs, minutes: minutes, place: place) }
    }

    func addPattern(_ p: StaffPrincipal, _ info: ServiceInfo, _ pattern: WeeklyPattern) async throws -> WeeklyPattern {
        try await coachingRule { try await coaching.addPattern(p, service: info.id, pattern) }
    }

    func deleteSlot(_ p: StaffPrincipal, id: UUID) async throws { try await coaching.deleteSlot(p, id: id) }
    func deletePattern(_ p: StaffPrincipal, id: UUID) async throws { try await coaching.deletePattern(p, id: id) }
    func cancel(_ p: StaffPrincipal, appointment id: UUID) async throws -> Appointment {
        try await coachingRule { try await coaching.cancel(.staff(p.staffID), appointment: id) }
    }
    func mark(_ p: StaffPrincipal, appointment id: UUID, attended: Bool) async throws -> Appointment {
        try await coachingRule { try await coaching.mark(p, appointment: id, attended: attended) }
    }
}

struct CoacheeDesk: GuestTimesDesk {
    let coaching: CoachingService
    /// The API names the service by its id only; the pages by its slug too.
    var byID = false

    func subject(_ context: MemberContext) async throws -> ServiceInfo {
        guard byID else { return try await CoachingPagesController.serviceInfo(coaching, context) }
        let id = try context.pathID("service")
        return try await coachingRule { try await coaching.service(id) }
    }
    func base(_ info: ServiceInfo) -> String { "/my/coaching/\(info.slug)/times" }
    func call(_ t: [String: String]) -> String { t["coaching_times_call"] ?? "" }

    func frame(_ member: UUID, _ info: ServiceInfo, _ x: TimesText) async throws -> GuestTimesFrame {
        try await coachingRule {
            let (_, c) = try await coaching.mine(member, service: info.id)
            let coach = try await coaching.staff.member(id: c.coach)?.workName ?? ""
            return GuestTimesFrame(
                crumbs: [
                    TimesCrumb(href: "/my/coaching", label: x.t["coaching_my_title"] ?? ""),
                    TimesCrumb(href: "/my/coaching/\(info.slug)", label: info.names.in(x.language)),
                ],
                name: info.names.in(x.language), hostLabel: x.t["coaching_my_coach"], hostName: coach, active: c.status == .active,
                endedText: x.t["coaching_my_ended"] ?? "", changeLimitHours: try await coaching.settings(info).changeLimitHours,
                freeNone: x.t["coaching_times_free_none"] ?? "", tooLate: x.t["coaching_times_too_late"] ?? "",
                callLink: "/my/coaching/\(info.slug)", callLinkText: x.t["coaching_times_start_call"] ?? "", invitations: "/api/coaching/appointments"
            )
        }
    }

    func requireGuest(_ member: UUID, _ info: ServiceInfo) async throws {
        _ = try await coachingRule { try await coaching.mine(member, service: info.id) }
    }
    func freeSlots(_ member: UUID, _ info: ServiceInfo) async throws -> [Slot] {
        try await coachingRule { try await coaching.freeSlots(member, service: info.id) }
    }
    func appointments(_ member: UUID, _ info: ServiceInfo) async throws -> [Appointment] {
        try await coachingRule { try await coaching.appointments(.client(member), service: info.id) }
    }
    func upcoming(_ member: UUID, _ info: ServiceInfo) async throws -> [Appointment] {
        try await coaching.upcoming(.client(member)).filter { $0.scope == info.id }
    }
    func book(_ member: UUID, _ info: ServiceInfo, slot: UUID) async throws -> Appointment {
        try await coachingRule { try await coaching.book(member, service: info.id, slot: slot) }
    }
    func move(_ member: UUID, appointment id: UUID, to slot: UUID) async throws -> Appointment {
        try await coachingRule { try await coaching.move(member, appointment: id, to: slot) }
    }
    func cancel(_ member: UUID, appointment id: UUID) async throws {
        _ = try await coachingRule { try await coaching.cancel(.client(member), appointment: id) }
    }
}
