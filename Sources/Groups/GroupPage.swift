import KohtaamoBase

/// A group's page (`group.mustache`): what the group is and when it meets,
/// then what the reader can do there by their standing (enter, join, accept
/// changed rules, apply, or read why they are banned).
struct GroupPage: PageModel {
    let programme: [ProgrammeRow]
    let hasProgramme: Bool
    let isPublic: Bool
    let questionsStyle: Bool
    let slug: String
    let name: String
    let description: String?
    let style: String
    let scheduled: Bool
    let open: Bool
    let statusText: String
    let weekly: [WeeklyRow]
    let facilitators: String?
    let rules: String?
    let rulesVersion: Int
    let closedAccess: Bool
    let signedIn: Bool
    /// `next=…` for the sign-up and sign-in links, back here with the invitation.
    let next: String
    let nickname: String
    let invitation: String

    // The reader's standing.
    var isStaff = false
    var moderator = false
    var canEnter = false
    var isMember = false
    var rulesChanged = false
    var banned = false
    var banText: String?
    var banReason: String?
    var canJoin = false
    var applicationWaiting = false
    /// The facilitator's message when an interview is agreed.
    var applicationInterview: String?
    var applicationDeclined: Declined?
    var canApply = false
    var questions: [Question] = []

    struct ProgrammeRow {
        let day: String
        let time: String
        let end: String
        let title: String
        let link: String?
    }

    struct WeeklyRow {
        let day: String
        let hours: String
    }

    struct Declined {
        let message: String?
    }

    /// A question of a screened group's application form.
    struct Question {
        let index: Int
        let text: String
        let answer: String
        let error: String?
    }
}

/// A group's room (`group_room.mustache`); the script does the talking.
struct GroupRoomPage: PageModel {
    let slug: String
    let name: String
    let conversation: String
    let moderator: Bool
    /// Whether the reader is a member (the layout's `member` replaces it for a signed-in client).
    let member: Bool
    let open: Bool
    let scheduled: Bool
    let statusText: String
    let openReports: Int
    /// From `Views.scriptTexts` (`name`, `text`).
    let texts: [[String: String]]
    let script: String
}
