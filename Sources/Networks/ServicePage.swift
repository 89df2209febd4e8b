import KohtaamoBase

/// A public service's page (`service.mustache`): what it is, when it is
/// open, and for a support chat the form that starts one.
struct ServicePage: PageModel {
    let name: String
    let description: String?
    let kind: String
    let organisation: String
    let languages: String
    let open: Bool
    let status: String
    let weekly: [ScheduleText.WeekRow]
    let exceptions: [ScheduleText.ExceptionRow]
    let hasExceptions: Bool
    let isChat: Bool
    let slug: String
    /// The start form of a support chat (and so the CSRF token).
    let form: Bool
    let nicknameError: Bool
    /// An open support chat's page starts the chat without leaving itself
    /// (`chat-start.js`), with the chat's modules fetched while it is read.
    let script: String?
    let chatModules: String?
    let referrals: [ReferralCardView]
    let hasReferrals: Bool
}
