import KohtaamoBase

/// The staff sign-in form (`signin_form.mustache`).
struct SignInPage: PageModel {
    let email: String
    /// Where to go after signing in (a safe local path, or empty).
    let next: String
}

/// The second step of a sign-in: the code from the app (`signin_code_form.mustache`).
struct SignInCodePage: PageModel {
    /// Names the sign-in whose password was right.
    let challenge: String
    let next: String
}

/// A new password from an emailed link (`reset_form.mustache`).
struct PasswordResetPage: PageModel {
    let email: String
    /// Whether the link is still good (else the page says so, with no form).
    let valid: Bool
    let form = true
}
