import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// How a group works; one model, configured per group.
package enum GroupStyle: String, Sendable, CaseIterable {
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
package enum GroupAccess: String, Sendable, CaseIterable {
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
package struct GroupSettings: Sendable, Equatable {
    package var service: UUID
    package var conversation: UUID
    package var style: GroupStyle
    package var access: GroupAccess
    /// Volunteers of the organisation may moderate too.
    package var volunteersModerate: Bool
    /// The rules (netiquette) in each language; a new text is a new version.
    package var rules: LocalizedText
    package var rulesVersion: Int
    /// A screened group's questions, one per line, in each language.
    package var questions: LocalizedText = LocalizedText(fi: "", sv: "", en: "")
    /// Days the room's messages and the Q&A are kept; nil (the default) keeps
    /// them while the group exists. Set by the coordinator on the settings form.
    package var retentionDays: Int? = nil

    /// The questions in the reader's language (Finnish when that one has none).
    package func questionList(_ language: Language) -> [String] {
        questions.in(language).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Themed groups are open only at their scheduled times.
    package var scheduled: Bool { style == .themed }
}

package enum MemberStatus: String, Sendable {
    case active, removed, banned
}

/// A registered client in one group, under the nickname they chose for it.
package struct GroupMember: Sendable, Equatable {
    package var service: UUID
    package var member: UUID
    package var nickname: String
    /// The rules version they accepted last.
    package var rulesVersion: Int
    package var status: MemberStatus
    /// For `banned`: until then (ms), or nil for good.
    package var bannedUntilMs: Int64?
    package var banReason: String
    package var joinedMs: Int64

    /// Banned and the ban has not ended at `nowMs`.
    package func isBanned(at nowMs: Int64) -> Bool {
        status == .banned && (bannedUntilMs.map { $0 > nowMs } ?? true)
    }
}

/// A member's report of a message, for the group's moderators.
package struct GroupReport: Sendable, Equatable {
    package var id: UUID
    package var service: UUID
    package var seq: Int64
    package var reporter: UUID
    package var reason: String
    package var atMs: Int64
    package var handled: Bool
}

/// An application to a screened group. The answers (and the worker's
/// message back) are sealed at rest under the application's own data key.
package struct GroupApplication: Sendable, Equatable {
    package enum Status: String, Sendable { case waiting, interview, accepted, declined }
    package var id: UUID
    package var service: UUID
    package var member: UUID
    package var nickname: String
    /// Each question as the applicant saw it, with their answer.
    package var answers: [QA]
    package var status: Status
    /// The worker's message the applicant sees (an interview time, a reason).
    package var message: String
    package var rulesVersion: Int
    package var createdMs: Int64
    package var decidedMs: Int64?

    package struct QA: Sendable, Equatable, Codable {
        package var question: String
        package var answer: String
    }
}

/// An invitation code to a closed group: given by a worker, it expires.
package struct GroupInvitation: Sendable, Equatable {
    package var service: UUID
    package var codeHash: String
    package var expiresMs: Int64
}

/// A question in a Q&A group: a member asks (under their nickname, or
/// anonymously to the group), workers answer. Sealed at rest like messages.
package struct GroupQuestion: Sendable, Equatable {
    package var id: UUID
    package var service: UUID
    package var member: UUID
    /// The asker's group nickname; shown to other members only when not anonymous.
    package var nickname: String
    package var anonymous: Bool
    package var body: String
    package var removed: Bool
    package var createdMs: Int64
    package var answers: [Answer]

    package struct Answer: Sendable, Equatable {
        package var id: UUID
        package var staff: UUID
        /// The worker's work name and role, as clients see them.
        package var from: Sender
        package var body: String
        package var createdMs: Int64
    }

    package var answered: Bool { !answers.isEmpty }
}
