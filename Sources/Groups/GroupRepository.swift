import Foundation

/// Storage of groups' settings, members, reports and invitations: every
/// concern below, as one SQL type implements them (`SQLGroupRepository`).
/// A part of the feature that needs one concern asks for that protocol.
package typealias GroupRepository = GroupSettingsRepository & GroupStaffRepository & GroupMembershipRepository & GroupAdmissionRepository
    & GroupModerationRepository & GroupQuestionRepository & GroupCalendarRepository & GroupRetentionRepository

package protocol GroupSettingsRepository: Sendable {
    func settings(service: UUID) async throws -> GroupSettings?
    func allSettings() async throws -> [GroupSettings]
    func saveSettings(_ settings: GroupSettings) async throws
    /// Stores the settings unless the group has some: returns what is stored.
    func createSettings(_ settings: GroupSettings) async throws -> GroupSettings
    /// Opens or closes the group's room as `open` decides from the settings
    /// stored now, in one transaction with the room's row locked, so a
    /// decision on settings read earlier cannot undo a later one. `open`
    /// runs in the lock: it decides at once (tests hold it to play another node).
    /// Nil: no such group or room.
    func applyRoom(service: UUID, open: @escaping @Sendable (GroupSettings) async -> Bool) async throws -> RoomState?
}

/// A group's room after `GroupSettingsRepository.applyRoom`.
package struct RoomState: Sendable, Equatable {
    package var conversation: UUID
    package var open: Bool
    package var changed: Bool
}

/// Staff with a part in a group besides its organisation's.
package protocol GroupStaffRepository: Sendable {
    /// Staff invited to a working group.
    func invitedStaff(service: UUID) async throws -> Set<UUID>
    func setInvitedStaff(service: UUID, _ staff: Set<UUID>) async throws

    /// A group's facilitators (staff ids): they moderate it, volunteers too.
    func facilitators(service: UUID) async throws -> Set<UUID>
    func setFacilitators(service: UUID, _ staff: Set<UUID>) async throws
}

/// Members, with their nickname, the rules they accepted, mutes and bans.
package protocol GroupMembershipRepository: Sendable {
    func member(service: UUID, member: UUID) async throws -> GroupMember?
    func members(service: UUID) async throws -> [GroupMember]
    /// Every group the member is or was in.
    func memberships(member: UUID) async throws -> [GroupMember]
    /// Adds or changes a member; false when another member has the nickname.
    func saveMember(_ member: GroupMember) async throws -> Bool
    /// Forgets the member in every group (their account is erased).
    func deleteMember(member: UUID) async throws
}

/// Who gets in: applications and invitation links.
package protocol GroupAdmissionRepository: Sendable {
    /// Stores a new or changed application (sealed).
    func saveApplication(_ application: GroupApplication) async throws
    func application(id: UUID) async throws -> GroupApplication?
    /// A group's applications, newest first; `open`: waiting or in interview.
    func applications(service: UUID, open: Bool) async throws -> [GroupApplication]
    func applications(member: UUID) async throws -> [GroupApplication]
    func deleteApplications(member: UUID) async throws

    func addInvitation(_ invitation: GroupInvitation) async throws
    /// The invitation's group if the code is live.
    func invitation(codeHash: String, nowMs: Int64) async throws -> GroupInvitation?
}

/// Members' reports of messages.
package protocol GroupModerationRepository: Sendable {
    func addReport(_ report: GroupReport) async throws
    func reports(service: UUID, open: Bool) async throws -> [GroupReport]
    func reports(reporter: UUID) async throws -> [GroupReport]
    /// The reports of these messages are handled (at `at`, ms): a moderator
    /// removed the message, or retention erased it.
    func handleReports(service: UUID, seqs: [Int64], at: Int64) async throws
    func deleteReports(reporter: UUID) async throws
}

/// A Q&A group's questions and answers.
package protocol GroupQuestionRepository: Sendable {
    /// A Q&A group's questions with their answers, newest first (opened).
    func questions(service: UUID) async throws -> [GroupQuestion]
    func questions(member: UUID) async throws -> [GroupQuestion]
    func addQuestion(_ question: GroupQuestion) async throws
    /// Adds an answer to the group's question; false when there is no such question.
    func addAnswer(_ answer: GroupQuestion.Answer, question: UUID, service: UUID) async throws -> Bool
    /// Empties a question for good (a moderator, or its asker's erasure).
    func removeQuestion(id: UUID, service: UUID) async throws -> Bool
    func deleteQuestions(member: UUID) async throws
}

/// The weekly programme, by weekday and time.
package protocol GroupCalendarRepository: Sendable {
    func events(service: UUID) async throws -> [ProgrammeEvent]
    func addEvent(_ event: ProgrammeEvent) async throws
    /// False when the group has no such event.
    func deleteEvent(id: UUID, service: UUID) async throws -> Bool
}

/// Retention (`GroupRetention`): each returns how many it erased.
package protocol GroupRetentionRepository: Sendable {
    /// The group's questions asked before `askedBefore` (ms), with their answers and data keys.
    func deleteQuestions(service: UUID, askedBefore: Int64) async throws -> Int
    /// Applications accepted or declined before `decidedBefore`: the answers,
    /// the worker's message and the data key go with the row.
    func deleteApplications(decidedBefore: Int64) async throws -> Int
    /// Reports handled before `handledBefore`, with their free-text reason.
    func deleteReports(handledBefore: Int64) async throws -> Int
    /// The reason of bans that ended before `endedBefore` is emptied; the ban stays.
    func eraseBanReasons(endedBefore: Int64) async throws -> Int
}
