import KohtaamoBase

/// A group's moderation (`group_moderation.mustache`): reported messages,
/// open applications and every member with their state.
struct GroupModerationPage: PageModel {
    let slug: String
    let name: String
    let reported: [ReportedMessage]
    let hasReported: Bool
    let members: [Member]
    let hasMembers: Bool
    let closedAccess: Bool
    let screened: Bool
    let staffGroup: Bool
    let applications: [Application]
    let hasApplications: Bool

    struct ReportedMessage {
        let seq: Int64
        let from: String
        /// The sender's reference in the group (for muting and excluding).
        let ref: String
        let body: String
        let removed: Bool
        let fromMember: Bool
        let at: String
        let reasons: [String]
    }

    struct Member {
        let id: String
        let nickname: String
        let ref: String
        let joined: String
        let state: String
        let banned: Bool
    }

    struct Application {
        let id: String
        let nickname: String
        let ref: String
        let at: String
        /// The message agreed for an interview.
        let interview: String?
        let answers: [Answer]
    }

    struct Answer {
        let question: String
        let answer: String
    }
}

/// Inviting staff of the network's other organisations to a working group (`group_people_form.mustache`).
struct GroupPeoplePage: PageModel {
    let slug: String
    let name: String
    let organisations: [Organisation]
    let saved: Bool

    struct Organisation {
        let name: String
        let people: [Person]
    }

    struct Person {
        let id: String
        let name: String
        let invited: Bool
    }
}

/// A closed group's new invitation code, shown once (`group_invitation.mustache`).
struct GroupInvitationPage: PageModel {
    let slug: String
    let name: String
    let code: String
    let link: String
    /// How long the code is good for.
    let days: Int
}
