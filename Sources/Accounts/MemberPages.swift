import KohtaamoBase

/// A registered client's own page (`member_home.mustache`): their data,
/// its download and erasure.
struct MemberHomePage: PageModel {
    let nickname: String
    let email: String?
}

/// The sign-up form of a registered client (`member_signup_form.mustache`).
struct MemberSignUpPage: PageModel {
    let nickname: String
    let email: String
    /// Where to go after signing up (a safe local path, or empty).
    let next: String
    /// `next=…` for the link to the sign-in form.
    let nextQuery: String
}

/// The sign-in form of a registered client (`member_signin_form.mustache`).
struct MemberSignInPage: PageModel {
    let nickname: String
    let next: String
    /// `next=…` for the link to the sign-up form.
    let nextQuery: String
}
