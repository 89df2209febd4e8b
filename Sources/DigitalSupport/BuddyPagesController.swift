import Foundation
import Hummingbird
import KohtaamoBase

/// A buddy's page (`/digital/buddy`: their clients, or 403 in plain words
/// until the course is completed) and the organisation's buddies with
/// their clients for workers and coordinators (`/digital/buddies`).
struct BuddyPagesController {
    let buddies: BuddyService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/digital/buddy", context: StaffContext.self).get(use: mine)
        let staff = router.group("/digital/buddies", context: StaffContext.self)
        staff.get(use: list)
        staff.post("assignments", use: assign)
        staff.post("assignments/{assignment}/remove", use: unassign)
    }

    func text(_ context: some PageContext) -> DigitalPageText {
        DigitalPageText(t: views.localizer.catalogue(context.language), language: context.language)
    }

    /// "torstai 3.12.2026 klo 10.00–11.00" of two moments of one day.
    static func when(_ x: DigitalPageText, _ startMs: Int64, _ endMs: Int64) -> String {
        func minute(_ ms: Int64) -> Int {
            let d = Date(timeIntervalSince1970: Double(ms) / 1000)
            return Helsinki.calendar.component(.hour, from: d) * 60 + Helsinki.calendar.component(.minute, from: d)
        }
        return x.when(HelsinkiDay(ms: startMs), minute(startMs), minute(endMs))
    }

    func mine(_ request: Request, context: StaffContext) async throws -> Response {
        let x = text(context)
        let title = views.title(x.s("buddy_clients_title"))
        do {
            let (training, clients) = try await buddies.myClients(context.staff)
            let rows = clients.map { c in
                let goals = c.goals.map { g in
                    BuddyClientsPage.Goal(
                        text: g.theme.map { "\(g.text) (\(x.theme($0)))" } ?? g.text, materialTitle: g.material?.title, materialURL: g.material?.path)
                }
                let appointments = c.appointments.map { a in
                    [Self.when(x, a.startMs, a.endMs), a.place].filter { !$0.isEmpty }.joined(separator: ", ")
                }
                let sessions = c.sessions.map { s in
                    let status = s.seat.status == .seated ? x.s("buddy_clients_seated") : x.s("buddy_clients_waiting")
                    let next = s.meetings.first { $0.endMs > buddies.clock.nowMs }
                    return ([s.session.title, status] + (next.map { [x.when($0.day, $0.startMinute, $0.endMinute)] } ?? [])).joined(separator: ", ")
                }
                return BuddyClientsPage.Client(
                    nickname: c.nickname, goals: goals, hasGoals: !goals.isEmpty, appointments: appointments, hasAppointments: !appointments.isEmpty,
                    sessions: sessions, hasSessions: !sessions.isEmpty)
            }
            let page = BuddyClientsPage(
                refused: false, refusedText: nil,
                completedText: x.s("buddy_course_completed").replacingOccurrences(of: "{day}", with: x.day(HelsinkiDay(ms: training.completedMs))),
                clients: rows, hasClients: !rows.isEmpty)
            return views.page(.buddyClients, title: title, request: request, context: context, model: page)
        } catch BuddyRefusal.courseNotDone {
            let s = try await buddies.standing(context.staff)
            let page = BuddyClientsPage(
                refused: true,
                refusedText: x.s("buddy_clients_refused").replacingOccurrences(of: "{done}", with: String(s.doneCount))
                    .replacingOccurrences(of: "{all}", with: String(s.modules.count)),
                completedText: nil, clients: [], hasClients: false)
            return views.page(.buddyClients, title: title, request: request, context: context, status: .forbidden, model: page)
        }
    }

    func render(
        _ request: Request, _ context: StaffContext, typed: (buddy: String, nickname: String) = ("", ""),
        problems: [(field: String, refusal: BuddyRefusal)] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let x = text(context)
        let list = try await BuddyAPIController.refusing { try await buddies.buddies(context.staff) }
        let assigned = try await BuddyAPIController.refusing { try await buddies.assignments(context.staff) }
        var e: [String: String] = [:]
        var errors = FieldErrors()
        for p in problems {
            if e[p.field] == nil { e[p.field] = x.s(p.refusal.messageKey) }
            errors.add("assign-\(p.field)", p.refusal.messageKey)
        }
        let rows = list.map { b in
            let clients = assigned.filter { $0.assignment.buddy == b.id }.map {
                BuddyAssignmentsPage.Client(nickname: $0.nickname, remove: "/digital/buddies/assignments/\($0.assignment.id.text())/remove")
            }
            return BuddyAssignmentsPage.Buddy(
                workName: b.workName,
                since: x.s("buddy_course_completed_short").replacingOccurrences(of: "{day}", with: x.day(HelsinkiDay(ms: b.completedMs))),
                clients: clients, hasClients: !clients.isEmpty)
        }
        let page = BuddyAssignmentsPage(
            buddies: rows, hasBuddies: !rows.isEmpty,
            buddyField: FormField(
                id: "assign-buddy", name: "buddy", label: x.s("buddy_assign_buddy"), value: typed.buddy, error: e["buddy"], kind: "select",
                options: list.map { FieldOption(value: $0.id.text(), label: $0.workName, selected: $0.id.text() == typed.buddy) }),
            nicknameField: FormField(
                id: "assign-nickname", name: "nickname", label: x.s("buddy_assign_nickname"), hint: x.s("buddy_assign_nickname_hint"),
                value: typed.nickname, error: e["nickname"], maxlength: Buddies.maxNickname))
        return views.page(
            .buddyAssignments, title: views.title(x.s("buddy_assignments_title")), request: request, context: context, status: status,
            model: page, errors: errors)
    }

    func list(_ request: Request, context: StaffContext) async throws -> Response { try await render(request, context) }

    func assign(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let typed = (buddy: form["buddy"], nickname: form["nickname"])
        do {
            try BuddyAPIController.refusingNow { try buddies.requireWorker(context.staff) }
            guard let buddy = UUID(uuidString: typed.buddy) else { throw BuddyRefusal.badBuddy }
            _ = try await buddies.assign(context.staff, buddy: buddy, nickname: typed.nickname)
            return Views.redirect("/digital/buddies")
        } catch let r as BuddyRefusal where [.badBuddy, .notTrained, .memberNotFound].contains(r) {
            let field = r == .memberNotFound ? "nickname" : "buddy"
            return try await render(request, context, typed: typed, problems: [(field, r)], status: HTTPResponse.Status(code: r.httpStatus))
        } catch let r as BuddyRefusal {
            throw BuddyAPIController.appError(r)
        }
    }

    func unassign(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let id = try context.pathID("assignment")
        try await BuddyAPIController.refusing { try await buddies.unassign(context.staff, id: id) }
        return Views.redirect("/digital/buddies")
    }
}
