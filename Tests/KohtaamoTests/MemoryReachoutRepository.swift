import Foundation
import NIOConcurrencyHelpers

@testable import KohtaamoBase
@testable import Reachout

/// Reach-out's storage in memory: the same contract as
/// `SQLReachoutRepository` (a retried outcome stored once, one escalation per
/// plan and day, a closed escalation stays closed), so that the rule tests
/// run on it and on both databases.
final class MemoryReachoutRepository: ReachoutRepository, Sendable {
    private struct State {
        var plans: [UUID: ContactPlan] = [:]
        var outcomes: [UUID: ContactOutcome] = [:]
        var absences: [UUID: Absence] = [:]
        var escalations: [UUID: Escalation] = [:]
    }
    private let state = NIOLockedValueBox(State())

    func plan(id: UUID) async throws -> ContactPlan? { state.withLockedValue { $0.plans[id] } }
    func plans(organisation: UUID) async throws -> [ContactPlan] {
        state.withLockedValue { $0.plans.values.filter { $0.organisation == organisation }.sorted { $0.createdMs < $1.createdMs } }
    }
    func plans(member: UUID) async throws -> [ContactPlan] {
        state.withLockedValue { $0.plans.values.filter { $0.member == member }.sorted { $0.createdMs < $1.createdMs } }
    }
    func organisationsWithActivePlans() async throws -> [UUID] {
        state.withLockedValue { Array(Set($0.plans.values.filter(\.isActive).map(\.organisation))) }
    }
    func addPlan(_ plan: ContactPlan) async throws { state.withLockedValue { $0.plans[plan.id] = plan } }
    func savePlan(_ plan: ContactPlan) async throws { state.withLockedValue { $0.plans[plan.id] = plan } }
    func forget(member: UUID, endedOn day: HelsinkiDay) async throws {
        state.withLockedValue { s in
            for var p in s.plans.values where p.member == member {
                (p.member, p.label, p.note, p.conversation) = (nil, "", "", nil)
                if p.endedOn == nil { p.endedOn = day }
                s.plans[p.id] = p
                for var o in s.outcomes.values where o.plan == p.id {
                    o.note = ""
                    s.outcomes[o.id] = o
                }
            }
        }
    }

    func addOutcome(_ outcome: ContactOutcome) async throws -> ContactOutcome {
        state.withLockedValue { s in
            if let stored = s.outcomes[outcome.id] { return stored }
            s.outcomes[outcome.id] = outcome
            return outcome
        }
    }
    func outcomes(plans: [UUID], from: HelsinkiDay, to: HelsinkiDay) async throws -> [ContactOutcome] {
        let wanted = Set(plans)
        return state.withLockedValue { s in
            s.outcomes.values.filter { wanted.contains($0.plan) && $0.day >= from && $0.day <= to }.sorted { $0.atMs < $1.atMs }
        }
    }
    func latestOutcomes(plans: [UUID], before day: HelsinkiDay) async throws -> [UUID: ContactOutcome] {
        let wanted = Set(plans)
        return state.withLockedValue { s in
            var out: [UUID: ContactOutcome] = [:]
            for o in s.outcomes.values where wanted.contains(o.plan) && o.day < day {
                if let kept = out[o.plan], (kept.atMs, kept.id.uuidString) >= (o.atMs, o.id.uuidString) { continue }
                out[o.plan] = o
            }
            return out
        }
    }
    func history(plan: UUID, limit: Int) async throws -> [ContactOutcome] {
        state.withLockedValue { s in Array(s.outcomes.values.filter { $0.plan == plan }.sorted { $0.atMs > $1.atMs }.prefix(limit)) }
    }

    func addAbsence(_ absence: Absence) async throws { state.withLockedValue { $0.absences[absence.id] = absence } }
    func absences(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [Absence] {
        state.withLockedValue { s in
            s.absences.values.filter { $0.organisation == organisation && $0.to >= from && $0.from <= to }.sorted { $0.from < $1.from }
        }
    }
    func deleteAbsence(id: UUID, organisation: UUID) async throws -> Bool {
        state.withLockedValue { s in
            guard s.absences[id]?.organisation == organisation else { return false }
            s.absences[id] = nil
            return true
        }
    }

    func addEscalation(_ escalation: Escalation) async throws -> Bool {
        state.withLockedValue { s in
            guard !s.escalations.values.contains(where: { $0.plan == escalation.plan && $0.day == escalation.day }) else { return false }
            s.escalations[escalation.id] = escalation
            return true
        }
    }
    func escalation(id: UUID) async throws -> Escalation? { state.withLockedValue { $0.escalations[id] } }
    func escalations(organisation: UUID, closedSinceMs: Int64) async throws -> [Escalation] {
        state.withLockedValue { s in
            s.escalations.values.filter { $0.organisation == organisation && ($0.closedMs.map { $0 >= closedSinceMs } ?? true) }
                .sorted { ($0.day, $0.createdMs) < ($1.day, $1.createdMs) }
        }
    }
    func escalations(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [Escalation] {
        state.withLockedValue { s in
            s.escalations.values.filter { $0.organisation == organisation && $0.day >= from && $0.day <= to }.sorted { $0.day < $1.day }
        }
    }
    func closeEscalation(id: UUID, closedMs: Int64, by: UUID, note: String) async throws -> Bool {
        state.withLockedValue { s in
            guard var e = s.escalations[id], e.isOpen else { return false }
            (e.closedMs, e.closedBy, e.closingNote) = (closedMs, by, note)
            s.escalations[id] = e
            return true
        }
    }
}
