import KohtaamoBase

/// A staff member's own profile (`profile_form.mustache`).
struct ProfilePage: PageModel {
    let workName: String
    let workingHours: String
    let email: String
    /// The text of what was just saved.
    let saved: String?
    let secondFactorOn: Bool
}
