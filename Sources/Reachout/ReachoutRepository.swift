import Foundation
import KohtaamoBase

/// Storage of reach-out: every concern below, as one SQL type implements
/// them (`SQLReachoutRepository`); the tests have a memory twin that passes
/// the same rule tests.
package typealias ReachoutRepository = ContactPlanRepository & OutcomeRepository & AbsenceRepository & EscalationRepository

/// Plans (the label and the note sealed).
package protocol ContactPlanRepository: Sendable {
    func plan(id: UUID) async throws -> ContactPlan?
    /// Every plan of an organisation, ended ones too.
    func plans(organisation: UUID) async throws -> [ContactPlan]
    /// Every plan about a registered client, in any organisation.
    func plans(member: UUID) async throws -> [ContactPlan]
    /// Every organisation with a plan that has not ended (the escalation sweep).
    func organisationsWithActivePlans() async throws -> [UUID]
    func addPlan(_ plan: ContactPlan) async throws
    func savePlan(_ plan: ContactPlan) async throws
    /// The registered client is erased: their plans end on `day`, lose the
    /// link, the label, the note and the chat; the outcomes lose their notes. Counts stay.
    func forget(member: UUID, endedOn day: HelsinkiDay) async throws
}

/// Outcomes (the note sealed).
package protocol OutcomeRepository: Sendable {
    /// Stores the outcome unless one with its id is there already (a client
    /// that retries); returns what is stored under the id.
    func addOutcome(_ outcome: ContactOutcome) async throws -> ContactOutcome
    /// The outcomes of these plans for days `from`…`to`, oldest first.
    func outcomes(plans: [UUID], from: HelsinkiDay, to: HelsinkiDay) async throws -> [ContactOutcome]
    /// Each plan's latest outcome of a day before `day` ("what happened last time").
    func latestOutcomes(plans: [UUID], before day: HelsinkiDay) async throws -> [UUID: ContactOutcome]
    /// A plan's latest outcomes, newest first.
    func history(plan: UUID, limit: Int) async throws -> [ContactOutcome]
    /// One mark a plan and day with an outcome of days `from`…`to`, no
    /// note opened (the figures of a year read thousands).
    func outcomeMarks(plans: [UUID], from: HelsinkiDay, to: HelsinkiDay) async throws -> [OutcomeMark]
    /// Many outcomes at once (a sampled stretch of activity), ids new.
    func addOutcomes(_ outcomes: [ContactOutcome]) async throws
}

extension OutcomeRepository {
    package func outcomeMarks(plans: [UUID], from: HelsinkiDay, to: HelsinkiDay) async throws -> [OutcomeMark] {
        try await outcomes(plans: plans, from: from, to: to).map { OutcomeMark(plan: $0.plan, day: $0.day, reached: $0.kind.reachedPerson) }
    }
    package func addOutcomes(_ outcomes: [ContactOutcome]) async throws { for o in outcomes { _ = try await addOutcome(o) } }
}

package protocol AbsenceRepository: Sendable {
    func addAbsence(_ absence: Absence) async throws
    /// The organisation's absences that touch `from`…`to`.
    func absences(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [Absence]
    /// False when the organisation has no such absence.
    func deleteAbsence(id: UUID, organisation: UUID) async throws -> Bool
}

/// Escalations (the closing note sealed). One per plan and day, held by the database.
package protocol EscalationRepository: Sendable {
    /// Stores it unless the plan has one for the day already; true when stored.
    func addEscalation(_ escalation: Escalation) async throws -> Bool
    func escalation(id: UUID) async throws -> Escalation?
    /// The organisation's escalations: the open ones, and those closed since `closedSinceMs`.
    func escalations(organisation: UUID, closedSinceMs: Int64) async throws -> [Escalation]
    /// The organisation's escalations of days `from`…`to` (the weekly figures).
    func escalations(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [Escalation]
    /// Closes an open escalation; false when it is closed already.
    func closeEscalation(id: UUID, closedMs: Int64, by: UUID, note: String) async throws -> Bool
    /// The day of each of the organisation's escalations of `from`…`to`, no note opened.
    func escalationDays(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [HelsinkiDay]
    /// Many escalations at once (a sampled stretch of activity), ids new.
    func addEscalations(_ escalations: [Escalation]) async throws
}

extension EscalationRepository {
    package func escalationDays(organisation: UUID, from: HelsinkiDay, to: HelsinkiDay) async throws -> [HelsinkiDay] {
        try await escalations(organisation: organisation, from: from, to: to).map(\.day)
    }
    package func addEscalations(_ escalations: [Escalation]) async throws { for e in escalations { _ = try await addEscalation(e) } }
}
