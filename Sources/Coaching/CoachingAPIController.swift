import Foundation
import Hummingbird
import KohtaamoBase
import KohtaamoRealtime

/// The JSON entry points of coaching (docs/openapi.yaml, tag Coaching):
/// coordinators set a service up, coaches work under `/api/coaching`, a
/// coachee reads and answers under `/api/my/coaching` and a task's own
/// address. The rules are in `CoachingService`.
struct CoachingAPIController {
    let coaching: CoachingService

    func addRoutes(to router: Router<AppRequestContext>) {
        // The set-up: coordinators only, checked before the body is read.
        let coordinators = router.group("/api/coaching/services/{service}/settings", context: CoordinatorContext.self)
        coordinators.get(use: settings)
        coordinators.put(use: saveSettings)
        let staff = router.group("/api/coaching", context: StaffContext.self)
        staff.get("services", use: services)
        staff.get("services/{service}/coachees", use: coachees)
        staff.post("services/{service}/coachees/{member}/end", use: end)
        staff.post("services/{service}/invitations", use: invite)
        staff.get("services/{service}/groups", use: groups)
        staff.post("services/{service}/groups", use: makeGroup)
        staff.post("groups/{group}/members", use: addMember)
        staff.post("groups/{group}/members/{member}/remove", use: removeMember)
        staff.get("services/{service}/templates", use: templates)
        staff.post("services/{service}/templates", use: addTemplate)
        staff.delete("templates/{id}", use: deleteTemplate)
        staff.post("services/{service}/tasks", use: give)
        staff.post("tasks/{task}/feedback", use: feedback)
        // Both the coach and the coachee read these; the service checks which one asks.
        router.get("/api/coaching/services/{service}/coachees/{member}/tasks", use: coacheeTasks)
        router.get("/api/coaching/tasks/{task}", use: task)
        let member = router.group("/api/my/coaching", context: MemberContext.self)
        member.get(use: mine)
        member.post("join", use: join)
        router.group("/api/coaching/tasks", context: MemberContext.self).post("{task}/answer", use: answer)
    }

    // MARK: errors and parameters

    static func appError(_ refusal: CoachingService.Refusal) -> AppError {
        switch refusal {
        case .notFound: .notFound
        case .notCoach: AppError(.forbidden, code: "not_coach")
        case .notCoordinator: .forbidden
        case .invitationInvalid: AppError(.badRequest, code: "invitation_invalid")
        case .badCoach: AppError(.badRequest, code: "bad_coach")
        case .badSettings: AppError(.badRequest, code: "bad_settings")
        case .badGroupName: AppError(.badRequest, code: "bad_group_name")
        case .notCoachee: AppError(.notFound, code: "not_coachee")
        case .badTitle: AppError(.badRequest, code: "bad_title")
        case .badInstructions: AppError(.badRequest, code: "bad_instructions")
        case .badChecklist: AppError(.badRequest, code: "bad_checklist")
        case .badMaterial: AppError(.badRequest, code: "bad_material")
        case .badDue: AppError(.badRequest, code: "bad_due")
        case .badAnswer: AppError(.badRequest, code: "bad_answer", messageKey: "error_coaching_answer")
        case .wrongState: AppError(.conflict, code: "wrong_state")
        case .badFeedback: AppError(.badRequest, code: "bad_feedback", messageKey: "error_coaching_feedback")
        }
    }

    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as CoachingService.Refusal { throw appError(r) }
    }

    static func id(_ name: String, _ context: some RequestContext) throws -> UUID { try context.pathID(name) }

    /// Who asks, for the routes both sides use.
    static func viewer(_ context: AppRequestContext) throws -> Identity {
        if let p = context.principal { return .staff(p.staffID) }
        if let m = context.member { return .client(m.memberID) }
        throw AppError.unauthorized
    }

    // MARK: set-up (coordinators)

    func services(_ request: Request, context: StaffContext) async throws -> Response {
        try JSONResponse.make(try await coaching.coached(by: context.staff).map { ServiceJSON($0, context.language) })
    }

    func settings(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await Self.refusing {
            let info = try await coaching.service(try Self.id("service", context))
            try await coaching.requireCoordinator(context.staff, info)
            let s = try await coaching.settings(info)
            return try JSONResponse.make(SettingsJSON(s, candidates: try await coaching.candidates(info)))
        }
    }

    struct SettingsInput: Decodable {
        let coaches: [String]
        let changeLimitHours: Int
        let fileMaxBytes: Int
        let fileTypes: [String]
    }

    func saveSettings(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let input = try await JSONBody.require(SettingsInput.self, request, context: context)
        let coaches = try input.coaches.map { try UUID(uuidString: $0) ?? { throw Self.appError(.badCoach) }() }
        return try await Self.refusing {
            let info = try await coaching.service(try Self.id("service", context))
            try await coaching.saveSettings(
                CoachingSettings(
                    service: info.id, coaches: Set(coaches), changeLimitHours: input.changeLimitHours, fileMaxBytes: input.fileMaxBytes,
                    fileGroups: input.fileTypes), by: context.staff, service: info)
            return try JSONResponse.make(SettingsJSON(try await coaching.settings(info), candidates: try await coaching.candidates(info)))
        }
    }

    // MARK: coachees and groups (coaches)

    func coachees(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let service = try Self.id("service", context)
            var out: [CoacheeJSON] = []
            for c in try await coaching.coachees(context.staff, service: service) {
                let tasks = try await coaching.tasks(service: service, coachee: c.member, viewer: .staff(context.staff.staffID))
                out.append(CoacheeJSON(c, progress: CoachingProgress(tasks: tasks, nowMs: coaching.clock.nowMs)))
            }
            return try JSONResponse.make(out)
        }
    }

    func end(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try await coaching.end(context.staff, service: try Self.id("service", context), member: try Self.id("member", context))
        }
        return Response(status: .noContent)
    }

    struct InviteInput: Decodable { let group: String? }

    func invite(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.read(InviteInput.self, request, context: context)
        let group = try input?.group.map { try UUID(uuidString: $0) ?? { throw AppError.notFound }() }
        return try await Self.refusing {
            let made = try await coaching.invite(context.staff, service: try Self.id("service", context), group: group)
            return try JSONResponse.make(
                InvitationJSON(code: made.code, path: "/coaching/join?code=\(made.code)", expiresAt: ServerFrame.timestamp(made.expiresMs)),
                status: .created)
        }
    }

    func groups(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(try await coaching.groups(context.staff, service: try Self.id("service", context)).map(GroupJSON.init))
        }
    }

    struct GroupInput: Decodable { let name: String }

    func makeGroup(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(GroupInput.self, request, context: context)
        return try await Self.refusing {
            let g = try await coaching.makeGroup(context.staff, service: try Self.id("service", context), name: input.name)
            return try JSONResponse.make(GroupJSON(g), status: .created)
        }
    }

    struct MemberInput: Decodable { let member: String }

    func addMember(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(MemberInput.self, request, context: context)
        guard let member = UUID(uuidString: input.member) else { throw Self.appError(.notCoachee) }
        return try await Self.refusing {
            try JSONResponse.make(GroupJSON(try await coaching.addToGroup(context.staff, group: try Self.id("group", context), member: member)))
        }
    }

    func removeMember(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(
                GroupJSON(
                    try await coaching.removeFromGroup(context.staff, group: try Self.id("group", context), member: try Self.id("member", context))))
        }
    }

    // MARK: tasks

    func templates(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(try await coaching.templates(context.staff, service: try Self.id("service", context)).map(TemplateJSON.init))
        }
    }

    func addTemplate(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(ContentInput.self, request, context: context)
        return try await Self.refusing {
            let t = try await coaching.addTemplate(context.staff, service: try Self.id("service", context), content: try input.content())
            return try JSONResponse.make(TemplateJSON(t), status: .created)
        }
    }

    func deleteTemplate(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try await coaching.deleteTemplate(context.staff, id: try Self.id("id", context)) }
        return Response(status: .noContent)
    }

    /// A task's text as the API takes it (a task, or a template).
    struct ContentInput: Decodable {
        let title: String
        let instructions: String?
        let answerKind: String
        let checklist: [String]?
        let material: String?

        func content() throws -> TaskContent {
            guard let kind = AnswerKind(rawValue: answerKind) else { throw AppError(.badRequest, code: "bad_answer_kind") }
            return TaskContent(title: title, instructions: instructions ?? "", answerKind: kind, checklist: checklist ?? [], material: material ?? "")
        }
    }

    struct GiveInput: Decodable {
        let coachee: String?
        let group: String?
        /// A template of the coach's; its text is used unless `title` is given.
        let template: String?
        let title: String?
        let instructions: String?
        let answerKind: String?
        let checklist: [String]?
        let material: String?
        /// RFC 3339.
        let due: String?
    }

    func give(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(GiveInput.self, request, context: context)
        let assignee: CoachingService.Assignee
        switch (input.coachee.flatMap(UUID.init(uuidString:)), input.group.flatMap(UUID.init(uuidString:))) {
        case (let c?, nil): assignee = .coachee(c)
        case (nil, let g?): assignee = .group(g)
        default: throw AppError(.badRequest, code: "bad_assignee")
        }
        let due = try input.due.map { try Self.date($0) }
        let service = try Self.id("service", context)
        return try await Self.refusing {
            let content: TaskContent
            if let title = input.title {
                content = try ContentInput(
                    title: title, instructions: input.instructions, answerKind: input.answerKind ?? "text", checklist: input.checklist,
                    material: input.material
                ).content()
            } else if let template = input.template.flatMap(UUID.init(uuidString:)) {
                content = try await coaching.template(context.staff, service: service, template: template).content
            } else {
                throw CoachingService.Refusal.badTitle
            }
            let tasks = try await coaching.give(context.staff, service: service, to: assignee, content: content, dueMs: due)
            let now = coaching.clock.nowMs
            return try JSONResponse.make(tasks.map { TaskJSON($0, nowMs: now) }, status: .created)
        }
    }

    /// An RFC 3339 time, with or without fractions of a second.
    static func date(_ text: String) throws -> Int64 {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        guard text.count <= 40, let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw AppError(.badRequest, code: "bad_due")
        }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    struct FeedbackInput: Decodable {
        let feedback: String?
        let accept: Bool
    }

    func feedback(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(FeedbackInput.self, request, context: context)
        return try await Self.refusing {
            let t = try await coaching.feedback(context.staff, task: try Self.id("task", context), text: input.feedback ?? "", accept: input.accept)
            return try JSONResponse.make(TaskJSON(t, nowMs: coaching.clock.nowMs))
        }
    }

    func coacheeTasks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try Self.viewer(context)
        return try await Self.refusing {
            let tasks = try await coaching.tasks(service: try Self.id("service", context), coachee: try Self.id("member", context), viewer: viewer)
            let now = coaching.clock.nowMs
            return try JSONResponse.make(
                TaskListJSON(tasks: tasks.map { TaskJSON($0, nowMs: now) }, progress: CoachingProgress(tasks: tasks, nowMs: now)))
        }
    }

    func task(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try Self.viewer(context)
        return try await Self.refusing {
            try JSONResponse.make(TaskJSON(try await coaching.task(try Self.id("task", context), viewer: viewer), nowMs: coaching.clock.nowMs))
        }
    }

    // MARK: the coachee

    func mine(_ request: Request, context: MemberContext) async throws -> Response {
        var out: [CoachingJSON] = []
        for (c, info, coach) in try await coaching.coachings(member: context.signedInMember.memberID) {
            let groups = try await coaching.groups(member: c.member, service: c.service)
            out.append(CoachingJSON(c, service: info, coachName: coach, groups: groups, language: context.language))
        }
        return try JSONResponse.make(out)
    }

    struct JoinInput: Decodable { let code: String }

    func join(_ request: Request, context: MemberContext) async throws -> Response {
        let input = try await JSONBody.require(JoinInput.self, request, context: context)
        return try await Self.refusing {
            let c = try await coaching.join(context.signedInMember, code: input.code)
            let info = try await coaching.service(c.service)
            let coach = try await coaching.staff.member(id: c.coach)?.workName ?? ""
            let groups = try await coaching.groups(member: c.member, service: c.service)
            return try JSONResponse.make(
                CoachingJSON(c, service: info, coachName: coach, groups: groups, language: context.language), status: .created)
        }
    }

    struct AnswerInput: Decodable {
        let text: String?
        let checked: [Int]?
        let file: String?
    }

    func answer(_ request: Request, context: MemberContext) async throws -> Response {
        let input = try await JSONBody.require(AnswerInput.self, request, context: context)
        var file: UUID? = nil
        if let f = input.file { file = try UUID(uuidString: f) ?? { throw Self.appError(.badAnswer) }() }
        let a = TaskAnswer(text: input.text ?? "", checked: input.checked ?? [], file: file)
        return try await Self.refusing {
            let t = try await coaching.answer(context.signedInMember.memberID, task: try Self.id("task", context), a)
            return try JSONResponse.make(TaskJSON(t, nowMs: coaching.clock.nowMs))
        }
    }
}
