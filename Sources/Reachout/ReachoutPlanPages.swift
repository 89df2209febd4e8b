import Foundation
import KohtaamoBase

/// How the plan pages say things: Helsinki wall time, days as people write
/// them, a rhythm in words, in the reader's language.
struct PlanText {
    let t: [String: String]
    let language: Language

    func s(_ key: String) -> String { t[key] ?? key }

    /// "9.00" (English "9:00").
    func clock(_ minute: Int) -> String { String(format: language == .en ? "%d:%02d" : "%d.%02d", minute / 60, minute % 60) }

    func day(_ d: HelsinkiDay) -> String { language == .en ? "\(d.day)/\(d.month)/\(d.year)" : "\(d.day).\(d.month).\(d.year)" }

    func weekday(_ n: Int) -> String { t["weekday_\(n)"] ?? String(n) }

    /// "tiistai 24.11.2026".
    func longDay(_ d: HelsinkiDay) -> String { "\(weekday(d.weekday)) \(day(d))" }

    func rhythm(_ r: Rhythm) -> String {
        switch r {
        case .daily: s("reachout_plans_rhythm_daily_text")
        case .weekdays(let days):
            s("reachout_plans_rhythm_weekdays_text").replacingOccurrences(of: "{days}", with: days.sorted().map(weekday).joined(separator: ", "))
        case .everyDays(let n): s("reachout_plans_rhythm_every_text").replacingOccurrences(of: "{n}", with: String(n))
        }
    }

    func channel(_ c: ContactChannel) -> String { s("reachout_plans_channel_\(c.rawValue)") }
    func outcome(_ k: OutcomeKind) -> String { s("reachout_plans_outcome_\(k.rawValue)") }
    func holiday(_ name: String) -> String { s("holiday_\(name)") }
    func error(_ r: ReachoutRefusal) -> String { s(r.messageKey) }
}

/// The organisation's plans (`reachout_plans.mustache`).
struct PlanListPage: PageModel {
    let plans: [Row]
    let hasPlans: Bool
    let ended: [Row]
    let hasEnded: Bool

    struct Row {
        let id: String
        let name: String
        let registered: Bool
        let rhythm: String
        let time: String
        let channel: String
        let owner: String
        let backup: String?
        let endedOn: String?
    }
}

/// A plan's form, new or to edit (`reachout_plan_form.mustache`), with the
/// plan's history and the End button.
struct PlanFormPage: PageModel {
    /// Where the form posts.
    let action: String
    let isNew: Bool
    /// The plan's id and name when editing.
    let id: String?
    let name: String?
    let ended: String?
    let canEdit: Bool
    /// Just saved (after the redirect).
    let saved: Bool
    let who: [FormField]
    let note: FormField
    let rhythms: [FieldOption]
    let rhythmError: String?
    let weekdays: [FieldOption]
    let every: String
    let timing: [FormField]
    let channel: FormField
    let workers: [FormField]
    let skipHolidays: Bool
    let history: [HistoryRow]
    let hasHistory: Bool
    let endError: String?

    struct HistoryRow {
        let day: String
        let outcome: String
        let by: String
        /// (Not `note`: a missing one would find the form's note field above it.)
        let said: String?
    }
}

/// The week view with absences (`reachout_calendar.mustache`).
struct CalendarPage: PageModel {
    let heading: String
    let days: [Day]
    let workers: [FieldOption]
    /// The query of this week for the worker chosen.
    let previous: String
    let next: String
    let thisWeek: String
    let worker: String
    let absences: [AbsenceRow]
    let hasAbsences: Bool
    let absenceFields: [FormField]
    /// Coordinators may mark anyone of the team away.
    let canPickAnyone: Bool
    let staffField: FormField?
    /// The Monday of the week shown, for the forms' way back.
    let thisWeekDay: String

    struct Day {
        let id: String
        let heading: String
        let today: Bool
        let holiday: String?
        let away: String?
        let contacts: [Contact]
        let hasContacts: Bool
    }

    struct Contact {
        let time: String
        let name: String
        let link: String
        let worker: String
        let covering: Bool
        let channel: String
    }

    struct AbsenceRow {
        let id: String
        let who: String
        let from: String
        let to: String
        let canDelete: Bool
    }
}

/// A registered client's own contacts (`my_contacts.mustache`).
struct MyContactsPage: PageModel {
    let contacts: [Row]
    let hasContacts: Bool
    let declined: Bool

    struct Row {
        let id: String
        let worker: String
        let rhythm: String
        let time: String
        let channel: String
        let thread: String?
    }
}

/// The chat of one plan, for its registered client (`my_contact_thread.mustache`).
struct MyContactThreadPage: PageModel {
    let worker: String
    let conversation: String
    let texts: [[String: String]]
    let script: String
}

/// "I don't want these contacts": the confirmation (`my_contact_decline.mustache`).
struct MyContactDeclinePage: PageModel {
    let id: String
    let worker: String
    let rhythm: String
}
