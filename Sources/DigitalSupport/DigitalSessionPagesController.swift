import Foundation
import Hummingbird
import KohtaamoBase

/// The staff's group session pages, without JavaScript: the organisation's
/// sessions (`/digital/sessions`), a session's form with its meetings, its
/// people and the waiting list (`/digital/sessions/{session}`), and Cancel.
struct DigitalSessionPagesController {
    let digital: DigitalService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/digital/sessions", context: StaffContext.self)
        staff.get(use: list)
        staff.get("new", use: newForm)
        staff.post("new", use: make)
        staff.get("{session}", use: editForm)
        staff.post("{session}", use: edit)
        staff.post("{session}/cancel", use: cancel)
        staff.post("{session}/meetings", use: addMeeting)
        staff.post("{session}/meetings/{meeting}/delete", use: deleteMeeting)
        staff.post("{session}/participants", use: addParticipant)
        staff.post("{session}/participants/{participant}/remove", use: removeParticipant)
    }

    func text(_ context: some PageContext) -> DigitalPageText {
        DigitalPageText(t: views.localizer.catalogue(context.language), language: context.language)
    }

    func list(_ request: Request, context: StaffContext) async throws -> Response {
        let x = text(context)
        return try await DigitalAPIController.refusing {
            let sessions = try await digital.sessions(context.staff)
            var rows: [DigitalSessionsPage.Row] = []
            for s in sessions {
                let meetings = try await digital.repository.meetings(session: s.id)
                let people = try await digital.repository.seats(session: s.id)
                let seated = people.filter { $0.status == .seated }.count
                let next = meetings.first { $0.endMs > digital.clock.nowMs }
                rows.append(
                    .init(
                        id: s.id.text(), title: s.title, place: s.online ? x.s("digital_online") : s.place, seats: "\(seated)/\(s.seats)",
                        waiting: people.count - seated, next: next.map { x.when($0.day, $0.startMinute, $0.endMinute) }, meetings: meetings.count,
                        cancelled: s.cancelled))
            }
            return views.page(
                .digitalSessions, title: views.title(x.s("digital_sessions_title")), request: request, context: context,
                model: DigitalSessionsPage(sessions: rows, hasSessions: !rows.isEmpty))
        }
    }

    // MARK: the form

    static let fieldNames = ["title", "description", "municipality", "place", "address", "seats", "languages"]

    struct Typed {
        var values: [String: String] = ["languages": "fi", "seats": "8"]
        var themes: Set<String> = []
        var online = false
        var isPublic = true
    }

    func typed(_ form: Form) -> Typed {
        var t = Typed()
        for name in Self.fieldNames { t.values[name] = form[name] }
        t.themes = Set(form.values("theme"))
        (t.online, t.isPublic) = (form["online"] == "1", form["isPublic"] == "1")
        return t
    }

    func typed(_ s: GroupSession) -> Typed {
        var t = Typed()
        t.values = [
            "title": s.title, "description": s.description, "municipality": s.municipalityName, "place": s.place, "address": s.address,
            "seats": String(s.seats), "languages": s.languages.joined(separator: ", "),
        ]
        (t.themes, t.online, t.isPublic) = (Set(s.themes.map(\.rawValue)), s.online, s.isPublic)
        return t
    }

    func input(_ t: Typed) -> DigitalService.SessionInput {
        var i = DigitalService.SessionInput()
        let v = t.values
        (i.title, i.description, i.municipality, i.place) = (v["title"] ?? "", v["description"] ?? "", v["municipality"] ?? "", v["place"] ?? "")
        (i.address, i.seats) = (v["address"] ?? "", Int((v["seats"] ?? "").trimmingCharacters(in: .whitespaces)))
        (i.themes, i.languages, i.online, i.isPublic) = (t.themes.sorted(), [v["languages"] ?? ""], t.online, t.isPublic)
        return i
    }

    /// What else was typed on the page: a meeting, a person's label.
    struct Other {
        var meeting: [String: String] = [:]
        var label = ""
    }

    func render(
        _ request: Request, _ context: StaffContext, session: GroupSession?, typed: Typed, other: Other = Other(),
        problems: [(field: String, refusal: DigitalRefusal)] = [], pageError: DigitalRefusal? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let x = text(context)
        var e: [String: String] = [:]
        var errors = FieldErrors()
        for p in problems {
            if e[p.field] == nil { e[p.field] = x.error(p.refusal) }
            errors.add(p.field == "themes" ? "session-theme-\(DigitalTheme.allCases[0].rawValue)" : "session-\(p.field)", p.refusal.messageKey)
        }
        if let pageError { errors.add("page-error", pageError.messageKey) }
        let v = typed.values
        func field(_ name: String, _ kind: String = "text", hint: Bool = false, maxlength: Int = 200) -> FormField {
            FormField(
                id: "session-\(name)", name: name, label: x.s("digital_field_\(name)"), hint: hint ? x.s("digital_field_\(name)_hint") : nil,
                value: v[name] ?? "", error: e[name], kind: kind, maxlength: maxlength)
        }
        var meetings: [DigitalSessionFormPage.Meeting] = []
        var seated: [DigitalSessionFormPage.Person] = [], waiting: [DigitalSessionFormPage.Person] = []
        if let session {
            meetings = try await digital.repository.meetings(session: session.id).map {
                .init(
                    id: $0.id.text(), when: x.when($0.day, $0.startMinute, $0.endMinute),
                    remove: "/digital/sessions/\(session.id.text())/meetings/\($0.id.text())/delete")
            }
            let people = try await digital.repository.seats(session: session.id)
            let names = try await digital.names(people)
            for p in people {
                let person = DigitalSessionFormPage.Person(
                    id: p.id.text(), remove: "/digital/sessions/\(session.id.text())/participants/\(p.id.text())/remove",
                    name: Views.nonEmpty(names[p.id] ?? "") ?? "–", registered: p.member != nil,
                    position: p.status == .waiting ? waiting.count + 1 : nil)
                if p.status == .seated { seated.append(person) } else { waiting.append(person) }
            }
        }
        let heading = session.map { $0.title } ?? x.s("digital_sessions_new")
        let page = DigitalSessionFormPage(
            action: session.map { "/digital/sessions/\($0.id.text())" } ?? "/digital/sessions/new", isNew: session == nil,
            id: session?.id.text(), heading: heading, saved: session != nil && request.uri.queryParameters["saved"] == "1",
            cancelled: session?.cancelled ?? false,
            fields: [
                field("title", maxlength: DigitalSupport.maxTitle),
                field("municipality", hint: true, maxlength: DigitalSupport.maxMunicipality),
                field("place", hint: true, maxlength: DigitalSupport.maxPlace), field("address", maxlength: DigitalSupport.maxAddress),
            ],
            description: field("description", "textarea", maxlength: DigitalSupport.maxDescription), online: typed.online,
            seats: field("seats", "number", hint: true), themes: x.themeOptions(typed.themes), themesError: e["themes"],
            languages: field("languages", hint: true, maxlength: 60), isPublic: typed.isPublic,
            publicLink: session.flatMap { $0.isPublic ? DigitalPaths.publicSession($0.id) : nil },
            meetings: meetings, hasMeetings: !meetings.isEmpty,
            meetingFields: ["date", "start", "end"].map { name in
                FormField(
                    id: "session-meeting-\(name)", name: name, label: x.s("digital_field_\(name)"),
                    hint: name == "date" ? nil : x.s("digital_field_\(name)_hint"), value: other.meeting[name] ?? "", error: e["meeting-\(name)"],
                    kind: name == "date" ? "date" : "text", maxlength: 10)
            },
            seated: seated, hasSeated: !seated.isEmpty, waiting: waiting, hasWaiting: !waiting.isEmpty,
            seatsText: x.s("digital_sessions_seats_text").replacingOccurrences(of: "{seated}", with: String(seated.count))
                .replacingOccurrences(of: "{seats}", with: String(session?.seats ?? 0)),
            labelField: FormField(
                id: "session-participant-label", name: "label", label: x.s("digital_field_label"), hint: x.s("digital_field_label_hint"),
                value: other.label, error: e["participant-label"], maxlength: DigitalSupport.maxLabel),
            pageError: pageError.map(x.error))
        return views.page(
            .digitalSessionForm, title: views.title(heading, x.s("digital_sessions_title")), request: request, context: context, status: status,
            model: page, errors: errors)
    }

    func newForm(_ request: Request, context: StaffContext) async throws -> Response {
        try DigitalAPIController.refusingNow { try digital.requireWorker(context.staff) }
        return try await render(request, context, session: nil, typed: Typed())
    }

    func make(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let typed = typed(form)
        do {
            let session = try await DigitalAPIController.refusingFieldsOnly { try await digital.makeSession(context.staff, input(typed)) }
            return Views.redirect("/digital/sessions/\(session.id.text())?saved=1")
        } catch let r as DigitalRefusedFields {
            return try await render(request, context, session: nil, typed: typed, problems: r.problems, status: .badRequest)
        }
    }

    private func load(_ context: StaffContext) async throws -> GroupSession {
        let id = try DigitalAPIController.id("session", context)
        return try await DigitalAPIController.refusing { try await digital.session(context.staff, id: id) }
    }

    func editForm(_ request: Request, context: StaffContext) async throws -> Response {
        let session = try await load(context)
        return try await render(request, context, session: session, typed: typed(session))
    }

    func edit(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let session = try await load(context)
        let typed = typed(form)
        do {
            _ = try await DigitalAPIController.refusingFieldsOnly { try await digital.editSession(context.staff, id: session.id, input(typed)) }
            return Views.redirect("/digital/sessions/\(session.id.text())?saved=1")
        } catch let r as DigitalRefusedFields {
            return try await render(request, context, session: session, typed: typed, problems: r.problems, status: .badRequest)
        }
    }

    func cancel(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let session = try await load(context)
        _ = try await DigitalAPIController.refusing { try await digital.cancelSession(context.staff, id: session.id) }
        return Views.redirect("/digital/sessions/\(session.id.text())")
    }

    func addMeeting(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let session = try await load(context)
        let typedMeeting = ["date": form["date"], "start": form["start"], "end": form["end"]]
        do {
            _ = try await digital.addMeeting(context.staff, session: session.id, .init(date: form["date"], start: form["start"], end: form["end"]))
            return Views.redirect("/digital/sessions/\(session.id.text())#meetings")
        } catch let r as DigitalRefusedFields {
            return try await render(
                request, context, session: session, typed: typed(session), other: Other(meeting: typedMeeting),
                problems: r.problems.map { ("meeting-" + $0.field, $0.refusal) }, status: .badRequest)
        } catch let r as DigitalRefusal where r == .tooManyMeetings || r == .sessionCancelled {
            return try await render(
                request, context, session: session, typed: typed(session), other: Other(meeting: typedMeeting), pageError: r, status: .conflict)
        } catch let r as DigitalRefusal {
            throw DigitalAPIController.appError(r)
        }
    }

    func deleteMeeting(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let session = try await load(context)
        let meeting = try DigitalAPIController.id("meeting", context)
        try await DigitalAPIController.refusing { try await digital.deleteMeeting(context.staff, session: session.id, meeting: meeting) }
        return Views.redirect("/digital/sessions/\(session.id.text())#meetings")
    }

    func addParticipant(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let session = try await load(context)
        do {
            _ = try await digital.addParticipant(context.staff, session: session.id, label: form["label"])
            return Views.redirect("/digital/sessions/\(session.id.text())#people")
        } catch let r as DigitalRefusedFields {
            return try await render(
                request, context, session: session, typed: typed(session), other: Other(label: form["label"]),
                problems: r.problems.map { ("participant-" + $0.field, $0.refusal) }, status: .badRequest)
        } catch let r as DigitalRefusal where r == .sessionCancelled {
            return try await render(
                request, context, session: session, typed: typed(session), other: Other(label: form["label"]), pageError: r, status: .conflict)
        } catch let r as DigitalRefusal {
            throw DigitalAPIController.appError(r)
        }
    }

    func removeParticipant(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let session = try await load(context)
        let seat = try DigitalAPIController.id("participant", context)
        try await DigitalAPIController.refusing { try await digital.removeParticipant(context.staff, session: session.id, seat: seat) }
        return Views.redirect("/digital/sessions/\(session.id.text())#people")
    }
}
