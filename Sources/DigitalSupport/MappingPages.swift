import Foundation
import KohtaamoBase

/// The questionnaire to fill, for a worker with a client or for the client
/// alone (`mapping_fill.mustache`): one radio group a question, by theme.
struct MappingFillPage: PageModel {
    let heading: String
    let action: String
    let isStaff: Bool
    let nickname: String
    let themes: [Theme]
    let hasErrors: Bool
    let back: String

    struct Theme {
        let id: String
        let name: String
        let questions: [Question]
    }

    struct Question {
        let id: String
        let text: String
        let error: String?
        let options: [Option]
    }

    struct Option {
        let id: String
        let name: String
        let value: String
        let label: String
        let checked: Bool
    }
}

/// A client's latest profile, suggestions, goals and progress
/// (`mapping_progress.mustache`), for the worker or the client.
struct MappingProgressPage: PageModel {
    let heading: String
    let isStaff: Bool
    let saved: Bool
    let latest: Latest?
    let goals: [Goal]
    let hasGoals: Bool
    let goalAction: String
    let goalThemes: [FieldOption]
    let goalText: FormField
    let goalThemeError: String?
    /// The client material a worker may give with a new goal (none on the client's own page).
    let goalMaterials: [FieldOption]
    let goalMaterialError: String?
    let chart: MappingChart?
    let fillLink: String
    let back: String

    struct Latest {
        let date: String
        let profile: String
        let description: String
        let suggestions: [Suggestion]
        let material: [Material]
        let hasMaterial: Bool
        let answers: [Answer]
    }

    struct Suggestion {
        let theme: String
        let themeName: String
        let text: String
        let added: Bool
    }

    struct Material {
        let title: String
        let url: String
    }

    struct Answer {
        let text: String
        let answer: String
    }

    struct Goal {
        let id: String
        let themeName: String
        let text: String
        let done: Bool
        let action: String
        let value: String
        let button: String
        /// The bank's client material given with the goal, while the bank still gives it to clients.
        let material: Material?
    }
}

/// The organisation's mapped clients and the way to map one (`digital_mapping.mustache`).
struct DigitalMappingPage: PageModel {
    let nickname: FormField
    let clients: [Row]
    let hasClients: Bool
    let canEdit: Bool

    struct Row {
        let nickname: String
        let link: String
        let date: String
        let profile: String
        let count: Int
    }
}

/// The coordinator's questionnaire: up to three questions a theme in three
/// languages, and the rules as text (`digital_questionnaire.mustache`).
struct DigitalQuestionnairePage: PageModel {
    let version: String
    let saved: Bool
    let themes: [Theme]
    let rules: FormField
    let profiles: String
    let hasErrors: Bool

    struct Theme {
        let id: String
        let name: String
        let error: String?
        let slots: [Slot]
    }

    struct Slot {
        let legend: String
        let fields: [FormField]
    }
}
