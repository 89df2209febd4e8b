import Foundation
import Hummingbird
import KohtaamoBase

/// Coordinator pages for services: names and descriptions in three
/// languages, languages served, sharing within the network, opening hours
/// and exceptions.
struct ServiceAdminController {
    let repository: any NetworkRepository
    let views: Views
    let clock: AppClock

    /// Languages a service can say it serves.
    static let languageOptions = ["fi", "sv", "en", "se", "ru", "uk", "et", "ar", "so"]

    func addRoutes(to router: Router<AppRequestContext>) {
        let services = router.group("/admin/services", context: CoordinatorContext.self)
        services.get(use: list)
        services.get("new", use: newPage)
        services.post("new", use: save)
        services.get("{id}", use: editPage)
        services.post("{id}", use: save)
        services.get("{id}/hours", use: hoursPage)
        services.post("{id}/hours", use: saveHours)
        services.post("{id}/exceptions", use: addException)
        services.post("{id}/exceptions/{day}/delete", use: deleteException)
    }

    private func t(_ context: CoordinatorContext) -> [String: String] { views.localizer.catalogue(context.language) }

    /// Organisations `me` manages, within their network.
    private func manageable(_ me: StaffPrincipal) async throws -> [Organisation] {
        try await repository.organisations(network: me.networkID).filter { me.canManage(organisation: $0.id, inNetwork: $0.networkID) }
    }

    /// The service of the path, if `me` manages its organisation; else 404.
    private func target(_ context: CoordinatorContext, _ me: StaffPrincipal) async throws -> ServiceRecord {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let s = try await repository.service(id: id),
            let org = try await repository.organisation(id: s.organisationID),
            me.canManage(organisation: org.id, inNetwork: org.networkID)
        else { throw AppError.notFound }
        return s
    }

    func list(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let lang = context.language
        let orgs = try await manageable(me)
        let names = Dictionary(orgs.map { ($0.id, $0.names.in(lang)) }, uniquingKeysWith: { a, _ in a })
        let text = ScheduleText(localizer: views.localizer, lang: lang)
        var items: [ServicesAdminPage.Service] = []
        for s in try await repository.services(network: me.networkID) where names[s.organisationID] != nil {
            let status = text.status(try await repository.schedule(service: s.id), now: clock.now)
            items.append(
                .init(
                    id: s.id.uuidString, slug: s.slug, name: s.names.in(lang), organisation: names[s.organisationID]!,
                    kind: views.localizer.t("kind_\(s.kind.rawValue)", lang), isPublic: s.isPublic, status: status.text))
        }
        return views.page(
            .adminServices, title: views.title(views.localizer.t("services_title", context.language)), request: request, context: context,
            model: ServicesAdminPage(services: items, hasServices: !items.isEmpty))
    }

    private func render(
        _ request: Request, _ context: CoordinatorContext, _ me: StaffPrincipal, service: ServiceRecord?,
        isNew: Bool, errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let lang = context.language
        let t = t(context)
        let orgs = try await manageable(me)
        let all = try await repository.organisations(network: me.networkID)
        let s = service
        let shares = all.filter { $0.id != s?.organisationID }
        let data = ServiceFormPage(
            hasShares: !shares.isEmpty,
            isNew: isNew,
            id: s?.id.uuidString ?? "",
            action: isNew ? "/admin/services/new" : "/admin/services/\(s!.id.uuidString)",
            slug: s?.slug ?? "",
            nameFi: s?.names.fi ?? "", nameSv: s?.names.sv ?? "", nameEn: s?.names.en ?? "",
            descriptionFi: s?.descriptions.fi ?? "", descriptionSv: s?.descriptions.sv ?? "", descriptionEn: s?.descriptions.en ?? "",
            isPublic: s?.isPublic ?? true,
            kinds: ServiceKind.allCases.map {
                .init(value: $0.rawValue, label: t["kind_\($0.rawValue)"] ?? $0.rawValue, selected: $0 == (s?.kind ?? .supportChat))
            },
            languages: Self.languageOptions.map {
                .init(value: $0, label: t["language_\($0)"] ?? $0, checked: (s?.languages ?? ["fi"]).contains($0))
            },
            organisations: orgs.map {
                .init(value: $0.id.uuidString, label: $0.names.in(lang), selected: $0.id == (s?.organisationID ?? me.organisationID))
            },
            shares: shares.map { .init(value: $0.id.uuidString, label: $0.names.in(lang), checked: s?.sharedWith.contains($0.id) ?? false) }
        )
        let title = isNew ? views.localizer.t("service_new_title", lang) : (s?.names.in(lang) ?? "")
        return views.page(
            .serviceForm, title: views.title(title, views.localizer.t("services_title", context.language)), request: request, context: context,
            status: status, model: data, errors: errors)
    }

    func newPage(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await render(request, context, context.staff, service: nil, isNew: true)
    }

    func editPage(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        return try await render(request, context, me, service: try await target(context, me), isNew: false)
    }

    /// Creates (`/admin/services/new`) or updates a service from its form.
    func save(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        let existing = context.parameters.get("id") == nil ? nil : try await target(context, me)
        let orgs = try await manageable(me)
        let all = try await repository.organisations(network: me.networkID)
        var errors = FieldErrors()
        let slug = form["slug"].lowercased()
        if !Validate.slug(slug) { errors.add("slug", "error_slug") }
        let kind = ServiceKind(rawValue: form["kind"])
        if kind == nil { errors.add("kind", "error_kind") }
        for field in ["nameFi", "nameSv", "nameEn"] {
            let value = form[field]
            let range = field == "nameFi" ? 2...80 : 0...80
            if !Validate.length(value, range) || !Validate.plainLine(value) { errors.add(field, field == "nameFi" ? "error_name_fi" : "error_name") }
        }
        for field in ["descriptionFi", "descriptionSv", "descriptionEn"] where !Validate.length(form[field], 0...2000) {
            errors.add(field, "error_description")
        }
        let languages = Self.languageOptions.filter { form.values("languages").contains($0) }
        if languages.isEmpty { errors.add("languages", "error_languages") }
        let org = UUID(uuidString: form["organisation"])
        if org == nil || !orgs.contains(where: { $0.id == org }) { errors.add("organisation", "error_organisation") }
        let shares = form.values("shares").compactMap(UUID.init(uuidString:)).filter { id in all.contains { $0.id == id } && id != org }
        let record = ServiceRecord(
            id: existing?.id ?? UUID(), organisationID: org ?? me.organisationID, slug: slug, kind: kind ?? .other,
            names: .init(fi: form["nameFi"], sv: form["nameSv"], en: form["nameEn"]),
            descriptions: .init(fi: form["descriptionFi"], sv: form["descriptionSv"], en: form["descriptionEn"]),
            languages: languages, isPublic: form.has("isPublic"), sharedWith: shares, staffOnly: existing?.staffOnly ?? false)
        // Staff-only (a working group, set by its group settings): clients must never see it.
        if record.staffOnly, record.isPublic { errors.add("isPublic", "error_service_only_for_staff") }
        if errors.isEmpty {
            do {
                _ = try await repository.saveService(record, at: clock.now)
                return Views.redirect(existing == nil ? "/admin/services/\(record.id.uuidString)/hours" : "/admin/services")
            } catch NetworkError.slugTaken {
                errors.add("slug", "error_slug_taken")
            }
        }
        return try await render(request, context, me, service: record, isNew: existing == nil, errors: errors, status: .badRequest)
    }

    // MARK: opening hours

    private func renderHours(
        _ request: Request, _ context: CoordinatorContext, service s: ServiceRecord, form: Form? = nil,
        exceptionForm: Form? = nil, errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let lang = context.language
        let text = ScheduleText(localizer: views.localizer, lang: lang)
        let schedule = try await repository.schedule(service: s.id)
        let days: [HoursPage.Day] = (1...7).map { weekday in
            let interval = schedule.weekly.first { $0.weekday == weekday }
            return .init(
                weekday: weekday, label: views.localizer.t("weekday_\(weekday)", lang),
                opens: form?["opens_\(weekday)"] ?? interval.map { text.time($0.opens) } ?? "",
                closes: form?["closes_\(weekday)"] ?? interval.map { text.time($0.closes) } ?? "",
                errOpens: errors.key(for: "opens_\(weekday)").map { views.localizer.t($0, lang) })
        }
        let exceptions: [HoursPage.Exception] = schedule.exceptions.values.sorted { $0.day < $1.day }.map { e in
            .init(
                day: e.day.description,
                hours: e.hours.map { "\(text.time($0.opens))–\(text.time($0.closes))" } ?? views.localizer.t("hours_closed", lang),
                note: Views.nonEmpty(e.note))
        }
        let openStatus = text.status(schedule, now: clock.now)
        return views.page(
            .hoursForm, title: views.title(views.localizer.t("hours_title", lang), s.names.in(lang)), request: request,
            context: context, status: status,
            model: HoursPage(
                id: s.id.uuidString, name: s.names.in(lang), slug: s.slug, days: days, exceptions: exceptions,
                hasExceptions: !exceptions.isEmpty, status: openStatus.text,
                exDay: exceptionForm?["day"] ?? "", exOpens: exceptionForm?["opens"] ?? "",
                exCloses: exceptionForm?["closes"] ?? "", exNote: exceptionForm?["note"] ?? "",
                exClosed: exceptionForm.map { $0.has("closed") } ?? true,
                saved: request.uri.queryParameters["saved"] != nil
            ), errors: errors)
    }

    func hoursPage(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        return try await renderHours(request, context, service: try await target(context, me))
    }

    /// Parses the week's rows: both times or neither (closed); closing after opening.
    static func parseWeek(_ form: Form, errors: inout FieldErrors) -> [WeeklyInterval] {
        var intervals: [WeeklyInterval] = []
        for weekday in 1...7 {
            let o = form["opens_\(weekday)"], c = form["closes_\(weekday)"]
            if o.isEmpty && c.isEmpty { continue }
            guard let opens = Schedule.parseTime(o), let closes = Schedule.parseTime(c) else {
                errors.add("opens_\(weekday)", "error_time"); continue
            }
            guard closes > opens else { errors.add("opens_\(weekday)", "error_time_order"); continue }
            intervals.append(WeeklyInterval(weekday: weekday, opens: opens, closes: closes))
        }
        return intervals
    }

    func saveHours(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        let s = try await target(context, me)
        var errors = FieldErrors()
        let intervals = Self.parseWeek(form, errors: &errors)
        guard errors.isEmpty else { return try await renderHours(request, context, service: s, form: form, errors: errors, status: .badRequest) }
        try await repository.replaceWeeklyHours(service: s.id, intervals)
        return Views.redirect("/admin/services/\(s.id.uuidString)/hours?saved=1")
    }

    func addException(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        let s = try await target(context, me)
        var errors = FieldErrors()
        let day = LocalDay(form["day"])
        if day == nil { errors.add("exDay", "error_date") }
        var hours: (opens: Int, closes: Int)?
        if !form.has("closed") {
            if let o = Schedule.parseTime(form["opens"]), let c = Schedule.parseTime(form["closes"]) {
                if c > o { hours = (o, c) } else { errors.add("exOpens", "error_time_order") }
            } else {
                errors.add("exOpens", "error_time")
            }
        }
        if !Validate.length(form["note"], 0...120) || !Validate.plainLine(form["note"]) { errors.add("exNote", "error_note") }
        guard errors.isEmpty, let day else {
            return try await renderHours(request, context, service: s, exceptionForm: form, errors: errors, status: .badRequest)
        }
        try await repository.saveException(service: s.id, DayException(day: day, hours: hours, note: form["note"]))
        return Views.redirect("/admin/services/\(s.id.uuidString)/hours?saved=1#exceptions")
    }

    func deleteException(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        _ = try await Form.read(request, context: context)
        let s = try await target(context, me)
        guard let day = context.parameters.get("day").flatMap(LocalDay.init) else { throw AppError.notFound }
        try await repository.deleteException(service: s.id, day: day)
        return Views.redirect("/admin/services/\(s.id.uuidString)/hours?saved=1#exceptions")
    }
}
