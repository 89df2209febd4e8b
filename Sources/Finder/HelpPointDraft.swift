import Foundation
import KohtaamoBase

/// A help point as typed — in the form, in JSON or in a CSV row — before the
/// finder checks it. One set of rules for all three, so an import refuses
/// exactly what the form would. Field names are the CSV header's.
package struct HelpPointDraft: Sendable, Equatable {
    package var municipality = ""
    package var name = ""
    package var description = ""
    /// The organisation's name (network coordinators importing for several); empty means the asker's own.
    package var organisation = ""
    package var place = ""
    package var address = ""
    package var postalCode = ""
    package var city = ""
    package var themes = ""
    package var languages = ""
    package var access = ""
    package var phone = ""
    package var email = ""
    package var url = ""
    package var chatService = ""
    package var hours = ""

    package init() {}

    /// The fields by their CSV and form names, in the CSV's order.
    package static let fields = [
        "municipality", "name", "description", "organisation", "place", "address", "postal_code", "city", "themes", "languages", "access",
        "phone", "email", "url", "chat_service", "hours",
    ]

    package subscript(field: String) -> String {
        get {
            switch field {
            case "municipality": municipality
            case "name": name
            case "description": description
            case "organisation": organisation
            case "place": place
            case "address": address
            case "postal_code": postalCode
            case "city": city
            case "themes": themes
            case "languages": languages
            case "access": access
            case "phone": phone
            case "email": email
            case "url": url
            case "chat_service": chatService
            case "hours": hours
            default: ""
            }
        }
        set {
            switch field {
            case "municipality": municipality = newValue
            case "name": name = newValue
            case "description": description = newValue
            case "organisation": organisation = newValue
            case "place": place = newValue
            case "address": address = newValue
            case "postal_code": postalCode = newValue
            case "city": city = newValue
            case "themes": themes = newValue
            case "languages": languages = newValue
            case "access": access = newValue
            case "phone": phone = newValue
            case "email": email = newValue
            case "url": url = newValue
            case "chat_service": chatService = newValue
            case "hours": hours = newValue
            default: break
            }
        }
    }

    /// The draft of a saved point, for its edit form.
    package init(_ p: HelpPoint, municipality name: String, organisation: String) {
        (municipality, self.name, description, self.organisation, place) = (name, p.name, p.description, organisation, p.place.rawValue)
        (address, postalCode, city) = (p.address, p.postalCode, p.city)
        themes = p.themes.map(\.rawValue).joined(separator: ",")
        languages = p.languages.joined(separator: ",")
        (access, phone, email, url, chatService) = (p.access.rawValue, p.phone, p.email, p.url, p.chatService ?? "")
        hours = WeeklyHoursText.format(p.hours)
    }
}

/// Weekly hours in one line, HSDS's weekday codes: `MO,TU 09:00-16:00; WE 12:00-18:00`.
/// Finnish and Swedish day abbreviations (`ma`, `ti`, `må`, `ti`…) are read too, and `.` for `:`.
package enum WeeklyHoursText {
    static let codes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    static let finnish = ["MA", "TI", "KE", "TO", "PE", "LA", "SU"]
    static let swedish = ["MÅ", "TI", "ON", "TO", "FR", "LÖ", "SÖ"]

    package static func format(_ hours: [WeeklyInterval]) -> String {
        // Days with the same intervals share a part, in weekday order.
        var parts: [(days: [Int], times: String)] = []
        for day in 1...7 {
            let times = hours.filter { $0.weekday == day }.sorted { $0.opens < $1.opens }.map { "\(clock($0.opens))-\(clock($0.closes))" }
            guard !times.isEmpty else { continue }
            let text = times.joined(separator: " ")
            if let i = parts.firstIndex(where: { $0.times == text }) { parts[i].days.append(day) } else { parts.append(([day], text)) }
        }
        return parts.map { p in p.days.map { codes[$0 - 1] }.joined(separator: ",") + " " + p.times }.joined(separator: "; ")
    }

    static func clock(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }

    /// nil when the text is not that form; an empty text is no hours.
    package static func parse(_ text: String) -> [WeeklyInterval]? {
        var out: [WeeklyInterval] = []
        for part in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let words = part.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 2 else { return nil }
            var days: [Int] = []
            for d in words[0].uppercased().split(separator: ",") {
                let range = d.split(separator: "-").map(String.init)
                guard let first = day(range[0]), range.count <= 2 else { return nil }
                let last = range.count == 2 ? day(range[1]) : first
                guard let last, last >= first else { return nil }
                days += Array(first...last)
            }
            for span in words.dropFirst() {
                let ends = span.split(whereSeparator: { $0 == "-" || $0 == "–" }).map(String.init)
                guard ends.count == 2, let opens = Schedule.parseTime(ends[0]), let closes = Schedule.parseTime(ends[1]), opens < closes else {
                    return nil
                }
                for d in days {
                    let i = WeeklyInterval(weekday: d, opens: opens, closes: closes)
                    // Overlaps within a day would show twice and confuse "open now".
                    if out.contains(where: { $0.weekday == d && $0.opens < closes && opens < $0.closes }) { return nil }
                    out.append(i)
                }
            }
        }
        return out.sorted { ($0.weekday, $0.opens) < ($1.weekday, $1.opens) }
    }

    static func day(_ word: String) -> Int? {
        for table in [codes, finnish, swedish] { if let i = table.firstIndex(of: word) { return i + 1 } }
        return nil
    }
}
