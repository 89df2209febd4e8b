import Foundation
import KohtaamoBase

/// Storage of the needs mapping: questionnaires by network and version,
/// mappings, and goals (their text sealed).
package protocol MappingRepository: Sendable {
    /// The network's newest saved questionnaire, nil when it has saved none.
    func questionnaire(network: UUID) async throws -> Questionnaire?
    func questionnaire(network: UUID, version: Int) async throws -> Questionnaire?
    /// Saves a new version (one more than the newest); the questionnaire as saved.
    func saveQuestionnaire(network: UUID, questions: [MappingQuestion], rules: [ProfileRule], savedBy: UUID, nowMs: Int64) async throws
        -> Questionnaire
    func addMapping(_ mapping: Mapping) async throws
    /// Many mappings at once (sampled activity).
    func addMappings(_ mappings: [Mapping]) async throws
    /// Mappings kept with these organisations made within each of
    /// `ranges`, by organisation, range and client (`MappingCount`).
    func mappingCounts(organisations: [UUID], ranges: [(start: Int64, end: Int64)]) async throws -> [MappingCount]
    /// Oldest first.
    func mappings(member: UUID) async throws -> [Mapping]
    /// Every mapping kept with the organisation, oldest first.
    func mappings(organisation: UUID) async throws -> [Mapping]
    func addGoal(_ goal: MappingGoal) async throws
    /// Oldest first.
    func goals(member: UUID) async throws -> [MappingGoal]
    /// False when the member has no such goal.
    func setGoal(id: UUID, member: UUID, done: Bool, nowMs: Int64) async throws -> Bool
    /// The member's mappings and goals, gone (their erasure).
    func eraseMappings(member: UUID) async throws
}
