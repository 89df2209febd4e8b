import Foundation
import KohtaamoBase

/// A worker's list of whom to contact on a day (`reachout_today.mustache`):
/// one card per contact, each with a form of one button per outcome.
struct ReachoutTodayPage: PageModel {
    let heading: String
    let day: String
    let isToday: Bool
    let previous: String?
    let next: String?
    let contacts: [ContactRow]
    let hasContacts: Bool
    /// The organisation's referral cards, for the referral button's select.
    let hasReferrals: Bool
    /// From `Views.scriptTexts` (`name`, `text`): the states and outcomes for reachout.js.
    let texts: [[String: String]]
    let script: String

    struct ContactRow {
        let plan: String
        let name: String
        let time: String
        let channel: String
        let covering: String?
        let state: String
        let stateText: String
        let escalated: Bool
        let planNote: String?
        let last: HistoryRow?
        let outcomes: [HistoryRow]
        let hasOutcomes: Bool
        /// The chat's button, for a registered client.
        let registered: Bool
        let ended: Bool
        /// What the worker typed when the form was refused, and why.
        let typedNote: String
        let referrals: [ReferralOption]
        let error: String?
        let noteError: Bool
        let referralError: Bool
    }

    struct ReferralOption {
        let value: String
        let label: String
        let selected: Bool
    }
}

/// One logged outcome: when, what, by whom, the note.
/// (Names unlike the enclosing rows': Mustache looks up an absent one there.)
struct HistoryRow {
    /// The outcome's code (`no_answer`), for reachout.js.
    let kind: String
    let when: String
    let outcome: String
    let byName: String?
    let outcomeNote: String?
    let referralTitle: String?
}

/// The plan's conversation with its registered client (`reachout_chat.mustache`).
struct ReachoutChatPage: PageModel {
    let heading: String
    let plan: String
    let name: String
    /// Nil until the worker opens the chat (then the live thread).
    let thread: Thread?
    let script: String?

    struct Thread {
        let conversation: String
        /// From `Views.scriptTexts` (`name`, `text`).
        let texts: [[String: String]]
    }
}

/// The coordinator's escalations (`reachout_escalations.mustache`).
struct ReachoutEscalationsPage: PageModel {
    let openItems: [EscalationRow]
    let hasOpen: Bool
    let closedItems: [EscalationRow]
    let hasClosed: Bool

    struct EscalationRow {
        let id: String
        let name: String
        let day: String
        let repeated: Bool
        let time: String
        let channel: String
        let owner: String
        let planNote: String?
        let history: [HistoryRow]
        let hasHistory: Bool
        let closed: String?
        let closingNote: String?
        let typedNote: String
        let error: String?
    }
}
