import Foundation
import KohtaamoBase
import KohtaamoRealtime

// What the JSON API answers (docs/openapi.yaml, tag Coaching). Absent values
// are written as `null`, never left out, so every field is always there.

struct ServiceJSON: Encodable {
    let id: String
    let slug: String
    let name: String
    init(_ s: ServiceInfo, _ language: Language) { (id, slug, name) = (s.id.text(), s.slug, s.names.in(language)) }
}

struct SettingsJSON: Encodable {
    let coaches: [String]
    let changeLimitHours: Int
    let fileMaxBytes: Int
    let fileTypes: [String]
    /// Who may be named a coach.
    let candidates: [Candidate]
    struct Candidate: Encodable {
        let id: String
        let workName: String
        let role: String
    }
    init(_ s: CoachingSettings, candidates: [(id: UUID, workName: String, role: Role)]) {
        coaches = s.coaches.map { $0.text() }.sorted()
        changeLimitHours = s.changeLimitHours
        fileMaxBytes = s.fileMaxBytes
        fileTypes = s.fileGroups
        self.candidates = candidates.map { Candidate(id: $0.id.text(), workName: $0.workName, role: $0.role.rawValue) }
    }
}

struct CoacheeJSON: Encodable {
    let member: String
    let nickname: String
    let conversation: String
    let status: String
    let joinedAt: String
    let progress: CoachingProgress
    init(_ c: Coachee, progress: CoachingProgress) {
        (member, nickname, conversation, status) = (c.member.text(), c.nickname, c.conversation.text(), c.status.rawValue)
        joinedAt = ServerFrame.timestamp(c.joinedMs)
        self.progress = progress
    }
}

struct InvitationJSON: Encodable {
    let code: String
    /// The page where the person takes it up (sign-in or sign-up first).
    let path: String
    let expiresAt: String
}

struct GroupJSON: Encodable {
    let id: String
    let name: String
    let conversation: String
    let members: [String]
    init(_ g: CoachingGroup) {
        (id, name, conversation) = (g.id.text(), g.name, g.conversation.text())
        members = g.members.map { $0.text() }
    }
}

struct ContentJSON: Encodable {
    let title: String
    let instructions: String
    let answerKind: String
    let checklist: [String]
    let material: String
    init(_ c: TaskContent) {
        (title, instructions, answerKind, checklist, material) = (c.title, c.instructions, c.answerKind.rawValue, c.checklist, c.material)
    }
}

struct TemplateJSON: Encodable {
    let id: String
    let content: ContentJSON
    init(_ t: TaskTemplate) { (id, content) = (t.id.text(), ContentJSON(t.content)) }
}

struct AnswerJSON: Encodable {
    let text: String
    let checked: [Int]
    let file: String?
    let fileName: String?
    init(_ a: TaskAnswer) { (text, checked, file, fileName) = (a.text, a.checked, a.file?.text(), a.fileName) }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(text, forKey: .text)
        try c.encode(checked, forKey: .checked)
        try c.encode(file, forKey: .file)
        try c.encode(fileName, forKey: .fileName)
    }
    enum CodingKeys: String, CodingKey { case text, checked, file, fileName }
}

struct EventJSON: Encodable {
    let kind: String
    let answer: AnswerJSON?
    let feedback: String
    let at: String
    init(_ e: TaskEvent) {
        (kind, answer, feedback, at) = (e.kind.rawValue, e.answer.map(AnswerJSON.init), e.feedback, ServerFrame.timestamp(e.atMs))
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(answer, forKey: .answer)
        try c.encode(feedback, forKey: .feedback)
        try c.encode(at, forKey: .at)
    }
    enum CodingKeys: String, CodingKey { case kind, answer, feedback, at }
}

struct TaskJSON: Encodable {
    let id: String
    let service: String
    let coachee: String
    let groupTask: String?
    let content: ContentJSON
    let due: String?
    let status: String
    /// Past due and still waiting for the coachee.
    let late: Bool
    let answer: AnswerJSON?
    let history: [EventJSON]
    let createdAt: String
    let changedAt: String

    init(_ t: CoachingTask, nowMs: Int64) {
        (id, service, coachee, groupTask) = (t.id.text(), t.service.text(), t.coachee.text(), t.groupTask?.text())
        content = ContentJSON(t.content)
        due = t.dueMs.map(ServerFrame.timestamp)
        (status, late) = (t.status.rawValue, t.isLate(at: nowMs))
        answer = t.answer.map(AnswerJSON.init)
        history = t.history.map(EventJSON.init)
        (createdAt, changedAt) = (ServerFrame.timestamp(t.createdMs), ServerFrame.timestamp(t.changedMs))
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(service, forKey: .service)
        try c.encode(coachee, forKey: .coachee)
        try c.encode(groupTask, forKey: .groupTask)
        try c.encode(content, forKey: .content)
        try c.encode(due, forKey: .due)
        try c.encode(status, forKey: .status)
        try c.encode(late, forKey: .late)
        try c.encode(answer, forKey: .answer)
        try c.encode(history, forKey: .history)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(changedAt, forKey: .changedAt)
    }
    enum CodingKeys: String, CodingKey { case id, service, coachee, groupTask, content, due, status, late, answer, history, createdAt, changedAt }
}

struct TaskListJSON: Encodable {
    let tasks: [TaskJSON]
    let progress: CoachingProgress
}

/// A coachee's own coaching in one service.
struct CoachingJSON: Encodable {
    let service: ServiceJSON
    /// The coachee's own id (their task list is under it).
    let member: String
    let coach: String
    let conversation: String
    let status: String
    let groups: [Group]
    struct Group: Encodable {
        let id: String
        let name: String
        let conversation: String
    }
    init(_ c: Coachee, service: ServiceInfo, coachName: String, groups: [CoachingGroup], language: Language) {
        self.service = ServiceJSON(service, language)
        member = c.member.text()
        (coach, conversation, status) = (coachName, c.conversation.text(), c.status.rawValue)
        self.groups = groups.map { Group(id: $0.id.text(), name: $0.name, conversation: $0.conversation.text()) }
    }
}
