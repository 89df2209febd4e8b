import Foundation
import KohtaamoBase

/// The buddy course: its parts and the reader's progress (`buddy_course.mustache`).
struct BuddyCoursePage: PageModel {
    let modules: [Row]
    let hasModules: Bool
    let doneText: String
    let completedText: String?
    /// Workers and coordinators: the link to the organisation's buddies.
    let canAssign: Bool
    let canEdit: Bool

    struct Row {
        let id: String
        let title: String
        let done: Bool
        let changed: Bool
        let first: Bool
        let last: Bool
    }
}

/// A part of the course with its quiz (`buddy_module.mustache`).
struct BuddyModulePage: PageModel {
    let id: String
    let title: String
    let paragraphs: [String]
    let links: [BuddyLink]
    let hasLinks: Bool
    let questions: [Question]
    let done: Bool
    let changed: Bool
    let passed: Bool
    /// After a passed quiz: the course is completed.
    let completed: Bool
    let next: String?
    let wrongText: String?

    struct Question {
        let number: Int
        let text: String
        let options: [Option]
        let wrong: Bool
    }

    struct Option {
        let id: String
        let value: Int
        let label: String
        let checked: Bool
    }
}

/// A coordinator writes one part (`buddy_module_form.mustache`).
struct BuddyModuleFormPage: PageModel {
    let action: String
    let isNew: Bool
    let heading: String
    let saved: Bool
    let title: FormField
    let text: FormField
    let links: FormField
    let questions: [Question]
    let quizError: String?

    struct Question {
        let number: Int
        let text: FormField
        let options: [FormField]
        let rights: [FieldOption]
    }
}

/// A buddy's clients, or why not yet (`buddy_clients.mustache`).
struct BuddyClientsPage: PageModel {
    let refused: Bool
    let refusedText: String?
    let completedText: String?
    let clients: [Client]
    let hasClients: Bool

    struct Client {
        let nickname: String
        let goals: [Goal]
        let hasGoals: Bool
        let appointments: [String]
        let hasAppointments: Bool
        let sessions: [String]
        let hasSessions: Bool
    }

    struct Goal {
        let text: String
        let materialTitle: String?
        let materialURL: String?
    }
}

/// The organisation's buddies and their clients (`buddy_assignments.mustache`).
struct BuddyAssignmentsPage: PageModel {
    let buddies: [Buddy]
    let hasBuddies: Bool
    let buddyField: FormField
    let nicknameField: FormField

    struct Buddy {
        let workName: String
        let since: String
        let clients: [Client]
        let hasClients: Bool
    }

    struct Client {
        let nickname: String
        let remove: String
    }
}
