import Accounts
import Foundation
import KohtaamoBase
import Reachout

extension Kohtaamo {
    /// The demo's reach-out: three plans of `worker1@demo.invalid` (backup
    /// `worker3`, else the coordinator). Aino by phone every day, due now;
    /// the registered client `yhteydenpito` by chat on Mondays, Wednesdays
    /// and Fridays at 13.00; Matti by phone every day at 10.00 since three
    /// days ago, reached on the first day and not since, so the coordinator
    /// has two escalations, the second in red.
    func fillDemoReachout(organisation: UUID, passwordHash: String, now: Date) async throws {
        let staff = accounts.service.repository
        guard let worker = try await staff.staff(email: "worker1@demo.invalid") else { return }
        var backup = try await staff.staff(email: "worker3@demo.invalid")?.id
        if backup == nil { backup = try await staff.staff(email: "coordinator@demo.invalid")?.id }
        let repository = reachout.service.repository
        let today = HelsinkiDay(now)
        let nowMinute = Helsinki.calendar.component(.hour, from: now) * 60 + Helsinki.calendar.component(.minute, from: now)
        // Due now: at the last full quarter-hour, escalated at 16.00 or an hour later.
        let dueMinute = nowMinute / 15 * 15
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        try await repository.addPlan(
            ContactPlan(
                organisation: organisation, member: nil, label: "Aino, 040 123 4567",
                note: "Asuu yksin. Toivoo soittoa aamupäivällä. Kysy, onko ruokaa kotona.", rhythm: .daily, starts: today, until: nil,
                minute: dueMinute, escalationMinute: min(23 * 60 + 59, max(Reachout.defaultEscalationMinute, dueMinute + 60)), channel: .phone,
                owner: worker.id, backup: backup, createdMs: nowMs - 60_000))
        let (member, _) = try await accounts.members.makeDemoMember(nickname: "yhteydenpito", passwordHash: passwordHash)
        try await repository.addPlan(
            ContactPlan(
                organisation: organisation, member: member, label: "", note: "Kerhon jäsen. Sovittu viestit chatissa.",
                rhythm: .weekdays([1, 3, 5]), starts: today, until: nil, minute: 13 * 60, channel: .chat, owner: worker.id, backup: backup,
                createdMs: nowMs))
        let started = today.adding(days: -3)
        let matti = ContactPlan(
            organisation: organisation, member: nil, label: "Matti, 050 765 4321", note: "Vointi vaihtelee. Soita uudelleen, jos ei vastaa.",
            rhythm: .daily, starts: started, until: nil, minute: 10 * 60, channel: .phone, owner: worker.id, backup: backup,
            createdMs: started.ms(minute: 8 * 60))
        try await repository.addPlan(matti)
        _ = try await repository.addOutcome(
            ContactOutcome(
                plan: matti.id, day: started, kind: .reached, note: "Kuulumiset hyvät. Menee kerholle torstaina.", by: worker.id,
                atMs: started.ms(minute: 10 * 60 + 12)))
        _ = try await repository.addOutcome(
            ContactOutcome(
                plan: matti.id, day: started.adding(days: 1), kind: .noAnswer, by: worker.id, atMs: started.adding(days: 1).ms(minute: 10 * 60 + 5)))
        try await reachout.service.sweep(organisation: organisation)
    }
}
