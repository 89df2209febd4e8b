import Accounts
import Booking
import Coaching
import Foundation
import KohtaamoBase
import Networks

extension Kohtaamo {
    /// The demo's coaching: the service `valmennus` of the first
    /// organisation, `worker1@demo.invalid` its coach, the registered client
    /// `valmennettava` their coachee with one task to answer and a free
    /// time to book (tomorrow at 10.00, Helsinki time).
    func fillDemoCoaching(organisation: UUID, passwordHash: String, now: Date) async throws {
        let record = ServiceRecord(
            id: UUID(), organisationID: organisation, slug: "valmennus", kind: .coaching,
            names: .init(fi: "Nuorten valmennus", sv: "Coachning för unga", en: "Coaching for young adults"),
            descriptions: .init(
                fi: "Valmentaja auttaa sinua arjessa ja opiskelussa. Tapaatte verkossa.",
                sv: "En coach hjälper dig i vardagen och med studierna. Ni träffas på nätet.",
                en: "A coach helps you with everyday life and studies. You meet online."),
            languages: ["fi", "sv", "en"], isPublic: false, sharedWith: [])
        _ = try await network.repository.saveService(record, at: now)
        guard let coach = try await accounts.service.repository.staff(email: "worker1@demo.invalid") else { return }
        var settings = CoachingSettings.defaults(service: record.id)
        settings.coaches = [coach.id]
        try await coaching.service.repository.saveSettings(settings)
        let (member, _) = try await accounts.members.makeDemoMember(nickname: "valmennettava", passwordHash: passwordHash)
        let principal = StaffPrincipal(
            staffID: coach.id, sessionID: UUID(), email: coach.email, role: coach.role, organisationID: organisation,
            networkID: UUID(), workName: coach.workName)
        let invitation = try await coaching.service.invite(principal, service: record.id, group: nil)
        _ = try await coaching.service.join(MemberPrincipal(memberID: member, sessionID: UUID(), nickname: "valmennettava"), code: invitation.code)
        _ = try await coaching.service.give(
            principal, service: record.id, to: .coachee(member),
            content: TaskContent(
                title: "Viikon suunnitelma", instructions: "Kirjoita kolme asiaa, jotka haluat tehdä tällä viikolla.", answerKind: .text,
                checklist: [], material: ""),
            dueMs: coaching.service.clock.nowMs + 7 * 86_400_000)
        let tomorrow = BookingDay(now).adding(days: 1)
        _ = try await coaching.service.addSlot(principal, service: record.id, startMs: tomorrow.ms(minute: 10 * 60), minutes: 45, place: "")
    }
}
