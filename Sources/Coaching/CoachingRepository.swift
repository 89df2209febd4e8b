import Foundation

/// Storage of coaching: every concern below, as one SQL type implements
/// them (`SQLCoachingRepository`). A part that needs one concern asks for that protocol.
package typealias CoachingRepository = CoachingSetupRepository & CoacheeRepository & CoachingTaskRepository

/// A service's set-up by its coordinator.
package protocol CoachingSetupRepository: Sendable {
    func settings(service: UUID) async throws -> CoachingSettings?
    func saveSettings(_ settings: CoachingSettings) async throws
    /// The services this staff member coaches in.
    func servicesCoached(by staff: UUID) async throws -> [UUID]
}

/// Coachees, coaching groups and the invitations that bring people in.
package protocol CoacheeRepository: Sendable {
    func coachee(service: UUID, member: UUID) async throws -> Coachee?
    /// A coach's coachees in a service (every coach's when `coach` is nil).
    func coachees(service: UUID, coach: UUID?) async throws -> [Coachee]
    /// Every service the member is or was coached in.
    func coachings(member: UUID) async throws -> [Coachee]
    func saveCoachee(_ coachee: Coachee) async throws

    func addInvitation(_ invitation: CoachingInvitation) async throws
    /// Marks a live, unused invitation used and returns it; nil when the
    /// code is unknown, used or expired. Held by the database: a code works once.
    func useInvitation(codeHash: String, nowMs: Int64) async throws -> CoachingInvitation?
    /// A live, unused invitation, left as it is.
    func invitation(codeHash: String, nowMs: Int64) async throws -> CoachingInvitation?

    func group(id: UUID) async throws -> CoachingGroup?
    func groups(service: UUID, coach: UUID?) async throws -> [CoachingGroup]
    func groups(member: UUID) async throws -> [CoachingGroup]
    func saveGroup(_ group: CoachingGroup) async throws
    /// The service a coaching thread (a coachee's or a group's) belongs to.
    func service(ofThread conversation: UUID) async throws -> UUID?

    /// Forgets the member everywhere in coaching (their account is erased).
    func deleteCoachee(member: UUID) async throws
}

/// Tasks (sealed) and the coaches' templates.
package protocol CoachingTaskRepository: Sendable {
    func addTasks(_ tasks: [CoachingTask]) async throws
    func task(id: UUID) async throws -> CoachingTask?
    /// A coachee's tasks in a service, newest first.
    func tasks(service: UUID, coachee: UUID) async throws -> [CoachingTask]
    /// Every task of a member, in every service (their download).
    func tasks(member: UUID) async throws -> [CoachingTask]
    /// Stores the changed task if its status is still `expected`; false when
    /// someone changed it first (the coach's feedback met a new answer).
    func updateTask(_ task: CoachingTask, expected: TaskStatus) async throws -> Bool
    func deleteTasks(member: UUID) async throws
    /// Tasks of these services given, done and missed within each of
    /// `ranges`, counted in the database (`TaskCount`).
    func taskCounts(services: [UUID], ranges: [(start: Int64, end: Int64)], nowMs: Int64) async throws -> [TaskCount]

    func templates(service: UUID, coach: UUID) async throws -> [TaskTemplate]
    func addTemplate(_ template: TaskTemplate) async throws
    /// False when the coach has no such template.
    func deleteTemplate(id: UUID, coach: UUID) async throws -> Bool
}
