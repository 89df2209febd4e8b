import Foundation
import Hummingbird
import KohtaamoBase

/// The staff's pop-up event pages, without JavaScript: the organisation's
/// events (`/digital/events`), the form (`/digital/events/new`,
/// `/digital/events/{event}`) and Cancel. Refused fields come back beside
/// themselves, with what was typed.
struct DigitalEventPagesController {
    let digital: DigitalService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/digital/events", context: StaffContext.self)
        staff.get(use: list)
        staff.get("new", use: newForm)
        staff.post("new", use: make)
        staff.get("{event}", use: editForm)
        staff.post("{event}", use: edit)
        staff.post("{event}/cancel", use: cancel)
    }

    func text(_ context: some PageContext) -> DigitalPageText {
        DigitalPageText(t: views.localizer.catalogue(context.language), language: context.language)
    }

    func list(_ request: Request, context: StaffContext) async throws -> Response {
        let x = text(context)
        return try await DigitalAPIController.refusing {
            let today = digital.today
            let rows = try await digital.events(context.staff).map { e in
                (
                    e.day >= today,
                    DigitalEventsPage.Row(
                        id: e.id.text(), title: e.title, when: x.when(e.day, e.startMinute, e.endMinute), place: e.place,
                        municipality: e.municipalityName, cancelled: e.cancelled, hidden: !e.isPublic)
                )
            }
            let upcoming = rows.filter(\.0).map(\.1), past = rows.filter { !$0.0 }.map(\.1).reversed()
            return views.page(
                .digitalEvents, title: views.title(x.s("digital_events_title")), request: request, context: context,
                model: DigitalEventsPage(upcoming: upcoming, hasUpcoming: !upcoming.isEmpty, past: Array(past), hasPast: !past.isEmpty))
        }
    }

    // MARK: the form

    static let fieldNames = ["title", "description", "municipality", "place", "address", "date", "start", "end", "languages"]

    struct Typed {
        var values: [String: String] = ["languages": "fi"]
        var themes: Set<String> = []
        var isPublic = true
    }

    func typed(_ form: Form) -> Typed {
        var t = Typed()
        for name in Self.fieldNames { t.values[name] = form[name] }
        t.themes = Set(form.values("theme"))
        t.isPublic = form["isPublic"] == "1"
        return t
    }

    func typed(_ e: PopupEvent) -> Typed {
        var t = Typed()
        t.values = [
            "title": e.title, "description": e.description, "municipality": e.municipalityName, "place": e.place, "address": e.address,
            "date": e.day.description, "start": Self.clock(e.startMinute), "end": Self.clock(e.endMinute),
            "languages": e.languages.joined(separator: ", "),
        ]
        t.themes = Set(e.themes.map(\.rawValue))
        t.isPublic = e.isPublic
        return t
    }

    /// `9.00`, as the form takes it back.
    static func clock(_ minute: Int) -> String { String(format: "%d.%02d", minute / 60, minute % 60) }

    func input(_ t: Typed) -> DigitalService.EventInput {
        var i = DigitalService.EventInput()
        let v = t.values
        (i.title, i.description, i.municipality, i.place) = (v["title"] ?? "", v["description"] ?? "", v["municipality"] ?? "", v["place"] ?? "")
        (i.address, i.date, i.start, i.end) = (v["address"] ?? "", v["date"] ?? "", v["start"] ?? "", v["end"] ?? "")
        (i.themes, i.languages, i.isPublic) = (t.themes.sorted(), [v["languages"] ?? ""], t.isPublic)
        return i
    }

    func render(
        _ request: Request, _ context: StaffContext, event: PopupEvent?, typed: Typed, problems: [(field: String, refusal: DigitalRefusal)] = [],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let x = text(context)
        var e: [String: String] = [:]
        var errors = FieldErrors()
        for p in problems {
            if e[p.field] == nil { e[p.field] = x.error(p.refusal) }
            errors.add(p.field == "themes" ? "event-theme-\(DigitalTheme.allCases[0].rawValue)" : "event-\(p.field)", p.refusal.messageKey)
        }
        let v = typed.values
        func field(_ name: String, _ kind: String = "text", hint: Bool = false, maxlength: Int = 200) -> FormField {
            FormField(
                id: "event-\(name)", name: name, label: x.s("digital_field_\(name)"), hint: hint ? x.s("digital_field_\(name)_hint") : nil,
                value: v[name] ?? "", error: e[name], kind: kind, maxlength: maxlength)
        }
        let heading = event.map { $0.title } ?? x.s("digital_events_new")
        let page = DigitalEventFormPage(
            action: event.map { "/digital/events/\($0.id.text())" } ?? "/digital/events/new", isNew: event == nil, id: event?.id.text(),
            heading: heading, saved: event != nil && request.uri.queryParameters["saved"] == "1", cancelled: event?.cancelled ?? false,
            fields: [
                field("title", maxlength: DigitalSupport.maxTitle),
                field("municipality", hint: true, maxlength: DigitalSupport.maxMunicipality),
                field("place", hint: true, maxlength: DigitalSupport.maxPlace), field("address", maxlength: DigitalSupport.maxAddress),
            ],
            description: field("description", "textarea", maxlength: DigitalSupport.maxDescription),
            when: [field("date", "date"), field("start", hint: true), field("end", hint: true)],
            themes: x.themeOptions(typed.themes), themesError: e["themes"], languages: field("languages", hint: true, maxlength: 60),
            isPublic: typed.isPublic, sequence: event?.sequence ?? 0)
        return views.page(
            .digitalEventForm, title: views.title(heading, x.s("digital_events_title")), request: request, context: context, status: status,
            model: page, errors: errors)
    }

    func newForm(_ request: Request, context: StaffContext) async throws -> Response {
        try DigitalAPIController.refusingNow { try digital.requireWorker(context.staff) }
        return render(request, context, event: nil, typed: Typed())
    }

    func make(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let typed = typed(form)
        do {
            let event = try await DigitalAPIController.refusingFieldsOnly { try await digital.makeEvent(context.staff, input(typed)) }
            return Views.redirect("/digital/events/\(event.id.text())?saved=1")
        } catch let r as DigitalRefusedFields {
            return render(request, context, event: nil, typed: typed, problems: r.problems, status: .badRequest)
        }
    }

    private func load(_ context: StaffContext) async throws -> PopupEvent {
        let id = try DigitalAPIController.id("event", context)
        return try await DigitalAPIController.refusing { try await digital.event(context.staff, id: id) }
    }

    func editForm(_ request: Request, context: StaffContext) async throws -> Response {
        let event = try await load(context)
        return render(request, context, event: event, typed: typed(event))
    }

    func edit(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let event = try await load(context)
        let typed = typed(form)
        do {
            _ = try await DigitalAPIController.refusingFieldsOnly { try await digital.editEvent(context.staff, id: event.id, input(typed)) }
            return Views.redirect("/digital/events/\(event.id.text())?saved=1")
        } catch let r as DigitalRefusedFields {
            return render(request, context, event: event, typed: typed, problems: r.problems, status: .badRequest)
        }
    }

    func cancel(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let event = try await load(context)
        _ = try await DigitalAPIController.refusing { try await digital.cancelEvent(context.staff, id: event.id) }
        return Views.redirect("/digital/events/\(event.id.text())")
    }
}
