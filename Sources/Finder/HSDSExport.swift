import Foundation
import KohtaamoBase

/// Help points as Open Referral HSDS 3.0: each point is a service of the
/// organisation that keeps it, at one location (its address, or a virtual
/// one for online help) with one service_at_location that carries the
/// weekly hours; its themes are terms of one taxonomy, attached as
/// attributes. Ids of what is not stored on its own are name-based UUIDs of
/// the point's id, so they stay the same from one answer to the next.
struct HSDSExport {
    /// The catalogue of the reader's language (theme, place and access texts).
    let t: [String: String]
    let language: Language
    /// Organisation names in the reader's language.
    let organisations: [UUID: String]
    let municipalities: [String: Municipality]
    /// Helsinki's offset from UTC now, in hours: HSDS's `timezone` is a number.
    let utcOffset: Int

    /// Fixed for Kohtaamo: the taxonomy's and its terms' ids come from it.
    static let namespace = UUID(uuidString: "4b1f6f0e-5d0c-4a57-9a43-2f7e0f5c3d11")!
    static let taxonomyID = UUID(name: "taxonomy:digital-themes", in: namespace)
    static func termID(_ theme: DigitalTheme) -> UUID { UUID(name: "digital-theme:" + theme.rawValue, in: namespace) }
    static func locationID(_ point: UUID) -> UUID { UUID(name: "location", in: point) }
    static func serviceAtLocationID(_ point: UUID) -> UUID { UUID(name: "service_at_location", in: point) }

    /// The service at location's id back to its point, by computing each point's (a few thousand hashes).
    static func point(serviceAtLocation id: UUID, in points: [HelpPoint]) -> HelpPoint? {
        points.first { serviceAtLocationID($0.id) == id }
    }

    static func timestamp(_ ms: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    // MARK: taxonomy

    var taxonomy: HSDS.Taxonomy {
        HSDS.Taxonomy(
            id: Self.taxonomyID.text(), name: t["hsds_taxonomy_name"] ?? "", description: t["hsds_taxonomy_description"] ?? "", version: "1")
    }

    func term(_ theme: DigitalTheme) -> HSDS.TaxonomyTerm {
        HSDS.TaxonomyTerm(
            id: Self.termID(theme).text(), code: theme.rawValue, name: t["hsds_theme_" + theme.rawValue] ?? theme.rawValue,
            description: t["hsds_theme_\(theme.rawValue)_description"] ?? "", taxonomy: t["hsds_taxonomy_name"] ?? "",
            taxonomy_id: Self.taxonomyID.text(), language: language.rawValue)
    }

    // MARK: organisations

    func organization(_ id: UUID, services: [HSDS.Service]? = nil) -> HSDS.Organization {
        HSDS.Organization(id: id.text(), name: organisations[id] ?? "", description: t["hsds_organization_description"] ?? "", services: services)
    }

    // MARK: services

    /// The list form: the service's own fields only.
    func service(_ p: HelpPoint) -> HSDS.Service {
        HSDS.Service(
            id: p.id.text(), organization_id: p.organisation.text(), name: p.name, description: Views.nonEmpty(p.description),
            url: Views.nonEmpty(p.url), email: Views.nonEmpty(p.email), status: "active",
            application_process: t["hsds_access_" + p.access.rawValue] ?? p.access.rawValue, last_modified: Self.timestamp(p.updatedMs))
    }

    /// The full form: with its organisation, phone, languages, themes and its service at location (with location and hours).
    func fullService(_ p: HelpPoint) -> HSDS.Service {
        var s = service(p)
        s.organization = organization(p.organisation)
        s.phones = p.phone.isEmpty ? [] : [HSDS.Phone(id: UUID(name: "phone", in: p.id).text(), service_id: p.id.text(), number: p.phone)]
        s.languages = p.languages.map { code in
            HSDS.LanguageItem(
                id: UUID(name: "language:" + code, in: p.id).text(), service_id: p.id.text(),
                name: Locale(identifier: language.rawValue).localizedString(forLanguageCode: code) ?? code, code: code)
        }
        s.attributes = p.themes.map { theme in
            HSDS.Attribute(
                id: UUID(name: "attribute:" + theme.rawValue, in: p.id).text(), link_id: p.id.text(), link_type: "digital_theme",
                link_entity: "service", taxonomy_term_id: Self.termID(theme).text(), taxonomy_term: term(theme))
        }
        s.service_at_locations = [fullServiceAtLocation(p, withService: false)]
        return s
    }

    // MARK: services at locations

    func serviceAtLocation(_ p: HelpPoint) -> HSDS.ServiceAtLocation {
        HSDS.ServiceAtLocation(
            id: Self.serviceAtLocationID(p.id).text(), service_id: p.id.text(), location_id: Self.locationID(p.id).text(),
            description: Views.nonEmpty(p.description))
    }

    /// The list form has its location and service (their own fields); the full one also the hours, and the whole service.
    func listedServiceAtLocation(_ p: HelpPoint) -> HSDS.ServiceAtLocation {
        var sal = serviceAtLocation(p)
        (sal.location, sal.service) = (location(p, withAddress: false), service(p))
        return sal
    }

    func fullServiceAtLocation(_ p: HelpPoint, withService: Bool = true) -> HSDS.ServiceAtLocation {
        var sal = serviceAtLocation(p)
        (sal.location, sal.schedules) = (location(p, withAddress: true), schedules(p))
        if withService { sal.service = fullService(p) }
        return sal
    }

    /// A physical location with its street address, or a virtual one (with the point's web address) for online help.
    func location(_ p: HelpPoint, withAddress: Bool) -> HSDS.Location {
        let id = Self.locationID(p.id).text()
        var l = HSDS.Location(
            id: id, location_type: p.online ? "virtual" : "physical", organization_id: p.organisation.text(), name: p.name,
            description: t["hsds_place_" + p.place.rawValue] ?? p.place.rawValue, url: p.online ? Views.nonEmpty(p.url) : nil)
        if withAddress {
            let city = p.city.isEmpty ? (municipalities[p.municipality]?.names.fi ?? p.municipality) : p.city
            l.addresses =
                p.online
                ? []
                : [
                    HSDS.Address(
                        id: UUID(name: "address", in: p.id).text(), location_id: id, address_1: p.address, city: city,
                        // Finland has no states or provinces; HSDS requires the field.
                        state_province: "", postal_code: p.postalCode, country: "FI", address_type: "physical")
                ]
        }
        return l
    }

    /// Weekly hours as iCalendar-style schedules (the days that share the
    /// same opening and closing time in one), then each day that differs
    /// (a holiday closed, a day with other hours) as a schedule valid on
    /// that day only. HSDS has no word for "closed"; such a day has no
    /// hours, and its description and notes say it replaces the weekly ones.
    func schedules(_ p: HelpPoint) -> [HSDS.Schedule] {
        weeklySchedules(p) + exceptionSchedules(p)
    }

    func exceptionSchedules(_ p: HelpPoint) -> [HSDS.Schedule] {
        let sal = Self.serviceAtLocationID(p.id).text()
        return p.exceptions.sorted { $0.day < $1.day }.map { e in
            let day = e.day.description
            let hours = e.hours.map { (WeeklyHoursText.clock($0.opens), WeeklyHoursText.clock($0.closes)) }
            let what = hours.map { "\(day) \($0.0)-\($0.1)" } ?? "\(day) \(t["hsds_closed"] ?? "closed")"
            return HSDS.Schedule(
                id: UUID(name: "exception:\(day)", in: p.id).text(), service_at_location_id: sal, valid_from: day, valid_to: day,
                opens_at: hours?.0, closes_at: hours?.1, timezone: utcOffset, description: "\(what) (Europe/Helsinki)",
                notes: [t["hsds_exception_note"], Views.nonEmpty(e.note)].compactMap { $0 }.joined(separator: " "))
        }
    }

    func weeklySchedules(_ p: HelpPoint) -> [HSDS.Schedule] {
        var spans: [(opens: Int, closes: Int, days: [Int])] = []
        for h in p.hours {
            if let i = spans.firstIndex(where: { $0.opens == h.opens && $0.closes == h.closes }) {
                spans[i].days.append(h.weekday)
            } else {
                spans.append((h.opens, h.closes, [h.weekday]))
            }
        }
        let sal = Self.serviceAtLocationID(p.id).text()
        return spans.map { span in
            let days = span.days.sorted().map { WeeklyHoursText.codes[$0 - 1] }.joined(separator: ",")
            let (opens, closes) = (WeeklyHoursText.clock(span.opens), WeeklyHoursText.clock(span.closes))
            return HSDS.Schedule(
                id: UUID(name: "schedule:\(span.opens)-\(span.closes)", in: p.id).text(), service_at_location_id: sal, freq: "WEEKLY",
                wkst: "MO", byday: days, opens_at: opens, closes_at: closes, timezone: utcOffset,
                description: "\(days) \(opens)-\(closes) (Europe/Helsinki)")
        }
    }
}
