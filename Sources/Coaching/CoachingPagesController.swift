import Foundation
import Hummingbird
import KohtaamoBase

/// The coach's pages, without JavaScript but for the live thread: the
/// services they coach in, a service (coachees, invitations, groups,
/// templates) and a coachee (thread, tasks, feedback, progress). The
/// rules are `CoachingService`'s; a refusal of what the coach typed comes
/// back beside the field, with the input kept.
struct CoachingPagesController {
    let coaching: CoachingService
    let views: Views
    /// The address people use, for the invitation link; without it, the request's host.
    let publicURL: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        let coach = router.group("/coaching", context: StaffContext.self)
        coach.get(use: services)
        coach.get("{service}", use: service)
        coach.post("{service}/invitations", use: invite)
        coach.post("{service}/groups", use: makeGroup)
        coach.post("{service}/groups/{group}/members", use: addToGroup)
        coach.post("{service}/templates", use: addTemplate)
        coach.post("{service}/templates/{id}/delete", use: deleteTemplate)
        coach.get("{service}/coachees/{member}", use: coachee)
        coach.post("{service}/coachees/{member}/tasks", use: give)
        coach.post("{service}/coachees/{member}/tasks/{task}/feedback", use: feedback)
    }

    static let threadTexts = [
        "you", "sending", "sent", "delivered", "failed", "retry", "typing", "connecting", "online", "offline", "removed", "tasks-changed",
    ]

    /// The live thread's part of a page: `kind` is the call's (`pair` or
    /// `group`), `next` the page the file form comes back to.
    static func thread(
        _ conversation: UUID, canSend: Bool, kind: String = "pair", next: String, fileError: String?, _ t: [String: String]
    ) -> ThreadView {
        ThreadView(
            conversation: conversation.text(), canSend: canSend, callKind: kind, next: next, fileError: fileError,
            texts: Views.scriptTexts(t, threadTexts, prefixes: ["coaching_js_", "chat_js_"]))
    }

    /// The text of a file the thread's form refused (`file_error` in the
    /// query, after `POST /coaching/threads/{conversation}/files`).
    static func fileError(_ request: Request, _ t: [String: String]) -> String? {
        guard let code = request.uri.queryParameters["file_error"].flatMap({ FileRefusal(rawValue: String($0)) }) else { return nil }
        return t["error_\(code.rawValue)"]
    }

    /// The coaching service of the path, by its slug or id.
    static func serviceInfo(_ coaching: CoachingService, _ context: some RequestContext) async throws -> ServiceInfo {
        guard let key = context.parameters.get("service") else { throw AppError.notFound }
        let found: ServiceInfo?
        if let id = UUID(uuidString: key) {
            found = try await coaching.services.service(id: id)
        } else {
            found = try await coaching.services.service(slug: key)
        }
        guard let info = found, info.kind == .coaching else { throw AppError.notFound }
        return info
    }

    private func text(_ context: some PageContext) -> CoachingPageText {
        CoachingPageText(t: views.localizer.catalogue(context.language), language: context.language, nowMs: coaching.clock.nowMs)
    }

    // MARK: the services

    func services(_ request: Request, context: StaffContext) async throws -> Response {
        let list = try await coaching.coached(by: context.staff).map {
            CoachingServicesPage.ServiceLink(slug: $0.slug, name: $0.names.in(context.language))
        }
        return views.page(
            .coachingServices, title: views.title(views.localizer.t("coaching_title", context.language)), request: request, context: context,
            model: CoachingServicesPage(services: list, hasServices: !list.isEmpty))
    }

    // MARK: a service

    /// What the coach typed into one of the service page's forms, to show it again.
    struct ServiceInput {
        var invitation: CoachingServicePage.Invitation? = nil
        var groupName = ""
        var groupError: String? = nil
        var template = TaskInput()
        var templateErrors: [String: String] = [:]
    }

    private func renderService(
        _ request: Request, _ context: StaffContext, _ info: ServiceInfo, input: ServiceInput = ServiceInput(),
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        let text = text(context)
        let lang = context.language
        return try await CoachingAPIController.refusing {
            let coachees = try await coaching.coachees(p, service: info.id)
            var rows: [CoachingServicePage.CoacheeRow] = []
            for c in coachees {
                let progress = CoachingProgress(
                    tasks: try await coaching.tasks(service: info.id, coachee: c.member, viewer: .staff(p.staffID)), nowMs: text.nowMs)
                rows.append(
                    .init(
                        member: c.member.uuidString.lowercased(), nickname: c.nickname, ended: c.status == .ended, open: progress.open,
                        late: progress.late, answered: progress.answered, done: progress.done))
            }
            let names = Dictionary(coachees.map { ($0.member, $0.nickname) }, uniquingKeysWith: { a, _ in a })
            let groups = try await coaching.groups(p, service: info.id).map { g in
                CoachingServicePage.GroupRow(
                    id: g.id.uuidString.lowercased(), name: g.name, link: "/coaching/\(info.slug)/groups/\(g.id.text())",
                    members: Views.nonEmpty(g.members.compactMap { names[$0] }.joined(separator: ", ")),
                    candidates: coachees.filter { !g.members.contains($0.member) && $0.status == .active }.map {
                        FieldOption(value: $0.member.uuidString.lowercased(), label: $0.nickname, selected: false)
                    },
                    hasCandidates: coachees.contains { !g.members.contains($0.member) && $0.status == .active })
            }
            let templates = try await coaching.templates(p, service: info.id).map {
                CoachingServicePage.TemplateRow(id: $0.id.uuidString.lowercased(), title: $0.content.title, kind: text.kind($0.content.answerKind))
            }
            let page = CoachingServicePage(
                slug: info.slug, name: info.names.in(lang), coachees: rows, hasCoachees: !rows.isEmpty, groups: groups, hasGroups: !groups.isEmpty,
                templates: templates, hasTemplates: !templates.isEmpty, invitation: input.invitation, groupName: input.groupName,
                groupNameError: input.groupError,
                templateForm: input.template.form(
                    prefix: "tpl-", text, errors: input.templateErrors, choices: try await coaching.taskMaterials(context.staff)))
            return views.page(
                .coachingService, title: views.title(info.names.in(lang), views.localizer.t("coaching_title", lang)), request: request,
                context: context, status: status, model: page, errors: errors)
        }
    }

    func service(_ request: Request, context: StaffContext) async throws -> Response {
        try await renderService(request, context, try await Self.serviceInfo(coaching, context))
    }

    /// A new code, shown once on the page that answers the form (not kept anywhere readable).
    func invite(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await Self.serviceInfo(coaching, context)
        var group: UUID? = nil
        if !form["group"].isEmpty {
            guard let id = UUID(uuidString: form["group"]) else { throw AppError.notFound }
            group = id
        }
        return try await CoachingAPIController.refusing {
            let made = try await coaching.invite(context.staff, service: info.id, group: group)
            var groupName: String? = nil
            if let group { groupName = try await coaching.group(context.staff, id: group).name }
            let base = publicURL ?? "http://\(request.head.authority ?? "127.0.0.1")"
            let invitation = CoachingServicePage.Invitation(
                code: made.code, link: "\(base)/coaching/join?code=\(made.code)", group: groupName, expires: text(context).time(made.expiresMs))
            return try await renderService(request, context, info, input: ServiceInput(invitation: invitation), status: .created)
        }
    }

    func makeGroup(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await Self.serviceInfo(coaching, context)
        do {
            _ = try await coaching.makeGroup(context.staff, service: info.id, name: form["name"])
            return Views.redirect("/coaching/\(info.slug)#groups")
        } catch CoachingService.Refusal.badGroupName {
            let text = text(context)
            var input = ServiceInput()
            input.groupName = form["name"]
            input.groupError = text.error(.badGroupName)
            return try await renderService(
                request, context, info, input: input, errors: FieldErrors("group-name", text.errorKey(.badGroupName)), status: .badRequest)
        } catch let r as CoachingService.Refusal {
            throw CoachingAPIController.appError(r)
        }
    }

    func addToGroup(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await Self.serviceInfo(coaching, context)
        let group = try CoachingAPIController.id("group", context)
        guard let member = UUID(uuidString: form["member"]) else { throw CoachingAPIController.appError(.notCoachee) }
        return try await CoachingAPIController.refusing {
            guard try await coaching.group(context.staff, id: group).service == info.id else { throw CoachingService.Refusal.notFound }
            _ = try await coaching.addToGroup(context.staff, group: group, member: member)
            return Views.redirect("/coaching/\(info.slug)#groups")
        }
    }

    func addTemplate(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await Self.serviceInfo(coaching, context)
        let input = TaskInput(form)
        do {
            _ = try await coaching.addTemplate(context.staff, service: info.id, content: try input.content())
            return Views.redirect("/coaching/\(info.slug)#templates")
        } catch let r as CoachingService.Refusal {
            let text = text(context)
            guard let (field, key) = input.problem(r, text) else { throw CoachingAPIController.appError(r) }
            var again = ServiceInput()
            again.template = input
            again.templateErrors = [field: text.t[key] ?? key]
            return try await renderService(request, context, info, input: again, errors: FieldErrors("tpl-\(field)", key), status: .badRequest)
        }
    }

    func deleteTemplate(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let info = try await Self.serviceInfo(coaching, context)
        let id = try CoachingAPIController.id("id", context)
        try await CoachingAPIController.refusing {
            guard try await coaching.templates(context.staff, service: info.id).contains(where: { $0.id == id }) else {
                throw CoachingService.Refusal.notFound
            }
            try await coaching.deleteTemplate(context.staff, id: id)
        }
        return Views.redirect("/coaching/\(info.slug)#templates")
    }

    // MARK: a coachee

    /// What the coach typed into the coachee page's forms, to show it again.
    struct CoacheeInput {
        var task = TaskInput()
        var taskErrors: [String: String] = [:]
        var template = ""
        var dueDate = ""
        var dueTime = "16:00"
        var feedback: (task: UUID, text: String, error: String)? = nil
    }

    private func renderCoachee(
        _ request: Request, _ context: StaffContext, _ info: ServiceInfo, member: UUID, input: CoacheeInput = CoacheeInput(),
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        var text = text(context)
        let lang = context.language
        return try await CoachingAPIController.refusing {
            let (_, c) = try await coaching.coachee(p, service: info.id, member: member)
            text.conversation = c.conversation
            let tasks = try await coaching.tasks(service: info.id, coachee: member, viewer: .staff(p.staffID))
            text.materialTitles = try await coaching.taskMaterialTitles(tasks)
            let sections = text.sections(tasks) { task, view in
                guard task.status == .answered else { return }
                if let f = input.feedback, f.task == task.id {
                    view.feedbackForm = FeedbackForm(text: f.text, error: f.error)
                } else {
                    view.feedbackForm = FeedbackForm(text: "", error: nil)
                }
            }
            let templates = try await coaching.templates(p, service: info.id).map {
                FieldOption(value: $0.id.uuidString.lowercased(), label: $0.content.title, selected: $0.id.uuidString.lowercased() == input.template)
            }
            let page = CoachingCoacheePage(
                base: "/coaching/\(info.slug)/coachees/\(member.uuidString.lowercased())", slug: info.slug, serviceName: info.names.in(lang),
                member: member.uuidString.lowercased(), nickname: c.nickname,
                ended: c.status == .ended,
                thread: Self.thread(
                    c.conversation, canSend: true, next: "/coaching/\(info.slug)/coachees/\(member.text())",
                    fileError: Self.fileError(request, text.t), text.t), sections: sections, hasTasks: !tasks.isEmpty,
                giveForm: input.task.form(prefix: "", text, errors: input.taskErrors, choices: try await coaching.taskMaterials(p)),
                templates: templates, hasTemplates: !templates.isEmpty,
                dueDate: input.dueDate, dueTime: input.dueTime, errDue: input.taskErrors["dueDate"], errTemplate: input.taskErrors["template"],
                progress: text.progress(tasks), script: views.assets.url("coaching.js"))
            return views.page(
                .coachingCoachee, title: views.title(c.nickname, info.names.in(lang)), request: request, context: context, status: status,
                model: page, errors: errors)
        }
    }

    func coachee(_ request: Request, context: StaffContext) async throws -> Response {
        let info = try await Self.serviceInfo(coaching, context)
        return try await renderCoachee(request, context, info, member: try CoachingAPIController.id("member", context))
    }

    /// Gives a task: the coach's own text, or a template's when a template is
    /// chosen and the title is left empty.
    func give(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await Self.serviceInfo(coaching, context)
        let member = try CoachingAPIController.id("member", context)
        let input = TaskInput(form)
        var again = CoacheeInput(task: input, template: form["template"], dueDate: form["dueDate"], dueTime: form["dueTime"])
        let text = text(context)
        do {
            // Rights first: a stranger learns nothing from the form's checks.
            _ = try await coaching.coachee(context.staff, service: info.id, member: member)
            let content: TaskContent
            if input.title.isEmpty, let template = UUID(uuidString: form["template"]) {
                content = try await coaching.template(context.staff, service: info.id, template: template).content
            } else {
                content = try input.content()
            }
            let due = try CoachingPageText.due(date: form["dueDate"], time: form["dueTime"]).get()
            _ = try await coaching.give(context.staff, service: info.id, to: .coachee(member), content: content, dueMs: due)
            return Views.redirect("/coaching/\(info.slug)/coachees/\(member.uuidString.lowercased())#tasks")
        } catch let r as CoachingService.Refusal {
            guard let (field, key) = input.problem(r, text) else { throw CoachingAPIController.appError(r) }
            again.taskErrors = [field: text.t[key] ?? key]
            return try await renderCoachee(request, context, info, member: member, input: again, errors: FieldErrors(field, key), status: .badRequest)
        }
    }

    /// Accepts the answer (`decision=accept`) or sends it back with feedback.
    func feedback(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await Self.serviceInfo(coaching, context)
        let member = try CoachingAPIController.id("member", context)
        let taskID = try CoachingAPIController.id("task", context)
        let text = text(context)
        do {
            let task = try await coaching.task(taskID, viewer: .staff(context.staff.staffID))
            guard task.coachee == member, task.service == info.id else { throw CoachingService.Refusal.notFound }
            _ = try await coaching.feedback(context.staff, task: taskID, text: form["feedback"], accept: form["decision"] == "accept")
            return Views.redirect("/coaching/\(info.slug)/coachees/\(member.uuidString.lowercased())#task-\(taskID.uuidString.lowercased())")
        } catch let r as CoachingService.Refusal where r == .badFeedback || r == .wrongState {
            let field = "feedback-\(taskID.uuidString.lowercased())"
            return try await renderCoachee(
                request, context, info, member: member,
                input: CoacheeInput(feedback: (taskID, form["feedback"], text.error(r))), errors: FieldErrors(field, text.errorKey(r)),
                status: r == .wrongState ? .conflict : .badRequest)
        } catch let r as CoachingService.Refusal {
            throw CoachingAPIController.appError(r)
        }
    }
}

/// A task's fields as the coach typed them; checklist steps one per line.
/// The material is either picked from the bank (`bank`, a client
/// material's id) or written as an address elsewhere (`material`), not both.
struct TaskInput {
    var title = ""
    var instructions = ""
    var kind = AnswerKind.text.rawValue
    var checklist = ""
    var material = ""
    var bank = ""

    init() {}

    init(_ form: Form) {
        // Instructions keep their own lines: read without the form's trimming of the whole.
        (title, kind, checklist, material, bank) = (form["title"], form["answerKind"], form["checklist"], form["material"], form["bank"])
        instructions = form["instructions"]
    }

    func content() throws -> TaskContent {
        guard let answerKind = AnswerKind(rawValue: kind) else { throw CoachingService.Refusal.badChecklist }
        let steps = checklist.split(whereSeparator: \.isNewline).map(String.init)
        var link = material
        if !bank.isEmpty {
            // The service checks that the bank gives it to clients (`banked`).
            guard material.isEmpty, let id = UUID(uuidString: bank) else { throw CoachingService.Refusal.badMaterial }
            link = MaterialLink.path(id)
        }
        return TaskContent(title: title, instructions: instructions, answerKind: answerKind, checklist: steps, material: link)
    }

    /// The field a refusal of the task's text belongs to and its text's
    /// catalogue key; nil for refusals of rights. A refused material is the
    /// bank's pick when one was made.
    func problem(_ r: CoachingService.Refusal, _ text: CoachingPageText) -> (field: String, key: String)? {
        let field: String
        switch r {
        case .badTitle: field = "title"
        case .badInstructions: field = "instructions"
        case .badChecklist: field = "checklist"
        case .badMaterial where !bank.isEmpty:
            return ("bank", material.isEmpty ? "materials_attach_error_bad_material" : "matd_error_bank_and_link")
        case .badMaterial: field = "material"
        case .badDue: field = "dueDate"
        default: return nil
        }
        return (field, text.errorKey(r))
    }

    /// `choices`: the client material the coach may pick (`taskMaterials`).
    func form(prefix: String, _ text: CoachingPageText, errors: [String: String], choices: [MaterialLink]) -> TaskForm {
        TaskForm(
            prefix: prefix, title: title, instructions: instructions, checklist: checklist, material: material, kinds: text.kinds(selected: kind),
            banks: [FieldOption(value: "", label: text.t["materials_attach_none"] ?? "", selected: bank.isEmpty)]
                + choices.map { FieldOption(value: $0.id.text(), label: $0.title, selected: bank.lowercased() == $0.id.text()) },
            errTitle: errors["title"], errInstructions: errors["instructions"], errChecklist: errors["checklist"], errMaterial: errors["material"],
            errBank: errors["bank"], errKind: nil)
    }
}
