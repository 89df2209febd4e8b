import Foundation
import KohtaamoBase

/// Contacts not reached by their plan's hour go to the coordinator's list.
/// The sweep runs every minute in the server and before the list is read;
/// the database keeps one escalation per plan and day.
extension ReachoutService {
    /// Escalates every contact of the organisation's last week that was not
    /// reached by its hour; returns how many it added.
    @discardableResult
    package func sweep(organisation: UUID) async throws -> Int {
        let now = clock.nowMs, today = today
        let from = today.adding(days: -(Reachout.lookBackDays - 1))
        let plans = try await repository.plans(organisation: organisation).filter { p in p.endedOn.map { $0 >= from } ?? true }
        guard !plans.isEmpty else { return 0 }
        let reached = Dictionary(
            grouping: try await repository.outcomes(plans: plans.map(\.id), from: from, to: today).filter(\.kind.reachedPerson),
            by: { "\($0.plan)\($0.day)" })
        var escalated = Set(
            try await repository.escalations(organisation: organisation, from: from.adding(days: -62), to: today).map { "\($0.plan)\($0.day)" })
        var added = 0
        var day = from
        while day <= today {
            for plan in plans where plan.isDue(on: day) {
                let at = plan.escalationMs(on: day)
                guard now >= at, plan.createdMs < at, !escalated.contains("\(plan.id)\(day)") else { continue }
                // Reached by the hour: an outcome logged after it does not count.
                if (reached["\(plan.id)\(day)"] ?? []).contains(where: { $0.atMs <= at }) { continue }
                let repeated = plan.previousDueDay(before: day).map { escalated.contains("\(plan.id)\($0)") } ?? false
                let e = Escalation(plan: plan.id, organisation: organisation, day: day, repeated: repeated, createdMs: now)
                if try await repository.addEscalation(e) { added += 1 }
                escalated.insert("\(plan.id)\(day)")
            }
            day = day.adding(days: 1)
        }
        return added
    }

    /// The sweep over every organisation with plans (the server's minute).
    @discardableResult
    package func sweepAll() async throws -> Int {
        var added = 0
        for organisation in try await repository.organisationsWithActivePlans() { added += try await sweep(organisation: organisation) }
        return added
    }

    /// One escalation on the coordinator's list, with its plan and history.
    package struct EscalationItem: Sendable {
        package var escalation: Escalation
        package var plan: ContactPlan
        package var name: String
        /// The plan's latest outcomes, newest first.
        package var history: [ContactOutcome]
    }

    /// The coordinator's list: open escalations (oldest day first), then
    /// those closed in the last week.
    package func escalations(_ p: StaffPrincipal) async throws -> [EscalationItem] {
        try requireCoordinator(p)
        try await sweep(organisation: p.organisationID)
        let since = clock.nowMs - Int64(Reachout.lookBackDays) * 86_400_000
        var out: [EscalationItem] = []
        for e in try await repository.escalations(organisation: p.organisationID, closedSinceMs: since) {
            guard let plan = try await repository.plan(id: e.plan) else { continue }
            out.append(
                EscalationItem(
                    escalation: e, plan: plan, name: try await name(plan),
                    history: try await repository.history(plan: plan.id, limit: Reachout.historyLength)))
        }
        return out.sorted {
            ($0.escalation.isOpen ? 0 : 1, $0.escalation.day, $0.escalation.createdMs) < (
                $1.escalation.isOpen ? 0 : 1, $1.escalation.day, $1.escalation.createdMs
            )
        }
    }

    /// The coordinator closes an escalation with what was done.
    package func close(_ p: StaffPrincipal, escalation id: UUID, note raw: String) async throws -> Escalation {
        try requireCoordinator(p)
        guard let e = try await repository.escalation(id: id), e.organisation == p.organisationID else { throw ReachoutRefusal.notFound }
        let note = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty, note.count <= Reachout.maxNote, Validate.plainText(note) else { throw ReachoutRefusal.badNote }
        guard try await repository.closeEscalation(id: id, closedMs: clock.nowMs, by: p.staffID, note: note) else {
            throw ReachoutRefusal.escalationClosed
        }
        try await audit.record(
            .init(
                at: clock.now, staffID: p.staffID, staffName: p.workName, organisationID: p.organisationID, action: "reachout.escalation_close",
                target: e.plan.text()))
        return try await repository.escalation(id: id) ?? e
    }
}
