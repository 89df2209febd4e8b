import Foundation
import KohtaamoBase

/// The public finder of digital help: municipalities, their help points
/// with opening hours, and the pop-up events and group sessions that
/// digital support publishes; and the coordinators' upkeep of the points.
package struct FinderService: Sendable {
    package let repository: any FinderRepository
    package let services: any ServiceDirectory
    /// Digital support's events and sessions (empty in a build without it).
    package let happenings: [any HappeningSource]
    package let audit: AuditLog
    package let clock: AppClock
    /// The public pages' visits, counted for the statistics.
    package let visits: FinderVisits

    package init(
        repository: any FinderRepository, services: any ServiceDirectory, happenings: [any HappeningSource], audit: AuditLog, clock: AppClock
    ) {
        (self.repository, self.services, self.happenings, self.audit, self.clock) = (repository, services, happenings, audit, clock)
        visits = FinderVisits(repository: repository, clock: clock)
    }

    /// How far ahead the finder shows happenings.
    package static let aheadDays = 60

    // MARK: the public side

    /// A municipality's page: its help points (those matching the theme and
    /// language asked for), each with whether it is open now, and what
    /// happens there in the coming weeks.
    package struct Listing: Sendable {
        package var municipality: Municipality
        package var points: [Point]
        package var happenings: [Happening]
        /// Points in the municipality before the search's filters.
        package var total: Int
    }

    package struct Point: Sendable {
        package var point: HelpPoint
        package var organisationName: String
        package var status: Schedule.Status
        /// For an online point with a platform chat: is the chat open now?
        package var chatOpen: Bool?
    }

    /// Municipalities with help points, by Finnish name.
    package func municipalities() async throws -> [Municipality] { try await repository.municipalities() }

    package func listing(slug: String, theme: DigitalTheme?, language: String?, in lang: Language) async throws -> Listing? {
        guard let municipality = try await repository.municipality(slug: slug) else { return nil }
        let all = try await repository.points(municipality: slug)
        let now = clock.now
        var points: [Point] = []
        var names: [UUID: String] = [:]
        for p in all where (theme.map { p.themes.contains($0) } ?? true) && (language.map { p.languages.contains($0) } ?? true) {
            if names[p.organisation] == nil { names[p.organisation] = try await services.organisationName(p.organisation, language: lang) ?? "" }
            var chatOpen: Bool?
            if let chat = p.chatService { chatOpen = try await services.service(slug: chat).map { $0.isPublic && $0.openNow } }
            points.append(Point(point: p, organisationName: names[p.organisation] ?? "", status: p.schedule.status(at: now), chatOpen: chatOpen))
        }
        let happenings = try await self.happenings(municipality: slug).filter { h in
            (theme.map { h.themes.isEmpty || h.themes.contains($0) } ?? true) && (language.map { h.languages.contains($0) } ?? true)
        }
        return Listing(municipality: municipality, points: points, happenings: happenings, total: all.count)
    }

    /// The municipality's public happenings from now to `aheadDays` on, soonest first.
    package func happenings(municipality slug: String) async throws -> [Happening] {
        let from = clock.nowMs, to = from + Int64(Self.aheadDays) * 86_400_000
        var all: [Happening] = []
        for source in happenings { all += try await source.happenings(municipality: slug, fromMs: from, toMs: to) }
        return all.sorted { ($0.startMs, $0.id.uuidString) < ($1.startMs, $1.id.uuidString) }
    }

    // MARK: upkeep by coordinators

    /// The organisations whose points `p` keeps: a coordinator their own, a network coordinator the network's.
    package func organisations(of p: StaffPrincipal, language: Language) async throws -> [(id: UUID, name: String)] {
        switch p.role {
        case .networkCoordinator: try await services.organisations(network: p.networkID, language: language)
        case .coordinator:
            [(p.organisationID, try await services.organisationName(p.organisationID, language: language) ?? "")]
        case .worker, .volunteer: []
        }
    }

    package func points(of p: StaffPrincipal) async throws -> [HelpPoint] {
        guard p.role.canAdminister else { throw FinderRefusal.notAllowed }
        return try await repository.points(organisations: try await organisations(of: p, language: .fi).map(\.id))
    }

    /// A point `p` keeps; not found for anyone else's (so ids of other networks tell nothing).
    package func point(_ id: UUID, of p: StaffPrincipal) async throws -> HelpPoint {
        guard p.role.canAdminister else { throw FinderRefusal.notAllowed }
        guard let point = try await repository.point(id: id),
            try await organisations(of: p, language: .fi).contains(where: { $0.id == point.organisation })
        else { throw FinderRefusal.notFound }
        return point
    }

    /// Checks a draft as `p` would save it: the point, or every refused field.
    /// `existing` keeps the point's id (an edit); municipalities not yet known come back to be added with it.
    package func check(_ d: HelpPointDraft, by p: StaffPrincipal, existing: UUID? = nil, language: Language = .fi) async throws -> Result<
        (point: HelpPoint, municipality: Municipality), RefusedFields
    > {
        guard p.role.canAdminister else { throw FinderRefusal.notAllowed }
        var problems: [FieldProblem] = []
        let name = Self.text("name", d.name, max: 120, required: true, &problems)
        let description = Self.text("description", d.description, max: 1000, required: false, &problems)
        let municipalityName = Self.text("municipality", d.municipality, max: 60, required: true, &problems)
        var municipality: Municipality?
        if !municipalityName.isEmpty {
            if let slug = MunicipalitySlug.make(municipalityName) {
                municipality =
                    try await repository.municipality(slug: slug)
                    ?? Municipality(slug: slug, names: .init(fi: municipalityName, sv: municipalityName, en: municipalityName))
            } else {
                problems.append(.init("municipality", .badMunicipality))
            }
        }
        // The organisation: by name among those `p` keeps; empty is their own.
        let mine = try await organisations(of: p, language: language)
        let orgName = d.organisation.trimmingCharacters(in: .whitespaces)
        let organisation =
            orgName.isEmpty
            ? mine.first { $0.id == p.organisationID }?.id
            : mine.first { $0.name.caseInsensitiveCompare(orgName) == .orderedSame || $0.id.text() == orgName.lowercased() }?.id
        if organisation == nil { problems.append(.init("organisation", .badOrganisation)) }
        let place = PlaceKind(rawValue: d.place.trimmingCharacters(in: .whitespaces).lowercased())
        if place == nil { problems.append(.init("place", d.place.isEmpty ? .required : .badPlace)) }
        let address = Self.text("address", d.address, max: 200, required: place != nil && place != .online, &problems)
        let postal = d.postalCode.trimmingCharacters(in: .whitespaces)
        if !postal.isEmpty && !(postal.count == 5 && postal.allSatisfy { $0.isASCII && $0.isNumber }) {
            problems.append(.init("postal_code", .badPostalCode))
        }
        let city = Self.text("city", d.city, max: 80, required: false, &problems)
        let themes = DigitalTheme.list(d.themes)
        if !themes.unknown.isEmpty {
            problems.append(.init("themes", .badTheme))
        } else if themes.themes.isEmpty {
            problems.append(.init("themes", .required))
        }
        let languages = Self.languages(d.languages)
        if languages == nil {
            problems.append(.init("languages", .badLanguage))
        } else if languages!.isEmpty {
            problems.append(.init("languages", .required))
        }
        let access = Access(rawValue: d.access.trimmingCharacters(in: .whitespaces).lowercased())
        if access == nil { problems.append(.init("access", d.access.isEmpty ? .required : .badAccess)) }
        let phone = d.phone.trimmingCharacters(in: .whitespaces)
        if !phone.isEmpty && !Self.isPhone(phone) { problems.append(.init("phone", .badPhone)) }
        let email = d.email.trimmingCharacters(in: .whitespaces)
        if !email.isEmpty && !Self.isEmail(email) { problems.append(.init("email", .badEmail)) }
        let url = d.url.trimmingCharacters(in: .whitespaces)
        if !url.isEmpty && !Self.isWebAddress(url) { problems.append(.init("url", .badURL)) }
        let chat = d.chatService.trimmingCharacters(in: .whitespaces).lowercased()
        if !chat.isEmpty {
            let ok = try await services.services(network: p.networkID).contains { $0.slug == chat && $0.kind == .supportChat && $0.isPublic }
            if !ok { problems.append(.init("chat_service", .badChat)) }
        }
        let hours = WeeklyHoursText.parse(d.hours)
        if hours == nil { problems.append(.init("hours", .badHours)) }
        // An edit is of a point `p` keeps (not found otherwise), and keeps its exceptions (edited on their own).
        let old = try await existing.asyncMap { try await self.point($0, of: p) }
        guard problems.isEmpty, let municipality, let organisation, let place, let languages, let access, let hours else {
            return .failure(RefusedFields(problems))
        }
        let checked = HelpPoint(
            id: existing ?? UUID(), organisation: organisation, municipality: municipality.slug, name: name, description: description, place: place,
            address: address, postalCode: postal, city: city, themes: themes.themes, languages: languages, access: access, phone: phone,
            email: email, url: url, chatService: chat.isEmpty ? nil : chat, hours: hours, exceptions: old?.exceptions ?? [], updatedMs: clock.nowMs)
        return .success((checked, municipality))
    }

    /// Saves a checked draft; the point or the refused fields.
    package func save(_ d: HelpPointDraft, by p: StaffPrincipal, existing: UUID? = nil, language: Language = .fi) async throws -> Result<
        HelpPoint, RefusedFields
    > {
        switch try await check(d, by: p, existing: existing, language: language) {
        case .failure(let problems): return .failure(problems)
        case .success(let checked):
            try await repository.save([checked.point], municipalities: [checked.municipality])
            try await record(p, existing == nil ? "finder.point.add" : "finder.point.edit", checked.point.id.text())
            return .success(checked.point)
        }
    }

    package func delete(_ id: UUID, by p: StaffPrincipal) async throws {
        let point = try await point(id, of: p)
        try await repository.delete(point: point.id)
        try await record(p, "finder.point.delete", point.id.text())
    }

    func record(_ p: StaffPrincipal, _ action: String, _ target: String) async throws {
        try await audit.record(
            .init(at: clock.now, staffID: p.staffID, staffName: p.workName, organisationID: p.organisationID, action: action, target: target))
    }

    // MARK: rules of single fields

    /// Trimmed text, with a refusal when required and empty or longer than `max`.
    static func text(_ field: String, _ value: String, max: Int, required: Bool, _ problems: inout [FieldProblem]) -> String {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if required && v.isEmpty {
            problems.append(.init(field, .required))
        } else if v.count > max {
            problems.append(.init(field, .tooLong))
        }
        return v
    }

    /// "fi, sv,EN" → ["fi", "sv", "en"]; nil if a code is not two or three letters.
    static func languages(_ text: String) -> [String]? {
        var out: [String] = []
        for code in text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == " " }).map({ $0.lowercased() }) {
            guard (2...3).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
            if !out.contains(code) { out.append(code) }
        }
        return out
    }

    static func isPhone(_ s: String) -> Bool {
        let digits = s.filter { $0.isASCII && $0.isNumber }.count
        return s.count <= 30 && digits >= 5 && s.allSatisfy { ($0.isASCII && $0.isNumber) || " +-()".contains($0) }
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return s.count <= 120 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
    }

    /// An http(s) address with a host; nothing that a page could run.
    static func isWebAddress(_ s: String) -> Bool {
        guard s.count <= 300, let u = URL(string: s), let scheme = u.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = u.host, host.contains(".")
        else { return false }
        return !s.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" })
    }
}
