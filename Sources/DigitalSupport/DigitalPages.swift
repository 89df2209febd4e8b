import Foundation
import KohtaamoBase

/// How digital support's pages say days, times and themes in the reader's
/// language. Every text is from the catalogues or people's own text;
/// Mustache escapes it all.
struct DigitalPageText {
    let t: [String: String]
    let language: Language

    func s(_ key: String) -> String { t[key] ?? key }

    /// "9.00" (en: "9:00").
    func clock(_ minute: Int) -> String { String(format: language == .en ? "%d:%02d" : "%d.%02d", minute / 60, minute % 60) }

    /// "torstai 3.12.2026" (en: "Thursday 3/12/2026").
    func day(_ d: HelsinkiDay) -> String {
        let date = language == .en ? "\(d.day)/\(d.month)/\(d.year)" : "\(d.day).\(d.month).\(d.year)"
        return "\(t["weekday_\(d.weekday)"] ?? "") \(date)"
    }

    /// "torstai 3.12.2026 klo 10.00–11.30".
    func when(_ d: HelsinkiDay, _ start: Int, _ end: Int) -> String { "\(day(d)) \(s("digital_at")) \(clock(start))–\(clock(end))" }

    func theme(_ theme: DigitalTheme) -> String { s("digital_theme_\(theme.rawValue)") }
    func themes(_ themes: [DigitalTheme]) -> String? { Views.nonEmpty(themes.map(theme).joined(separator: ", ")) }
    func error(_ r: DigitalRefusal) -> String { s(r.messageKey) }

    /// The themes as checkboxes, those chosen ticked.
    func themeOptions(_ chosen: Set<String>) -> [FieldOption] {
        DigitalTheme.allCases.map { FieldOption(value: $0.rawValue, label: theme($0), selected: chosen.contains($0.rawValue)) }
    }
}

/// The organisation's pop-up events (`digital_events.mustache`).
struct DigitalEventsPage: PageModel {
    let upcoming: [Row]
    let hasUpcoming: Bool
    let past: [Row]
    let hasPast: Bool

    struct Row {
        let id: String
        let title: String
        let when: String
        let place: String
        let municipality: String
        let cancelled: Bool
        let hidden: Bool
    }
}

/// A pop-up event's form, new or to edit, with Cancel (`digital_event_form.mustache`).
struct DigitalEventFormPage: PageModel {
    /// The fields' id prefix (the shared themes partial).
    let prefix = "event"
    let action: String
    let isNew: Bool
    let id: String?
    let heading: String
    let saved: Bool
    let cancelled: Bool
    let fields: [FormField]
    let description: FormField
    let when: [FormField]
    let themes: [FieldOption]
    let themesError: String?
    let languages: FormField
    let isPublic: Bool
    let sequence: Int
}

/// The organisation's group sessions (`digital_sessions.mustache`).
struct DigitalSessionsPage: PageModel {
    let sessions: [Row]
    let hasSessions: Bool

    struct Row {
        let id: String
        let title: String
        let place: String
        let seats: String
        let waiting: Int
        let next: String?
        let meetings: Int
        let cancelled: Bool
    }
}

/// A group session's form, meetings and people (`digital_session_form.mustache`).
struct DigitalSessionFormPage: PageModel {
    let prefix = "session"
    let action: String
    let isNew: Bool
    let id: String?
    let heading: String
    let saved: Bool
    let cancelled: Bool
    let fields: [FormField]
    let description: FormField
    let online: Bool
    let seats: FormField
    let themes: [FieldOption]
    let themesError: String?
    let languages: FormField
    let isPublic: Bool
    let publicLink: String?
    let meetings: [Meeting]
    let hasMeetings: Bool
    let meetingFields: [FormField]
    let seated: [Person]
    let hasSeated: Bool
    let waiting: [Person]
    let hasWaiting: Bool
    let seatsText: String
    let labelField: FormField
    let pageError: String?

    struct Meeting {
        let id: String
        let when: String
        /// Where its Remove posts.
        let remove: String
    }

    struct Person {
        let id: String
        let remove: String
        let name: String
        let registered: Bool
        let position: Int?
    }
}

/// A public group session (`digital_session_public.mustache`).
struct DigitalSessionPublicPage: PageModel {
    let id: String
    let title: String
    let organisation: String
    let description: String?
    let place: String?
    let address: String?
    let online: Bool
    let themes: String?
    let languages: String
    let meetings: [String]
    let hasMeetings: Bool
    let seatsLeftText: String
    let full: Bool
    let cancelled: Bool
    let over: Bool
    /// A registered client is signed in (and may sign up).
    let canSignUp: Bool
    let signedIn: Bool
    let isStaff: Bool
    let next: String
    /// The signed-in client's own place, if they signed up.
    let mine: String?
    let signedUp: Bool
    let pageError: String?
}

/// A registered client's sign-ups (`my_digital.mustache`).
struct MyDigitalPage: PageModel {
    let sessions: [Row]
    let hasSessions: Bool
    let left: Bool
    /// Coming appointments of individual digital support.
    let appointments: [Appointment]
    let hasAppointments: Bool

    struct Appointment {
        let organisation: String
        let when: String
        let startMs: Int64
        let place: String
        /// The organisation's page of times, where it is moved or cancelled.
        let link: String
    }

    struct Row {
        let id: String
        let title: String
        let link: String
        let place: String
        let status: String
        let moved: Bool
        let cancelled: Bool
        let meetings: [String]
    }
}
