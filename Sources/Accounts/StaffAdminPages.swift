import KohtaamoBase

/// The staff of the organisations a coordinator manages, and each
/// organisation's second-factor rule (`admin_staff.mustache`).
struct StaffListPage: PageModel {
    let staff: [Person]
    let hasStaff: Bool
    let rules: [Rule]

    struct Person {
        let id: String
        let email: String
        let workName: String
        let role: String
        let organisation: String
        let active: Bool
        let passwordSet: Bool
        let secondFactor: Bool
    }

    /// Whether an organisation requires a second factor; `error` when a change was refused.
    struct Rule {
        let id: String
        let name: String
        let required: Bool
        let error: String?
    }
}

/// A choice of a select on the staff forms (a role, an organisation).
struct StaffFormOption {
    let value: String
    let label: String
    let selected: Bool
}

/// Adding a staff member (`staff_new_form.mustache`).
struct StaffNewPage: PageModel {
    let email: String
    let workName: String
    let roles: [StaffFormOption]
    let organisations: [StaffFormOption]
}

/// Editing a staff member (`staff_edit_form.mustache`).
struct StaffEditPage: PageModel {
    let id: String
    let email: String
    let workName: String
    let active: Bool
    let passwordSet: Bool
    let isSelf: Bool
    let secondFactor: Bool
    let roles: [StaffFormOption]
    let organisations: [StaffFormOption]
}

/// A one-time link to set a password, shown once (`staff_link.mustache`).
struct StaffLinkPage: PageModel {
    let link: String
    let email: String
    let created: Bool
    /// How long the link is good for.
    let hours: Int
}
