import Foundation
import KohtaamoBase

/// How the upkeep pages say things, in the reader's language: places,
/// access and themes in words, weekly hours as a sentence.
struct UpkeepText {
    let t: [String: String]
    let schedule: ScheduleText

    func s(_ key: String) -> String { t[key] ?? key }
    func place(_ p: PlaceKind) -> String { s("finder_upkeep_place_\(p.rawValue)") }
    func access(_ a: Access) -> String { s("finder_upkeep_access_\(a.rawValue)") }
    func theme(_ theme: DigitalTheme) -> String { s("finder_upkeep_theme_\(theme.rawValue)") }
    func error(_ r: FinderRefusal) -> String { s(r.messageKey) }

    /// The weekly hours as the form takes them, with the reader's day
    /// abbreviations: `ma,ti 09:00-16:00` in Finnish, `MO,TU 09:00-16:00` in English.
    func hoursLine(_ weekly: [WeeklyInterval]) -> String {
        let table: [String]
        switch schedule.lang {
        case .fi: table = WeeklyHoursText.finnish
        case .sv: table = WeeklyHoursText.swedish
        case .en: return WeeklyHoursText.format(weekly)
        }
        return WeeklyHoursText.format(weekly).split(separator: ";", omittingEmptySubsequences: true).map { part in
            let words = part.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
            let days = words[0].split(separator: ",").map { code in
                WeeklyHoursText.codes.firstIndex(of: String(code)).map { table[$0].lowercased() } ?? String(code)
            }
            return ([days.joined(separator: ",")] + words.dropFirst()).joined(separator: " ")
        }.joined(separator: "; ")
    }

    /// "Monday, Tuesday 9.00–16.00; Wednesday 12.00–18.00" (days with the
    /// same hours together), or that there are no weekly hours.
    func hours(_ weekly: [WeeklyInterval]) -> String {
        var parts: [(days: [Int], times: String)] = []
        for day in 1...7 {
            let times = weekly.filter { $0.weekday == day }.sorted { $0.opens < $1.opens }
                .map { "\(schedule.time($0.opens))–\(schedule.time($0.closes))" }.joined(separator: ", ")
            guard !times.isEmpty else { continue }
            if let i = parts.firstIndex(where: { $0.times == times }) { parts[i].days.append(day) } else { parts.append(([day], times)) }
        }
        guard !parts.isEmpty else { return s("finder_upkeep_no_hours") }
        return parts.map { p in p.days.map { s("weekday_\($0)") }.joined(separator: ", ") + " " + p.times }.joined(separator: "; ")
    }
}

/// The points a coordinator keeps, by municipality (`admin_finder.mustache`).
struct FinderListPage: PageModel {
    let municipalities: [Municipality]
    let hasPoints: Bool
    let deleted: Bool
    /// A network coordinator keeps several organisations' points: each row names its organisation.
    let showOrganisation: Bool

    struct Municipality {
        let slug: String
        let name: String
        let page: String
        let points: [Row]
    }

    struct Row {
        let id: String
        let name: String
        let organisation: String
        let place: String
        let address: String?
        let access: String
        let hours: String
        /// How many exceptions from today on, when there are any.
        let exceptionsAhead: String?
    }
}

/// A point's form, new or to edit, with its exceptions (`admin_finder_form.mustache`).
struct FinderFormPage: PageModel {
    let action: String
    let isNew: Bool
    let id: String?
    /// The saved name, for the heading (not what was typed).
    let name: String?
    let saved: Bool
    let publicPage: String?
    let about: [FormField]
    let location: [FormField]
    let themes: [FieldOption]
    let themesError: String?
    let how: [FormField]
    let contact: [FormField]
    let exceptions: [ScheduleText.ExceptionRow]
    let hasExceptions: Bool
    let exceptionFields: [FormField]
    let exceptionTimes: [FormField]
    let exClosed: Bool
    let exceptionSaved: Bool
}

/// "Remove this help point?" (`admin_finder_delete.mustache`).
struct FinderDeletePage: PageModel {
    let id: String
    let name: String
    let municipality: String
}
