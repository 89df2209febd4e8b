import KohtaamoBase

/// The client's chat (`chat.mustache`): the status line the script keeps
/// up to date, the texts it needs, referral cards and the feedback form.
struct ChatPage: PageModel {
    /// The page posts forms (feedback, delete), so it carries the CSRF token.
    let form = true
    let conversation: String
    let serviceName: String
    let slug: String
    let status: String
    let state: String
    let closed: Bool
    /// From `Views.scriptTexts` (`name`, `text`).
    let texts: [[String: String]]
    let script: String
    let referrals: [ReferralCardView]
    let hasReferrals: Bool
    let scores: [Score]

    /// A choice of the feedback form (1–5).
    struct Score {
        let value: Int
        let label: String
    }
}

/// The question before a client erases their chat (`chat_delete_form.mustache`).
struct ChatDeletePage: PageModel {
    let conversation: String
}
