import Foundation
import KohtaamoBase

/// The JSON of the buddy API (docs/openapi.yaml, tag DigitalBuddies).
/// Absent optional fields are left out.
struct BuddyCourseJSON: Encodable {
    let modules: [Module]
    let done: Int
    /// When the asker completed the course (their buddy right), if they have.
    let completedMs: Int64?
    let canEdit: Bool

    struct Module: Encodable {
        let id: String
        let title: String
        let text: String
        let links: [BuddyLink]
        let quiz: [Question]
        let version: Int
        let done: Bool
        /// Passed, but changed since.
        let changed: Bool
        let attempts: Int
    }

    struct Question: Encodable {
        let text: String
        let options: [String]
        /// Only for those who may edit the course.
        let right: Int?
    }

    init(_ s: BuddyService.Standing, canEdit: Bool) {
        modules = s.modules.map { m in
            Module(
                id: m.id.text(), title: m.title, text: m.text, links: m.links,
                quiz: m.quiz.map { Question(text: $0.text, options: $0.options, right: canEdit ? $0.right : nil) }, version: m.version,
                done: s.done(m), changed: s.changed(m), attempts: s.progress[m.id]?.attempts ?? 0)
        }
        (done, completedMs, self.canEdit) = (s.doneCount, s.training?.completedMs, canEdit)
    }
}

struct BuddyOutcomeJSON: Encodable {
    let passed: Bool
    /// The questions to look at again, from 1.
    let wrong: [Int]
    let completed: Bool

    init(_ o: BuddyService.Outcome) { (passed, wrong, completed) = (o.passed, o.wrong, o.completed) }
}

struct BuddyClientsJSON: Encodable {
    let completedMs: Int64
    let clients: [Client]

    struct Client: Encodable {
        let assignment: String
        let nickname: String
        let sessions: [MySessionJSON]
        let goals: [Goal]
        let appointments: [Appointment]
    }

    struct Goal: Encodable {
        let text: String
        let theme: String?
        /// As the buddy's page links it: only while the bank still gives it to clients.
        let materialLink: MaterialLinkJSON?
    }

    struct Appointment: Encodable {
        let startMs: Int64
        let endMs: Int64
        let place: String
    }

    init(_ mine: (training: BuddyTraining, clients: [BuddyService.Client])) {
        completedMs = mine.training.completedMs
        clients = mine.clients.map { c in
            Client(
                assignment: c.assignment.id.text(), nickname: c.nickname, sessions: c.sessions.map(MySessionJSON.init),
                goals: c.goals.map { Goal(text: $0.text, theme: $0.theme?.rawValue, materialLink: $0.material.map(MaterialLinkJSON.init)) },
                appointments: c.appointments.map { Appointment(startMs: $0.startMs, endMs: $0.endMs, place: $0.place) })
        }
    }
}

struct BuddyAssignmentJSON: Encodable {
    let id: String
    let buddy: String
    let nickname: String
    let createdMs: Int64

    init(_ a: BuddyAssignment, nickname: String) { (id, buddy, self.nickname, createdMs) = (a.id.text(), a.buddy.text(), nickname, a.createdMs) }
}

struct BuddyAssignmentsJSON: Encodable {
    let buddies: [Buddy]
    let assignments: [BuddyAssignmentJSON]

    struct Buddy: Encodable {
        let id: String
        let workName: String
        let completedMs: Int64
    }
}
