import KohtaamoBase

/// The groups a coordinator manages (`admin_groups.mustache`).
struct GroupsAdminPage: PageModel {
    let groups: [Group]
    let hasGroups: Bool

    struct Group {
        let id: String
        let slug: String
        let name: String
    }
}

/// A group's settings (`group_settings_form.mustache`).
struct GroupSettingsPage: PageModel {
    let id: String
    let slug: String
    let name: String
    let saved: Bool
    let styles: [Choice]
    let accesses: [Choice]
    let volunteersModerate: Bool
    let rulesFi: String
    let rulesSv: String
    let rulesEn: String
    let rulesVersion: Int
    let questionsFi: String
    let questionsSv: String
    let questionsEn: String
    let people: [Person]
    let hasPeople: Bool
    let keepWhileGroup: Bool
    let retentionDays: String

    struct Choice {
        let value: String
        let label: String
        let checked: Bool
    }

    /// Staff of the group's organisations; the facilitators ticked.
    struct Person {
        let id: String
        let name: String
        let role: String
        let checked: Bool
    }
}
