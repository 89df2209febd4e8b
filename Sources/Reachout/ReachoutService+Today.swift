import Foundation
import KohtaamoBase

/// Today's list and the outcomes logged from it.
extension ReachoutService {
    /// Every contact of the organisation planned on these days, by day,
    /// each with who makes it (the backup while the owner is away).
    package func contacts(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [HelsinkiDay: [DueContact]] {
        let plans = try await repository.plans(organisation: organisation).filter { p in (p.endedOn.map { $0 >= from } ?? true) && p.starts <= to }
        let absences = try await repository.absences(organisation: organisation, from: from, to: to)
        let byPlan = Dictionary(grouping: try await repository.outcomes(plans: plans.map(\.id), from: from, to: to), by: \.plan)
        // "Last time" before the range may be weeks back (a plan of every N days).
        let before = try await repository.latestOutcomes(plans: plans.map(\.id), before: from)
        let escalated = Set(try await repository.escalations(organisation: organisation, from: from, to: to).map { "\($0.plan)\($0.day)" })
        var out: [HelsinkiDay: [DueContact]] = [:]
        var day = from
        while day <= to {
            let d = day
            let away = Set(absences.filter { $0.covers(d) }.map(\.staff))
            out[d] = plans.filter { $0.isDue(on: d) }.map { plan in
                let (worker, covering) = plan.responsible(on: d, away: away.contains)
                let mine = byPlan[plan.id] ?? []
                return DueContact(
                    plan: plan, day: d, dueMs: plan.dueMs(on: d), worker: worker, covering: covering, outcomes: mine.filter { $0.day == d },
                    last: mine.filter { $0.day < d }.max { $0.atMs < $1.atMs } ?? before[plan.id], escalated: escalated.contains("\(plan.id)\(d)"))
            }.sorted { $0.dueMs < $1.dueMs }
            day = day.adding(days: 1)
        }
        return out
    }

    /// Whom this worker contacts on the day (today unless given): their own
    /// plans, and those of colleagues away with them as backup, by time.
    package func list(_ p: StaffPrincipal, day: HelsinkiDay? = nil) async throws -> [DueContact] {
        try requireWorker(p)
        let d = day ?? today
        return try await contacts(organisation: p.organisationID, from: d, to: d)[d, default: []].filter { $0.worker == p.staffID }
    }

    /// What a worker logs: the outcome, for the plan's day (today unless
    /// given), with a referral card for `referral` and an optional note. An
    /// `id` makes a retry harmless.
    package struct OutcomeInput: Sendable {
        package var id: UUID?
        package var day: String = ""
        package var kind: String = ""
        package var referral: UUID?
        package var note: String = ""
        package init(id: UUID? = nil, day: String = "", kind: String, referral: UUID? = nil, note: String = "") {
            (self.id, self.day, self.kind, self.referral, self.note) = (id, day, kind, referral, note)
        }
    }

    package func log(_ p: StaffPrincipal, plan id: UUID, _ input: OutcomeInput) async throws -> ContactOutcome {
        var plan = try await plan(p, id: id)
        guard let kind = OutcomeKind(rawValue: input.kind) else { throw ReachoutRefusal.badOutcome }
        let day: HelsinkiDay
        if input.day.isEmpty {
            day = today
        } else {
            guard let d = HelsinkiDay(input.day) else { throw ReachoutRefusal.badDay }
            day = d
        }
        guard day <= today, day >= today.adding(days: -Reachout.lookBackDays), day >= plan.starts else { throw ReachoutRefusal.badDay }
        if let ended = plan.endedOn, day > ended { throw ReachoutRefusal.planEnded }
        let note = input.note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= Reachout.maxNote, Validate.plainText(note) else { throw ReachoutRefusal.badNote }
        var referral: UUID?
        if kind == .referral {
            guard let card = input.referral, try await referralCards(p).contains(where: { $0.id == card }) else { throw ReachoutRefusal.badReferral }
            referral = card
        }
        let outcome = ContactOutcome(
            id: input.id ?? UUID(), plan: plan.id, day: day, kind: kind, referral: referral, note: note, by: p.staffID, atMs: clock.nowMs)
        let stored = try await repository.addOutcome(outcome)
        // A retry comes back as what was stored; an id of another plan's outcome is refused.
        guard stored.plan == plan.id else { throw ReachoutRefusal.badOutcome }
        if stored.kind == .declined, plan.isActive, stored.day >= plan.starts {
            plan.endedOn = stored.day
            try await repository.savePlan(plan)
        }
        return stored
    }

    /// The referral cards of the organisation's services (where else to turn).
    package func referralCards(_ p: StaffPrincipal) async throws -> [TextCard] {
        var out: [TextCard] = []
        for s in try await services.services(organisation: p.organisationID) { out += try await services.referrals(service: s.id) }
        return out
    }

    /// A plan's latest outcomes, newest first.
    package func history(_ p: StaffPrincipal, plan id: UUID) async throws -> [ContactOutcome] {
        let plan = try await plan(p, id: id)
        return try await repository.history(plan: plan.id, limit: Reachout.historyLength)
    }
}
