import KohtaamoBase

/// A group's programme: its events, and the form of a new one (`group_programme_form.mustache`).
struct GroupProgrammePage: PageModel {
    let slug: String
    let name: String
    let events: [Event]
    let hasEvents: Bool
    let weekdays: [Weekday]
    /// A new event as sent, when the form comes back with an error.
    let start: String
    let duration: String
    let titleFi: String
    let titleSv: String
    let titleEn: String
    /// The new event's link (not `link`: an event without one would read it).
    let newLink: String

    struct Event {
        let id: String
        let day: String
        let time: String
        let end: String
        let title: String
        let link: String?
    }

    struct Weekday {
        let value: Int
        let label: String
        let selected: Bool
    }
}
