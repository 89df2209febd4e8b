import Foundation
import Hummingbird
import KohtaamoBase

/// The coordinators' upkeep of help points, without JavaScript: the list
/// (`/admin/finder`), the form of a new point or one to edit with its
/// exceptions (`/admin/finder/new`, `/admin/finder/{point}`), and removing
/// a point after a confirmation. The rules are `FinderService`'s; refused
/// fields come back beside the fields, with what was typed.
struct FinderUpkeepPagesController {
    let finder: FinderService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let admin = router.group("/admin/finder", context: CoordinatorContext.self)
        admin.get(use: list)
        admin.get("new", use: newForm)
        admin.post("new", use: make)
        admin.get("{point}", use: editForm)
        admin.post("{point}", use: edit)
        admin.post("{point}/exceptions", use: addException)
        admin.post("{point}/exceptions/{day}/delete", use: deleteException)
        admin.get("{point}/delete", use: deleteForm)
        admin.post("{point}/delete", use: delete)
    }

    func text(_ context: CoordinatorContext) -> UpkeepText {
        UpkeepText(t: views.localizer.catalogue(context.language), schedule: ScheduleText(localizer: views.localizer, lang: context.language))
    }

    private func load(_ context: CoordinatorContext) async throws -> HelpPoint {
        let id = try FinderAPIController.pointID(context)
        return try await FinderAPIController.refusing { try await finder.point(id, of: context.staff) }
    }

    private func municipalityName(_ slug: String) async throws -> String {
        try await finder.repository.municipality(slug: slug)?.names.fi ?? slug
    }

    // MARK: the list

    func list(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let x = text(context)
        let p = context.staff
        let points = try await FinderAPIController.refusing { try await finder.points(of: p) }
        let organisations = try await finder.organisations(of: p, language: context.language)
        let names = Dictionary(organisations.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let today = Schedule.localDay(of: finder.clock.now)
        var groups: [FinderListPage.Municipality] = []
        // The repository gives them by municipality slug, then name.
        for slug in points.map(\.municipality).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
            let rows = points.filter { $0.municipality == slug }.map { point -> FinderListPage.Row in
                let ahead = point.exceptions.filter { $0.day >= today }.count
                return FinderListPage.Row(
                    id: point.id.text(), name: point.name, organisation: names[point.organisation] ?? "", place: x.place(point.place),
                    address: Views.nonEmpty(
                        [point.address, [point.postalCode, point.city].filter { !$0.isEmpty }.joined(separator: " ")]
                            .filter { !$0.isEmpty }.joined(separator: ", ")),
                    access: x.access(point.access), hours: x.hours(point.hours), exceptionsAhead: ahead == 0 ? nil : String(ahead))
            }
            groups.append(.init(slug: slug, name: try await municipalityName(slug), page: "/finder/\(slug)", points: rows))
        }
        return views.page(
            .adminFinder, title: views.title(x.s("finder_upkeep_title"), x.s("admin_title")), request: request, context: context,
            model: FinderListPage(
                municipalities: groups, hasPoints: !points.isEmpty, deleted: request.uri.queryParameters["deleted"] == "1",
                showOrganisation: organisations.count > 1))
    }

    // MARK: the form

    /// What was typed in the form (or the point's values).
    func typed(_ form: Form) -> HelpPointDraft {
        var d = HelpPointDraft()
        for field in HelpPointDraft.fields where field != "themes" { d[field] = form[field] }
        d.themes = form.values("themes").joined(separator: ",")
        return d
    }

    func typed(_ point: HelpPoint, _ x: UpkeepText) async throws -> HelpPointDraft {
        var d = HelpPointDraft(point, municipality: try await municipalityName(point.municipality), organisation: point.organisation.text())
        d.hours = x.hoursLine(point.hours)
        return d
    }

    /// The exception form as typed, and its refusals.
    struct ExceptionTyped {
        var draft = ExceptionDraft()
        var refused: RefusedFields?
    }

    private func render(
        _ request: Request, _ context: CoordinatorContext, point: HelpPoint?, typed d: HelpPointDraft, refused: RefusedFields? = nil,
        exception: ExceptionTyped = ExceptionTyped(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let x = text(context)
        let p = context.staff
        var errors = FieldErrors()
        var e: [String: String] = [:]
        for problem in refused?.problems ?? [] where e[problem.field] == nil {
            e[problem.field] = x.error(problem.refusal)
            // The summary leads to the field; for the themes, to their first box.
            errors.add(
                problem.field == "themes" ? "point-themes-\(DigitalTheme.allCases[0].rawValue)" : "point-\(problem.field)", problem.refusal.messageKey
            )
        }
        var ex: [String: String] = [:]
        for problem in exception.refused?.problems ?? [] where ex[problem.field] == nil {
            ex[problem.field] = x.error(problem.refusal)
            errors.add("ex-\(problem.field)", problem.refusal.messageKey)
        }
        func field(_ name: String, _ kind: String = "text", hint: Bool = false, options: [FieldOption] = [], maxlength: Int = 200) -> FormField {
            FormField(
                id: "point-\(name)", name: name, label: x.s("finder_upkeep_field_\(name)"),
                hint: hint ? x.s("finder_upkeep_field_\(name)_hint") : nil,
                value: d[name], error: e[name], kind: kind, options: options, maxlength: maxlength)
        }
        func choices(_ values: [(String, String)], _ chosen: String) -> [FieldOption] {
            // An empty first choice when nothing is chosen yet, so nothing is chosen for the person.
            (chosen.isEmpty ? [FieldOption(value: "", label: x.s("finder_upkeep_choose"), selected: true)] : [])
                + values.map { FieldOption(value: $0.0, label: $0.1, selected: $0.0 == chosen) }
        }
        let organisations = try await finder.organisations(of: p, language: context.language)
        let orgChosen = d.organisation.isEmpty ? p.organisationID.text() : d.organisation
        var about = [field("name", maxlength: 120), field("description", "textarea", hint: true, maxlength: 1000)]
        if organisations.count > 1 {
            about.append(
                FormField(
                    id: "point-organisation", name: "organisation", label: x.s("finder_upkeep_field_organisation"), value: orgChosen,
                    error: e["organisation"], kind: "select",
                    options: organisations.map { FieldOption(value: $0.id.text(), label: $0.name, selected: $0.id.text() == orgChosen) }))
        }
        let place = d.place.trimmingCharacters(in: .whitespaces).lowercased()
        let location = [
            field("municipality", hint: true, maxlength: 60),
            field("place", "select", options: choices(PlaceKind.allCases.map { ($0.rawValue, x.place($0)) }, place)),
            field("address", hint: true), field("postal_code", maxlength: 5), field("city", maxlength: 80),
        ]
        let chosenThemes = Set(DigitalTheme.list(d.themes).themes)
        let themes = DigitalTheme.allCases.map { FieldOption(value: $0.rawValue, label: x.theme($0), selected: chosenThemes.contains($0)) }
        let access = d.access.trimmingCharacters(in: .whitespaces).lowercased()
        let how = [
            field("access", "select", options: choices(Access.allCases.map { ($0.rawValue, x.access($0)) }, access)),
            field("languages", hint: true, maxlength: 100), field("hours", hint: true, maxlength: 300),
        ]
        // The network's public support chats by name; "none" first.
        let chats = try await finder.services.services(network: p.networkID).filter { $0.kind == .supportChat && $0.isPublic }
        let chat = d.chatService.trimmingCharacters(in: .whitespaces).lowercased()
        var chatOptions = [FieldOption(value: "", label: x.s("finder_upkeep_no_chat"), selected: chat.isEmpty)]
        chatOptions += chats.map { FieldOption(value: $0.slug, label: $0.names.in(context.language), selected: $0.slug == chat) }
        if !chat.isEmpty && !chats.contains(where: { $0.slug == chat }) {
            // A chat no longer public stays visible as typed, so the refusal beside it makes sense.
            chatOptions.append(FieldOption(value: chat, label: chat, selected: true))
        }
        let contact = [
            field("phone", maxlength: 30), field("email", maxlength: 120), field("url", hint: true, maxlength: 300),
            field("chat_service", "select", hint: true, options: chatOptions),
        ]
        let rows = point.map { x.schedule.upcomingExceptions($0.schedule, now: finder.clock.now, limit: 400) } ?? []
        let exd = exception.draft
        let exceptionFields = [
            FormField(
                id: "ex-day", name: "day", label: x.s("field_date"), hint: x.s("finder_upkeep_exception_day_hint"), value: exd.day,
                error: ex["day"], kind: "date"),
            FormField(
                id: "ex-note", name: "note", label: x.s("finder_upkeep_exception_note"), hint: x.s("finder_upkeep_exception_note_hint"),
                value: exd.note, error: ex["note"], maxlength: FinderService.maxExceptionNote),
        ]
        let exceptionTimes = [
            FormField(id: "ex-opens", name: "opens", label: x.s("field_opens"), value: exd.opens, error: ex["opens"], maxlength: 5),
            FormField(id: "ex-closes", name: "closes", label: x.s("field_closes"), value: exd.closes, error: ex["closes"], maxlength: 5),
        ]
        let name = point?.name
        let page = FinderFormPage(
            action: point.map { "/admin/finder/\($0.id.text())" } ?? "/admin/finder/new", isNew: point == nil, id: point?.id.text(), name: name,
            saved: point != nil && request.uri.queryParameters["saved"] == "1", publicPage: point.map { "/finder/\($0.municipality)" },
            about: about, location: location, themes: themes, themesError: e["themes"], how: how, contact: contact, exceptions: rows,
            hasExceptions: !rows.isEmpty, exceptionFields: exceptionFields, exceptionTimes: exceptionTimes, exClosed: exd.closed,
            exceptionSaved: point != nil && request.uri.queryParameters["exception"] == "1")
        let title = name.map { "\(x.s("finder_upkeep_edit_title")): \($0)" } ?? x.s("finder_upkeep_new_title")
        return views.page(
            .adminFinderForm, title: views.title(title, x.s("finder_upkeep_title")), request: request, context: context, status: status,
            model: page, errors: errors)
    }

    func newForm(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await render(request, context, point: nil, typed: HelpPointDraft())
    }

    func make(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let draft = typed(form)
        let result = try await FinderAPIController.refusing { try await finder.save(draft, by: context.staff, language: context.language) }
        switch result {
        case .success(let point): return Views.redirect("/admin/finder/\(point.id.text())?saved=1")
        case .failure(let r): return try await render(request, context, point: nil, typed: draft, refused: r, status: .badRequest)
        }
    }

    func editForm(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let point = try await load(context)
        return try await render(request, context, point: point, typed: try await typed(point, text(context)))
    }

    func edit(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let point = try await load(context)
        var draft = typed(form)
        // A coordinator's form has no organisation field: the point keeps its own.
        if draft.organisation.isEmpty { draft.organisation = point.organisation.text() }
        let result = try await FinderAPIController.refusing {
            try await finder.save(draft, by: context.staff, existing: point.id, language: context.language)
        }
        switch result {
        case .success: return Views.redirect("/admin/finder/\(point.id.text())?saved=1")
        case .failure(let r): return try await render(request, context, point: point, typed: draft, refused: r, status: .badRequest)
        }
    }

    // MARK: exceptions

    func addException(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let point = try await load(context)
        let draft = ExceptionDraft(day: form["day"], closed: form.has("closed"), opens: form["opens"], closes: form["closes"], note: form["note"])
        let result = try await FinderAPIController.refusing { try await finder.setException(draft, point: point.id, by: context.staff) }
        switch result {
        case .success: return Views.redirect("/admin/finder/\(point.id.text())?exception=1#exceptions")
        case .failure(let r):
            return try await render(
                request, context, point: point, typed: try await typed(point, text(context)), exception: ExceptionTyped(draft: draft, refused: r),
                status: .badRequest)
        }
    }

    func deleteException(_ request: Request, context: CoordinatorContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let point = try await load(context)
        let day = context.parameters.get("day") ?? ""
        _ = try await FinderAPIController.refusing { try await finder.deleteException(day: day, point: point.id, by: context.staff) }
        return Views.redirect("/admin/finder/\(point.id.text())?exception=1#exceptions")
    }

    // MARK: removing

    func deleteForm(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let x = text(context)
        let point = try await load(context)
        return views.page(
            .adminFinderDelete, title: views.title(x.s("finder_upkeep_delete_title"), point.name, x.s("finder_upkeep_title")), request: request,
            context: context,
            model: FinderDeletePage(id: point.id.text(), name: point.name, municipality: try await municipalityName(point.municipality)))
    }

    func delete(_ request: Request, context: CoordinatorContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let point = try await load(context)
        try await FinderAPIController.refusing { try await finder.delete(point.id, by: context.staff) }
        return Views.redirect("/admin/finder?deleted=1")
    }
}
