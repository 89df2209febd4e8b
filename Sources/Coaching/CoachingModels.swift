import Foundation
import KohtaamoBase

/// A coaching service's set-up, made by its coordinator: who coaches, how
/// late an appointment may still be moved, which files are taken. The
/// service itself (names, hours, visibility) is a service of kind `coaching`.
package struct CoachingSettings: Sendable, Equatable {
    package var service: UUID
    /// Staff of the service's organisations who coach in it.
    package var coaches: Set<UUID>
    /// A coachee may move or cancel an appointment until this many hours before it.
    package var changeLimitHours: Int
    /// Largest file taken, in bytes.
    package var fileMaxBytes: Int
    /// Kinds of file taken (`image`, `pdf`, `office`, `text`).
    package var fileGroups: [String]

    package static func defaults(service: UUID) -> CoachingSettings {
        CoachingSettings(
            service: service, coaches: [], changeLimitHours: 24, fileMaxBytes: 10 * 1024 * 1024, fileGroups: ["image", "pdf", "office"])
    }
}

/// A registered client coached in a service, under their account's nickname,
/// with one coach and a thread of their own with that coach.
package struct Coachee: Sendable, Equatable {
    package enum Status: String, Sendable { case active, ended }
    package var service: UUID
    package var member: UUID
    package var nickname: String
    package var coach: UUID
    /// The 1:1 thread (conversation of kind `coaching`).
    package var conversation: UUID
    package var status: Status
    package var joinedMs: Int64
}

/// Several coachees of one coach with one thread and group tasks.
package struct CoachingGroup: Sendable, Equatable {
    package var id: UUID
    package var service: UUID
    package var coach: UUID
    package var name: String
    /// The group's thread (conversation of kind `coaching_group`).
    package var conversation: UUID
    package var members: [UUID]
    package var createdMs: Int64
}

/// A code a coach gives a person: with it they become the coach's coachee
/// (and, when it names one, a member of a coaching group). Used once.
package struct CoachingInvitation: Sendable, Equatable {
    package var codeHash: String
    package var service: UUID
    package var coach: UUID
    package var group: UUID?
    package var expiresMs: Int64
    package var usedMs: Int64?
}

/// How a task is answered.
package enum AnswerKind: String, Sendable, CaseIterable, Codable {
    /// Words.
    case text
    /// Ticks on the coach's list of steps.
    case checklist
    /// A file (a photo, a document).
    case file
    /// Only "done".
    case done
}

/// Where a task stands.
package enum TaskStatus: String, Sendable, CaseIterable, Codable {
    /// Given, not answered yet.
    case open
    /// Answered; the coach has not given feedback yet.
    case answered
    /// Sent back by the coach for another try.
    case returned
    /// Accepted by the coach.
    case done
}

/// What a coach writes when giving a task (or keeps as a template).
package struct TaskContent: Sendable, Equatable, Codable {
    package var title: String
    /// Plain text; addresses in it are shown as links.
    package var instructions: String
    package var answerKind: AnswerKind
    /// The steps of a checklist task.
    package var checklist: [String]
    /// A link to material (the network's bank, when it lands, gives these).
    package var material: String

    package init(title: String, instructions: String, answerKind: AnswerKind, checklist: [String], material: String) {
        (self.title, self.instructions, self.answerKind, self.checklist, self.material) = (title, instructions, answerKind, checklist, material)
    }
}

/// A coachee's answer.
package struct TaskAnswer: Sendable, Equatable, Codable {
    package var text: String = ""
    /// Indexes of the checklist's steps ticked.
    package var checked: [Int] = []
    /// The answer's file, kept in the coachee's thread.
    package var file: UUID? = nil
    package var fileName: String? = nil
    package init(text: String = "", checked: [Int] = [], file: UUID? = nil, fileName: String? = nil) {
        (self.text, self.checked, self.file, self.fileName) = (text, checked, file, fileName)
    }
}

/// One step of a task's history: both see every round.
package struct TaskEvent: Sendable, Equatable, Codable {
    package enum Kind: String, Sendable, Codable { case answered, returned, done }
    package var kind: Kind
    /// The answer of that round (for `answered`).
    package var answer: TaskAnswer?
    /// The coach's feedback (for `returned` and `done`).
    package var feedback: String
    package var atMs: Int64
}

/// A task given to one coachee. A group task is one of these for every
/// member, with the same `groupTask`, so each answers on their own.
package struct CoachingTask: Sendable, Equatable {
    package var id: UUID
    package var service: UUID
    package var coach: UUID
    package var coachee: UUID
    package var groupTask: UUID?
    package var content: TaskContent
    package var dueMs: Int64?
    package var status: TaskStatus
    /// The latest answer.
    package var answer: TaskAnswer?
    package var history: [TaskEvent]
    package var createdMs: Int64
    package var changedMs: Int64

    /// Past its due time and still waiting for the coachee.
    package func isLate(at nowMs: Int64) -> Bool {
        guard let dueMs else { return false }
        return (status == .open || status == .returned) && nowMs > dueMs
    }

    /// The last feedback the coach gave, if any.
    package var lastFeedback: String? { history.last(where: { $0.kind != .answered })?.feedback }
}

/// A task a coach keeps to give again.
package struct TaskTemplate: Sendable, Equatable {
    package var id: UUID
    package var service: UUID
    package var coach: UUID
    package var content: TaskContent
    package var createdMs: Int64
}
