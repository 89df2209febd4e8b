import Foundation

/// How a group works; one model, configured per group.
public enum GroupStyle: String, Sendable, CaseIterable {
    /// Open only at its scheduled times (the service's opening hours).
    case themed
    /// Always on, with a facilitator.
    case peer
    /// A weekly programme and a daily chat.
    case clubhouse
    /// Members ask, workers answer.
    case questions
}

/// Who gets in.
public enum GroupAccess: String, Sendable, CaseIterable {
    /// Anyone with the link, under a nickname.
    case open
    /// With an invitation code from a worker.
    case closed
    /// By application: answers to the coordinator's questions, read by a worker.
    case screened
    /// Staff only: a working group of the network, for the staff invited.
    case staff
}

/// A group's settings; the group itself is a service of kind `group`
/// (names, description, opening hours and visibility live there).
public struct GroupSettings: Sendable, Equatable {
    public var service: UUID
    public var conversation: UUID
    public var style: GroupStyle
    public var access: GroupAccess
    /// Volunteers of the organisation may moderate too.
    public var volunteersModerate: Bool
    /// The rules (netiquette) in each language; a new text is a new version.
    public var rules: LocalizedText
    public var rulesVersion: Int
    /// A screened group's questions, one per line, in each language.
    public var questions: LocalizedText = LocalizedText(fi: "", sv: "", en: "")
    /// Days the room's messages and the Q&A are kept; nil (the default) keeps
    /// them while the group exists. Set by the coordinator on the settings form.
    public var retentionDays: Int? = nil

    /// The questions in the reader's language (Finnish when that one has none).
    public func questionList(_ language: Language) -> [String] {
        questions.in(language).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Themed groups are open only at their scheduled times.
    public var scheduled: Bool { style == .themed }
}

public enum MemberStatus: String, Sendable {
    case active, removed, banned
}

/// A registered client in one group, under the nickname they chose for it.
public struct GroupMember: Sendable, Equatable {
    public var service: UUID
    public var member: UUID
    public var nickname: String
    /// The rules version they accepted last.
    public var rulesVersion: Int
    public var status: MemberStatus
    /// For `banned`: until then (ms), or nil for good.
    public var bannedUntilMs: Int64?
    public var banReason: String
    public var joinedMs: Int64

    /// Banned and the ban has not ended at `nowMs`.
    public func isBanned(at nowMs: Int64) -> Bool {
        status == .banned && (bannedUntilMs.map { $0 > nowMs } ?? true)
    }
}

/// A member's report of a message, for the group's moderators.
public struct GroupReport: Sendable, Equatable {
    public var id: UUID
    public var service: UUID
    public var seq: Int64
    public var reporter: UUID
    public var reason: String
    public var atMs: Int64
    public var handled: Bool
}

/// An application to a screened group. The answers (and the worker's
/// message back) are sealed at rest under the application's own data key.
public struct GroupApplication: Sendable, Equatable {
    public enum Status: String, Sendable { case waiting, interview, accepted, declined }
    public var id: UUID
    public var service: UUID
    public var member: UUID
    public var nickname: String
    /// Each question as the applicant saw it, with their answer.
    public var answers: [QA]
    public var status: Status
    /// The worker's message the applicant sees (an interview time, a reason).
    public var message: String
    public var rulesVersion: Int
    public var createdMs: Int64
    public var decidedMs: Int64?

    public struct QA: Sendable, Equatable, Codable {
        public var question: String
        public var answer: String
    }
}

/// An invitation code to a closed group: given by a worker, it expires.
public struct GroupInvitation: Sendable, Equatable {
    public var service: UUID
    public var codeHash: String
    public var expiresMs: Int64
}

/// A question in a Q&A group: a member asks (under their nickname, or
/// anonymously to the group), workers answer. Sealed at rest like messages.
public struct GroupQuestion: Sendable, Equatable {
    public var id: UUID
    public var service: UUID
    public var member: UUID
    /// The asker's group nickname; shown to other members only when not anonymous.
    public var nickname: String
    public var anonymous: Bool
    public var body: String
    public var removed: Bool
    public var createdMs: Int64
    public var answers: [Answer]

    public struct Answer: Sendable, Equatable {
        public var id: UUID
        public var staff: UUID
        /// The worker's work name and role, as clients see them.
        public var from: Sender
        public var body: String
        public var createdMs: Int64
    }

    public var answered: Bool { !answers.isEmpty }
}
