import Foundation
import KohtaamoBase

/// Writes plausible reach-out into an organisation's tables: plans of the
/// usual rhythms that start and end within the stretch, most contacts
/// tried (some twice in a day), most tried ones reached, some missed ones
/// escalated. About one plan for every five contacts a service has a day.
package struct ReachoutFigureSampler: FigureSampler {
    let reachout: ReachoutService
    package init(reachout: ReachoutService) { self.reachout = reachout }

    package func sample(_ plan: FigurePlan) async throws -> [FigureLeaf] {
        guard let from = plan.query.periods.first?.first, let to = plan.query.periods.last?.last else { return [] }
        var rng = SplitMix64(seed: plan.seed &+ 0x5EAC_0047)
        let today = HelsinkiDay(ms: plan.nowMs)
        let span = to.days(since: from) + 1
        var counts = FigureCounts()
        for organisation in plan.query.organisations {
            let services = max(1, try await reachout.services.services(organisation: organisation).count)
            var workers = try await reachout.staff.members(organisations: [organisation]).filter { $0.role != .volunteer }.map(\.id)
            if workers.isEmpty { workers = [UUID()] }
            var plans: [ContactPlan] = []
            for i in 0..<max(1, Int((plan.perDay * Double(services) / 5).rounded())) {
                let starts = from.adding(days: Int(rng.unit() * Double(span) * 0.7))
                let length = 30 + Int(rng.unit() * Double(span))
                let rhythm = rng.pick([Rhythm.daily, .weekdays([1, 3, 5]), .weekdays([2, 4]), .everyDays(3)])
                let minute = 8 * 60 + 15 * Int(rng.next() % 32)
                plans.append(
                    ContactPlan(
                        organisation: organisation, member: nil, label: "Esimerkki \(i + 1)", note: "", rhythm: rhythm, starts: starts,
                        until: rng.chance(0.3) ? starts.adding(days: length) : nil, minute: minute,
                        escalationMinute: max(Reachout.defaultEscalationMinute, minute + 60), channel: .phone, owner: rng.pick(workers),
                        backup: nil, skipHolidays: rng.chance(0.5), endedOn: rng.chance(0.2) ? starts.adding(days: length / 2) : nil,
                        createdMs: starts.adding(days: -1).ms(minute: 12 * 60)))
            }
            var outcomes: [ContactOutcome] = []
            var escalations: [Escalation] = []
            var day = from
            while day <= min(to, today) {
                for p in plans where p.isDue(on: day) {
                    let due = p.dueMs(on: day)
                    var reached = false
                    if rng.chance(0.85) {
                        if rng.chance(0.2) {
                            outcomes.append(ContactOutcome(plan: p.id, day: day, kind: rng.pick([.noAnswer, .leftMessage]), by: p.owner, atMs: due))
                        }
                        let kind = rng.pick([OutcomeKind.reached, .reached, .reached, .reached, .noAnswer, .leftMessage])
                        outcomes.append(ContactOutcome(plan: p.id, day: day, kind: kind, by: p.owner, atMs: due + 30 * 60_000))
                        reached = kind.reachedPerson
                    }
                    if !reached, day < today, rng.chance(0.6) {
                        escalations.append(
                            Escalation(plan: p.id, organisation: organisation, day: day, repeated: false, createdMs: p.escalationMs(on: day)))
                    }
                }
                day = day.adding(days: 1)
            }
            for p in plans { try await reachout.repository.addPlan(p) }
            try await reachout.repository.addOutcomes(outcomes)
            try await reachout.repository.addEscalations(escalations)
            let days = ContactTally.days(
                plans: plans, marks: outcomes.map { OutcomeMark(plan: $0.plan, day: $0.day, reached: $0.kind.reachedPerson) },
                escalations: escalations.map(\.day), from: from, to: to, today: today)
            ReachoutFigures.add(days, organisation: organisation, query: plan.query, to: &counts)
        }
        return counts.leaves
    }
}
