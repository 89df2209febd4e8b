import Foundation
import Hummingbird
import KohtaamoBase

/// The plan pages, without JavaScript: the organisation's plans
/// (`/reachout/plans`), the plan form with its history and End
/// (`/reachout/plans/new`, `/reachout/plans/{plan}`), and the week view
/// with absences (`/reachout/calendar`). The rules are `ReachoutService`'s;
/// a refusal comes back beside its field, with what was typed.
struct ReachoutPlanPagesController {
    let reachout: ReachoutService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/reachout", context: StaffContext.self)
        staff.get("plans", use: list)
        staff.get("plans/new", use: newForm)
        staff.post("plans/new", use: make)
        staff.get("plans/{plan}", use: editForm)
        staff.post("plans/{plan}", use: edit)
        staff.post("plans/{plan}/end", use: end)
        staff.get("calendar", use: calendar)
        staff.post("calendar/absences", use: addAbsence)
        staff.post("calendar/absences/{absence}/delete", use: deleteAbsence)
    }

    func text(_ context: some PageContext) -> PlanText { PlanText(t: views.localizer.catalogue(context.language), language: context.language) }

    // MARK: the list

    func list(_ request: Request, context: StaffContext) async throws -> Response {
        let x = text(context)
        return try await ReachoutAPIController.refusing {
            let plans = try await reachout.plans(context.staff)
            let names = try await reachout.names(plans)
            let workers = try await reachout.workNames(context.staff)
            let rows = plans.map { p in
                PlanListPage.Row(
                    id: p.id.text(), name: Views.nonEmpty(names[p.id] ?? "") ?? "–", registered: p.member != nil, rhythm: x.rhythm(p.rhythm),
                    time: x.clock(p.minute), channel: x.channel(p.channel), owner: workers[p.owner] ?? "",
                    backup: p.backup.flatMap { workers[$0] }, endedOn: p.endedOn.map(x.day))
            }
            let active = rows.filter { $0.endedOn == nil }, ended = rows.filter { $0.endedOn != nil }
            return views.page(
                .reachoutPlans, title: views.title(x.s("reachout_plans_title")), request: request, context: context,
                model: PlanListPage(plans: active, hasPlans: !active.isEmpty, ended: ended, hasEnded: !ended.isEmpty))
        }
    }

    // MARK: the form

    /// What was typed (or the plan's values), by field name.
    struct Typed {
        var values: [String: String] = ["rhythm": "daily", "every": "2", "escalateAt": "16.00", "channel": ContactChannel.phone.rawValue]
        var weekdays: Set<Int> = []
        var skipHolidays = false
    }

    static let fieldNames = ["nickname", "label", "note", "rhythm", "every", "starts", "until", "time", "escalateAt", "channel", "owner", "backup"]

    func typed(_ form: Form) -> Typed {
        var t = Typed()
        for name in Self.fieldNames { t.values[name] = form[name] }
        t.weekdays = Set(form.values("weekday").compactMap { Int($0) }.filter((1...7).contains))
        t.skipHolidays = form["skipHolidays"] == "1"
        return t
    }

    func typed(_ plan: ContactPlan, nickname: String) -> Typed {
        var t = Typed()
        var v = t.values
        (v["nickname"], v["label"], v["note"]) = (nickname, plan.label, plan.note)
        switch plan.rhythm {
        case .daily: v["rhythm"] = "daily"
        case .weekdays(let days): (v["rhythm"], t.weekdays) = ("weekdays", days)
        case .everyDays(let n): (v["rhythm"], v["every"]) = ("every", String(n))
        }
        (v["starts"], v["until"]) = (plan.starts.description, plan.until?.description ?? "")
        (v["time"], v["escalateAt"]) = (Self.clock(plan.minute), Self.clock(plan.escalationMinute))
        (v["channel"], v["owner"], v["backup"]) = (plan.channel.rawValue, plan.owner.text(), plan.backup?.text() ?? "")
        t.values = v
        t.skipHolidays = plan.skipHolidays
        return t
    }

    /// `9.00`, as the form takes it back.
    static func clock(_ minute: Int) -> String { String(format: "%d.%02d", minute / 60, minute % 60) }

    /// The service's input from what was typed.
    func input(_ t: Typed) -> ReachoutService.PlanInput {
        var i = ReachoutService.PlanInput()
        let v = t.values
        (i.nickname, i.label, i.note) = (v["nickname"] ?? "", v["label"] ?? "", v["note"] ?? "")
        switch v["rhythm"] {
        case "weekdays": i.rhythm = "weekdays:" + t.weekdays.sorted().map(String.init).joined(separator: ",")
        case "every": i.rhythm = "every:" + (v["every"] ?? "")
        default: i.rhythm = "daily"
        }
        (i.starts, i.until, i.time, i.escalateAt) = (v["starts"] ?? "", v["until"] ?? "", v["time"] ?? "", v["escalateAt"] ?? "")
        i.channel = v["channel"] ?? ""
        i.owner = (v["owner"] ?? "").isEmpty ? nil : UUID(uuidString: v["owner"] ?? "") ?? UUID()
        i.backup = (v["backup"] ?? "").isEmpty ? nil : UUID(uuidString: v["backup"] ?? "") ?? UUID()
        i.skipHolidays = t.skipHolidays
        return i
    }

    /// The field a refusal of the form belongs to; nil for one of the page.
    static func field(_ r: ReachoutRefusal, _ t: Typed, team: Set<UUID>) -> String? {
        let v = t.values
        switch r {
        case .badLabel: return "label"
        case .badNote: return "note"
        case .memberNotFound: return "nickname"
        case .badRhythm: return "rhythm"
        case .badDays:
            let starts = v["starts"] ?? ""
            return !starts.isEmpty && HelsinkiDay(starts) == nil ? "starts" : (v["until"] ?? "").isEmpty ? "starts" : "until"
        case .badTime: return ReachoutService.minute(v["time"] ?? "") == nil ? "time" : "escalateAt"
        case .badChannel, .noMember: return "channel"
        case .badWorker:
            let owner = UUID(uuidString: v["owner"] ?? "")
            return (v["owner"] ?? "").isEmpty || owner.map(team.contains) == true ? "backup" : "owner"
        default: return nil
        }
    }

    private func renderForm(
        _ request: Request, _ context: StaffContext, plan: ContactPlan?, typed: Typed, error: (field: String, refusal: ReachoutRefusal)? = nil,
        endError: ReachoutRefusal? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        let x = text(context)
        return try await ReachoutAPIController.refusing {
            let team = try await reachout.team(p)
            let v = typed.values
            var e: [String: String] = [:]
            var errors = FieldErrors()
            if let error {
                e[error.field] = x.error(error.refusal)
                errors = FieldErrors("plan-\(error.field)", error.refusal.messageKey)
            }
            if let endError { errors = FieldErrors("end", endError.messageKey) }
            func field(_ name: String, _ kind: String = "text", hint: Bool = false, options: [FieldOption] = [], maxlength: Int = 200) -> FormField {
                FormField(
                    id: "plan-\(name)", name: name, label: x.s("reachout_plans_field_\(name)"),
                    hint: hint ? x.s("reachout_plans_field_\(name)_hint") : nil, value: v[name] ?? "", error: e[name], kind: kind,
                    options: options, maxlength: maxlength)
            }
            let owner = v["owner"].flatMap { $0.isEmpty ? nil : $0 } ?? p.staffID.text()
            let owners = team.map { FieldOption(value: $0.id.text(), label: $0.workName, selected: $0.id.text() == owner) }
            let backups =
                [FieldOption(value: "", label: x.s("reachout_plans_no_backup"), selected: (v["backup"] ?? "").isEmpty)]
                + team.map { FieldOption(value: $0.id.text(), label: $0.workName, selected: $0.id.text() == v["backup"]) }
            let channels = ContactChannel.allCases.map {
                FieldOption(value: $0.rawValue, label: x.channel($0), selected: $0.rawValue == v["channel"])
            }
            let rhythm = v["rhythm"] ?? "daily"
            var history: [PlanFormPage.HistoryRow] = []
            var name: String?
            if let plan {
                let workers = try await reachout.workNames(p)
                history = try await reachout.history(p, plan: plan.id).map {
                    .init(day: x.longDay($0.day), outcome: x.outcome($0.kind), by: workers[$0.by] ?? "", said: Views.nonEmpty($0.note))
                }
                name = Views.nonEmpty(try await reachout.name(plan)) ?? "–"
            }
            let page = PlanFormPage(
                action: plan.map { "/reachout/plans/\($0.id.text())" } ?? "/reachout/plans/new", isNew: plan == nil, id: plan?.id.text(),
                name: name, ended: plan?.endedOn.map(x.day), canEdit: plan?.isActive ?? true,
                saved: plan != nil && request.uri.queryParameters["saved"] == "1",
                who: [field("nickname", hint: true, maxlength: 60), field("label", hint: true, maxlength: Reachout.maxLabel)],
                note: field("note", "textarea", hint: true, maxlength: Reachout.maxNote),
                rhythms: ["daily", "weekdays", "every"].map {
                    FieldOption(value: $0, label: x.s("reachout_plans_rhythm_\($0)"), selected: $0 == rhythm)
                },
                rhythmError: e["rhythm"],
                weekdays: (1...7).map { FieldOption(value: String($0), label: x.weekday($0), selected: typed.weekdays.contains($0)) },
                every: v["every"] ?? "",
                timing: [
                    field("starts", "date", hint: true), field("until", "date", hint: true), field("time", hint: true),
                    field("escalateAt", hint: true),
                ],
                channel: field("channel", "select", options: channels),
                workers: [field("owner", "select", options: owners), field("backup", "select", hint: true, options: backups)],
                skipHolidays: typed.skipHolidays, history: history, hasHistory: !history.isEmpty, endError: endError.map(x.error))
            let title = plan == nil ? x.s("reachout_plans_new_title") : "\(x.s("reachout_plans_edit_title")): \(name ?? "")"
            return views.page(
                .reachoutPlanForm, title: views.title(title, x.s("reachout_plans_title")), request: request, context: context, status: status,
                model: page, errors: errors)
        }
    }

    func newForm(_ request: Request, context: StaffContext) async throws -> Response {
        try await renderForm(request, context, plan: nil, typed: Typed())
    }

    func make(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let typed = typed(form)
        do {
            let plan = try await reachout.makePlan(context.staff, input(typed))
            return Views.redirect("/reachout/plans/\(plan.id.text())?saved=1")
        } catch let r as ReachoutRefusal {
            return try await refused(request, context, plan: nil, typed: typed, r)
        }
    }

    private func refused(_ request: Request, _ context: StaffContext, plan: ContactPlan?, typed: Typed, _ r: ReachoutRefusal) async throws -> Response
    {
        let team = Set(try await ReachoutAPIController.refusing { try await reachout.team(context.staff) }.map(\.id))
        guard let field = Self.field(r, typed, team: team) else { throw ReachoutAPIController.appError(r) }
        return try await renderForm(
            request, context, plan: plan, typed: typed, error: (field, r), status: HTTPResponse.Status(code: r.httpStatus))
    }

    private func loadPlan(_ context: StaffContext) async throws -> ContactPlan {
        let id = try ReachoutAPIController.id("plan", context)
        return try await ReachoutAPIController.refusing { try await reachout.plan(context.staff, id: id) }
    }

    func editForm(_ request: Request, context: StaffContext) async throws -> Response {
        let plan = try await loadPlan(context)
        let nickname = try await plan.member.asyncMap { try await reachout.members.nickname(member: $0) } ?? nil
        return try await renderForm(request, context, plan: plan, typed: typed(plan, nickname: nickname ?? ""))
    }

    func edit(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let plan = try await loadPlan(context)
        let typed = typed(form)
        do {
            _ = try await reachout.editPlan(context.staff, id: plan.id, input(typed))
            return Views.redirect("/reachout/plans/\(plan.id.text())?saved=1")
        } catch let r as ReachoutRefusal {
            return try await refused(request, context, plan: plan, typed: typed, r)
        }
    }

    func end(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let plan = try await loadPlan(context)
        do {
            _ = try await reachout.endPlan(context.staff, id: plan.id)
            return Views.redirect("/reachout/plans/\(plan.id.text())")
        } catch ReachoutRefusal.planEnded {
            let nickname = try await plan.member.asyncMap { try await reachout.members.nickname(member: $0) } ?? nil
            return try await renderForm(
                request, context, plan: plan, typed: typed(plan, nickname: nickname ?? ""), endError: .planEnded, status: .conflict)
        }
    }

    // MARK: the week and absences

    /// The week's day and the worker (nil: the team) of the query; mine by default.
    private func week(_ request: Request, _ context: StaffContext) throws -> (day: HelsinkiDay, worker: UUID?) {
        let day = try ReachoutAPIController.day(request, "day") ?? reachout.today
        let w = request.uri.queryParameters["worker"].map(String.init) ?? ""
        if w == "team" { return (day, nil) }
        if w.isEmpty { return (day, context.staff.staffID) }
        guard let id = UUID(uuidString: w) else { throw ReachoutAPIController.appError(.badWorker) }
        return (day, id)
    }

    static func calendarLink(_ day: HelsinkiDay, _ worker: UUID?) -> String {
        "/reachout/calendar?day=\(day.description)&worker=\(worker?.text() ?? "team")"
    }

    struct AbsenceTyped {
        var from = "", to = "", staff = ""
        var error: (field: String, refusal: ReachoutRefusal)?
    }

    private func renderCalendar(
        _ request: Request, _ context: StaffContext, day: HelsinkiDay, worker: UUID?, absence: AbsenceTyped = AbsenceTyped(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        let x = text(context)
        return try await ReachoutAPIController.refusing {
            let team = try await reachout.team(p)
            if let worker, !team.contains(where: { $0.id == worker }) { throw ReachoutRefusal.badWorker }
            let workers = try await reachout.workNames(p)
            let week = try await reachout.week(p, of: day, worker: worker)
            let names = try await reachout.names(week.flatMap { $0.contacts.map(\.plan) })
            let today = reachout.today
            let days = week.map { d in
                CalendarPage.Day(
                    id: "day-\(d.day.description)", heading: x.longDay(d.day), today: d.day == today, holiday: d.holiday.map(x.holiday),
                    away: Views.nonEmpty(d.away.map { workers[$0] ?? "" }.sorted().joined(separator: ", ")),
                    contacts: d.contacts.map { c in
                        CalendarPage.Contact(
                            time: x.clock(c.plan.minute), name: Views.nonEmpty(names[c.plan.id] ?? "") ?? "–",
                            link: "/reachout/plans/\(c.plan.id.text())",
                            worker: workers[c.worker] ?? "", covering: c.covering, channel: x.channel(c.plan.channel))
                    }, hasContacts: !d.contacts.isEmpty)
            }
            let monday = day.monday
            let chosen = worker?.text() ?? "team"
            let options =
                [FieldOption(value: "team", label: x.s("reachout_calendar_team"), selected: worker == nil)]
                + team.map { FieldOption(value: $0.id.text(), label: $0.workName, selected: $0.id.text() == chosen) }
            let absences = try await reachout.absences(p, from: monday, to: monday.adding(days: 366)).sorted { ($0.from, $0.to) < ($1.from, $1.to) }
            let rows = absences.map { a in
                CalendarPage.AbsenceRow(
                    id: a.id.text(), who: workers[a.staff] ?? "", from: x.day(a.from), to: x.day(a.to),
                    canDelete: a.staff == p.staffID || p.role.canAdminister)
            }
            var e: [String: String] = [:]
            var errors = FieldErrors()
            if let error = absence.error {
                e[error.field] = x.error(error.refusal)
                errors = FieldErrors("absence-\(error.field)", error.refusal.messageKey)
            }
            let coordinator = p.role.canAdminister
            let who = absence.staff.isEmpty ? p.staffID.text() : absence.staff
            let staffField =
                coordinator
                ? FormField(
                    id: "absence-staff", name: "staff", label: x.s("reachout_calendar_absence_who"), value: "", error: e["staff"], kind: "select",
                    options: team.map { FieldOption(value: $0.id.text(), label: $0.workName, selected: $0.id.text() == who) }) : nil
            let heading = x.s("reachout_calendar_week").replacingOccurrences(of: "{from}", with: x.day(monday))
                .replacingOccurrences(of: "{to}", with: x.day(monday.adding(days: 6)))
            let page = CalendarPage(
                heading: heading, days: days, workers: options, previous: Self.calendarLink(monday.adding(days: -7), worker),
                next: Self.calendarLink(monday.adding(days: 7), worker), thisWeek: Self.calendarLink(today, worker), worker: chosen,
                absences: rows, hasAbsences: !rows.isEmpty,
                absenceFields: [
                    FormField(
                        id: "absence-from", name: "from", label: x.s("reachout_calendar_absence_from"), value: absence.from, error: e["from"],
                        kind: "date"),
                    FormField(
                        id: "absence-to", name: "to", label: x.s("reachout_calendar_absence_to"), hint: x.s("reachout_calendar_absence_to_hint"),
                        value: absence.to, error: e["to"], kind: "date"),
                ], canPickAnyone: coordinator, staffField: staffField,
                thisWeekDay: monday.description)
            let whose = worker == nil ? x.s("reachout_calendar_team") : workers[worker!] ?? ""
            return views.page(
                .reachoutCalendar, title: views.title(heading, whose, x.s("reachout_calendar_title")), request: request, context: context,
                status: status, model: page, errors: errors)
        }
    }

    func calendar(_ request: Request, context: StaffContext) async throws -> Response {
        let (day, worker) = try week(request, context)
        return try await renderCalendar(request, context, day: day, worker: worker)
    }

    /// The week the form came from (hidden `day` and `worker`), for the way back.
    private func back(_ form: Form, _ context: StaffContext) -> (day: HelsinkiDay, worker: UUID?) {
        let day = HelsinkiDay(form["day"]) ?? reachout.today
        let w = form["worker"]
        return (day, w == "team" ? nil : UUID(uuidString: w) ?? context.staff.staffID)
    }

    func addAbsence(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (day, worker) = back(form, context)
        var typed = AbsenceTyped(from: form["from"], to: form["to"], staff: form["staff"])
        do {
            let staff = form["staff"].isEmpty ? nil : UUID(uuidString: form["staff"]) ?? UUID()
            _ = try await reachout.addAbsence(context.staff, staff: staff, from: typed.from, to: typed.to)
            return Views.redirect(Self.calendarLink(day, worker) + "#absences")
        } catch let r as ReachoutRefusal {
            switch r {
            case .badAbsence:
                typed.error = (HelsinkiDay(typed.from) == nil ? "from" : "to", r)
            case .badWorker, .notCoordinator:
                guard context.staff.role.canAdminister else { throw ReachoutAPIController.appError(r) }
                typed.error = ("staff", r)
            default: throw ReachoutAPIController.appError(r)
            }
            return try await renderCalendar(
                request, context, day: day, worker: worker, absence: typed, status: HTTPResponse.Status(code: r.httpStatus))
        }
    }

    func deleteAbsence(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (day, worker) = back(form, context)
        let id = try ReachoutAPIController.id("absence", context)
        try await ReachoutAPIController.refusing { try await reachout.deleteAbsence(context.staff, id: id) }
        return Views.redirect(Self.calendarLink(day, worker) + "#absences")
    }
}
