import Foundation
import KohtaamoBase
import KohtaamoRealtime

/// Tasks: the coach gives one (to a coachee or to every member of a group),
/// the coachee answers, the coach accepts it or sends it back with feedback.
extension CoachingService {
    /// To whom a task goes.
    package enum Assignee: Sendable, Equatable {
        case coachee(UUID)
        case group(UUID)
    }

    /// The coach's text checked: a title (1–200), instructions (up to 5,000,
    /// several lines), a checklist only for checklist tasks (1–20 steps), an
    /// optional link to material: an http(s) address, or a client
    /// material's page in the bank (`/materials/{id}`, checked by `banked`).
    package static func validated(_ raw: TaskContent) throws -> TaskContent {
        var c = raw
        c.title = c.title.trimmingCharacters(in: .whitespaces)
        c.instructions = c.instructions.trimmingCharacters(in: .whitespacesAndNewlines)
        c.material = c.material.trimmingCharacters(in: .whitespaces)
        c.checklist = c.checklist.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard Validate.length(c.title, 1...200), Validate.plainLine(c.title) else { throw Refusal.badTitle }
        guard Validate.length(c.instructions, 0...5000), Validate.plainText(c.instructions) else { throw Refusal.badInstructions }
        if c.answerKind == .checklist {
            guard (1...20).contains(c.checklist.count), c.checklist.allSatisfy({ Validate.length($0, 1...200) && Validate.plainLine($0) }) else {
                throw Refusal.badChecklist
            }
        } else {
            guard c.checklist.isEmpty else { throw Refusal.badChecklist }
        }
        guard c.material.isEmpty || Validate.webAddress(c.material) || MaterialLink.id(fromPath: c.material) != nil else {
            throw Refusal.badMaterial
        }
        return c
    }

    /// The content, when its material names the bank: only material the
    /// bank knows as client material (a coachee must be able to open it).
    func banked(_ c: TaskContent) async throws -> TaskContent {
        guard let id = MaterialLink.id(fromPath: c.material) else { return c }
        guard let materials, let link = try await materials.clientMaterial(id: id) else { throw Refusal.badMaterial }
        var checked = c
        checked.material = link.path
        return checked
    }

    /// Gives a task; a group task becomes one task per member of the group.
    /// A due time must be in the future (within two years).
    package func give(_ p: StaffPrincipal, service id: UUID, to assignee: Assignee, content raw: TaskContent, dueMs: Int64?) async throws
        -> [CoachingTask]
    {
        let (info, _) = try await asCoach(p, service: id)
        let content = try await banked(try Self.validated(raw))
        let now = clock.nowMs
        if let dueMs { guard dueMs > now, dueMs < now + 2 * 365 * 86_400_000 else { throw Refusal.badDue } }
        let members: [UUID]
        var groupTask: UUID? = nil
        switch assignee {
        case .coachee(let m):
            _ = try await coachee(p, service: info.id, member: m)
            members = [m]
        case .group(let g):
            let group = try await group(p, id: g)
            guard group.service == info.id else { throw Refusal.notFound }
            members = group.members
            groupTask = UUID()
        }
        let tasks = members.map {
            CoachingTask(
                id: UUID(), service: info.id, coach: p.staffID, coachee: $0, groupTask: groupTask, content: content, dueMs: dueMs, status: .open,
                answer: nil, history: [], createdMs: now, changedMs: now)
        }
        try await repository.addTasks(tasks)
        for t in tasks { await tell(t, to: .client(t.coachee)) }
        return tasks
    }

    /// A task the asker may see: the coachee's own, or one of the coach's coachees'.
    package func task(_ id: UUID, viewer: Identity) async throws -> CoachingTask {
        guard let t = try await repository.task(id: id) else { throw Refusal.notFound }
        switch viewer.kind {
        case .client where viewer == .client(t.coachee): return t
        case .staff where try await isCoach(viewer, of: t): return t
        default: throw Refusal.notFound
        }
    }

    /// The coachee's coach now (tasks follow the coachee when the coach changes).
    private func isCoach(_ viewer: Identity, of t: CoachingTask) async throws -> Bool {
        guard let c = try await repository.coachee(service: t.service, member: t.coachee) else { return false }
        return viewer == .staff(c.coach)
    }

    /// The coachee's tasks: for the coachee themself, or for their coach.
    package func tasks(service: UUID, coachee member: UUID, viewer: Identity) async throws -> [CoachingTask] {
        guard let c = try await repository.coachee(service: service, member: member), viewer == .client(member) || viewer == .staff(c.coach)
        else { throw Refusal.notFound }
        return try await repository.tasks(service: service, coachee: member)
    }

    /// The coachee answers an open (or sent back) task. The answer must fit
    /// the task's kind: words for text, valid steps for a checklist, a file
    /// of the thread for a file task, nothing more for "done".
    package func answer(_ member: UUID, task id: UUID, _ raw: TaskAnswer) async throws -> CoachingTask {
        var t = try await task(id, viewer: .client(member))
        guard let c = try await repository.coachee(service: t.service, member: member), c.status == .active else { throw Refusal.notFound }
        guard t.status == .open || t.status == .returned else { throw Refusal.wrongState }
        var a = raw
        a.text = a.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validate.length(a.text, 0...5000), Validate.plainText(a.text) else { throw Refusal.badAnswer }
        switch t.content.answerKind {
        case .text:
            guard !a.text.isEmpty, a.checked.isEmpty, a.file == nil else { throw Refusal.badAnswer }
        case .checklist:
            a.checked = Array(Set(a.checked)).sorted()
            guard a.checked.allSatisfy({ t.content.checklist.indices.contains($0) }), a.file == nil else { throw Refusal.badAnswer }
        case .file:
            guard let file = a.file, a.checked.isEmpty, let stored = try await realtime.files.info(id: file, conversation: c.conversation) else {
                throw Refusal.badAnswer
            }
            a.fileName = stored.name
        case .done:
            guard a.checked.isEmpty, a.file == nil else { throw Refusal.badAnswer }
        }
        let before = t.status
        t.status = .answered
        t.answer = a
        t.changedMs = clock.nowMs
        t.history.append(TaskEvent(kind: .answered, answer: a, feedback: "", atMs: t.changedMs))
        guard try await repository.updateTask(t, expected: before) else { throw Refusal.wrongState }
        await tell(t, to: .staff(c.coach))
        return t
    }

    /// The coach's feedback on an answer: `accept` makes the task done,
    /// otherwise it goes back to the coachee for another try (feedback then required).
    package func feedback(_ p: StaffPrincipal, task id: UUID, text raw: String, accept: Bool) async throws -> CoachingTask {
        var t = try await task(id, viewer: .staff(p.staffID))
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validate.length(text, (accept ? 0 : 1)...5000), Validate.plainText(text) else { throw Refusal.badFeedback }
        guard t.status == .answered else { throw Refusal.wrongState }
        t.status = accept ? .done : .returned
        t.changedMs = clock.nowMs
        t.history.append(TaskEvent(kind: accept ? .done : .returned, answer: nil, feedback: text, atMs: t.changedMs))
        guard try await repository.updateTask(t, expected: .answered) else { throw Refusal.wrongState }
        await tell(t, to: .client(t.coachee))
        return t
    }

    /// The page of whoever is told reloads the task (the realtime core's event, to every socket of theirs).
    private func tell(_ t: CoachingTask, to identity: Identity) async {
        await realtime.tell(
            identity,
            .event(type: "coaching_task", conversation: nil, fieldsJSON: #"{"task":"\#(t.id.text())","status":"\#(t.status.rawValue)"}"#))
    }

    // MARK: templates

    package func templates(_ p: StaffPrincipal, service id: UUID) async throws -> [TaskTemplate] {
        let (info, _) = try await asCoach(p, service: id)
        return try await repository.templates(service: info.id, coach: p.staffID)
    }

    package func addTemplate(_ p: StaffPrincipal, service id: UUID, content raw: TaskContent) async throws -> TaskTemplate {
        let (info, _) = try await asCoach(p, service: id)
        let t = TaskTemplate(
            id: UUID(), service: info.id, coach: p.staffID, content: try await banked(try Self.validated(raw)), createdMs: clock.nowMs)
        try await repository.addTemplate(t)
        return t
    }

    package func deleteTemplate(_ p: StaffPrincipal, id: UUID) async throws {
        guard try await repository.deleteTemplate(id: id, coach: p.staffID) else { throw Refusal.notFound }
    }

    /// The coach's template, to give as a task.
    package func template(_ p: StaffPrincipal, service id: UUID, template: UUID) async throws -> TaskTemplate {
        guard let t = try await templates(p, service: id).first(where: { $0.id == template }) else { throw Refusal.notFound }
        return t
    }
}
