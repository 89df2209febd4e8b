import Foundation
import KohtaamoBase

/// Storage of the buddy course, its takers' progress and the buddies'
/// clients, as `SQLBuddyRepository` implements it.
package protocol BuddyRepository: Sendable {
    /// The network's modules in order.
    func modules(network: UUID) async throws -> [BuddyModule]
    func module(id: UUID) async throws -> BuddyModule?
    /// The course as given, in one transaction: these modules (in this
    /// order), every other module of the network gone with its progress.
    func saveCourse(network: UUID, _ modules: [BuddyModule]) async throws

    func progress(staff: UUID) async throws -> [BuddyProgress]
    /// Counts a try; a passed one records the time and the version passed.
    func recordAttempt(staff: UUID, module: UUID, passed: Bool, version: Int, nowMs: Int64) async throws
    func training(staff: UUID) async throws -> BuddyTraining?
    /// Several staff at once (a list of buddies).
    func trainings(staff: [UUID]) async throws -> [UUID: BuddyTraining]
    /// Records the completed course once; a later call changes nothing.
    func markTrained(_ training: BuddyTraining) async throws

    /// Adds it unless the buddy has the client already; the one stored.
    func assign(_ assignment: BuddyAssignment) async throws -> BuddyAssignment
    func assignment(id: UUID) async throws -> BuddyAssignment?
    func unassign(id: UUID) async throws -> Bool
    func assignments(buddy: UUID) async throws -> [BuddyAssignment]
    func assignments(organisation: UUID) async throws -> [BuddyAssignment]
    func assignments(member: UUID) async throws -> [BuddyAssignment]
}
