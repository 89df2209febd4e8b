import Foundation
import KohtaamoBase

/// A help point as the upkeep API takes it (docs/openapi.yaml, tag Finder):
/// the draft's field names; themes and languages as arrays of strings, the
/// weekly hours as one line of text. An absent field is empty.
struct PointInput: Decodable {
    var municipality, name, description, organisation, place, address, postalCode, city: String?
    var themes, languages: [String]?
    var access, phone, email, url, chatService, hours: String?

    enum CodingKeys: String, CodingKey {
        case municipality, name, description, organisation, place, address, city, themes, languages, access, phone, email, url, hours
        case postalCode = "postal_code"
        case chatService = "chat_service"
    }

    var draft: HelpPointDraft {
        var d = HelpPointDraft()
        (d.municipality, d.name, d.description, d.organisation) = (municipality ?? "", name ?? "", description ?? "", organisation ?? "")
        (d.place, d.address, d.postalCode, d.city) = (place ?? "", address ?? "", postalCode ?? "", city ?? "")
        // The rules read lists separated by commas, as in the form and the CSV.
        (d.themes, d.languages) = ((themes ?? []).joined(separator: ","), (languages ?? []).joined(separator: ","))
        (d.access, d.phone, d.email, d.url, d.chatService, d.hours) = (
            access ?? "", phone ?? "", email ?? "", url ?? "", chatService ?? "", hours ?? ""
        )
        return d
    }
}

/// One day's exception as the API takes it.
struct ExceptionInput: Decodable {
    var closed: Bool?
    var opens, closes, note: String?

    func draft(day: String) -> ExceptionDraft {
        ExceptionDraft(day: day, closed: closed ?? false, opens: opens ?? "", closes: closes ?? "", note: note ?? "")
    }
}

/// A help point in the API's answers: every field always there (empty text
/// when not given), so an answer's fields can be sent back as they are; the
/// weekly hours both as the line of text the requests take and as intervals.
/// Written with snake_case keys (`FinderAPIController.answer`), as the requests' fields.
struct PointJSON: Encodable {
    let id: String
    let organisation: String
    let organisationName: String
    /// The municipality's Finnish name, as the requests take it.
    let municipality: String
    let municipalitySlug: String
    /// The public finder page of the municipality.
    let page: String
    let name: String
    let description: String
    let place: String
    let address: String
    let postalCode: String
    let city: String
    let themes: [String]
    let languages: [String]
    let access: String
    let phone: String
    let email: String
    let url: String
    let chatService: String
    let hours: String
    let weekly: [Interval]
    let exceptions: [Exception]
    let updatedMs: Int64

    struct Interval: Encodable {
        /// 1 Monday … 7 Sunday.
        let weekday: Int
        let opens: String
        let closes: String
    }

    struct Exception: Encodable {
        let day: String
        let closed: Bool
        let opens: String?
        let closes: String?
        let note: String
    }

    init(_ p: HelpPoint, organisationName: String, municipality: String) {
        (id, organisation, self.organisationName, self.municipality, municipalitySlug) = (
            p.id.text(), p.organisation.text(), organisationName, municipality, p.municipality
        )
        page = "/finder/\(p.municipality)"
        (name, description, place, address, postalCode, city) = (p.name, p.description, p.place.rawValue, p.address, p.postalCode, p.city)
        (themes, languages, access) = (p.themes.map(\.rawValue), p.languages, p.access.rawValue)
        (phone, email, url, chatService) = (p.phone, p.email, p.url, p.chatService ?? "")
        hours = WeeklyHoursText.format(p.hours)
        weekly = p.hours.map { Interval(weekday: $0.weekday, opens: WeeklyHoursText.clock($0.opens), closes: WeeklyHoursText.clock($0.closes)) }
        exceptions = p.exceptions.sorted { $0.day < $1.day }.map { e in
            Exception(
                day: e.day.description, closed: e.hours == nil, opens: e.hours.map { WeeklyHoursText.clock($0.opens) },
                closes: e.hours.map { WeeklyHoursText.clock($0.closes) }, note: e.note)
        }
        updatedMs = p.updatedMs
    }
}

/// The 400 answer for refused fields: the first field's code and message,
/// and every field with its own.
struct RefusedJSON: Encodable {
    let code: String
    let message: String
    let fields: [Field]

    struct Field: Encodable {
        let field: String
        let code: String
        let message: String
    }

    init(_ refused: RefusedFields, message: (FinderRefusal) -> String) {
        let first = refused.problems.first?.refusal ?? .required
        (code, self.message) = (first.rawValue, message(first))
        fields = refused.problems.map { Field(field: $0.field, code: $0.refusal.rawValue, message: message($0.refusal)) }
    }
}
