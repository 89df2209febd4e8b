import Foundation
import Hummingbird
import KohtaamoBase

/// Coaching groups on the pages: the coach's page of a group (its thread,
/// its members, a group task and the group's tasks per member), the
/// member's page of a group (its thread), and a file attached to a thread
/// from any coaching page (a form without JavaScript).
struct CoachingGroupPagesController {
    let coaching: CoachingService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let coach = router.group("/coaching", context: StaffContext.self)
        coach.get("{service}/groups/{group}", use: groupPage)
        coach.post("{service}/groups/{group}/tasks", use: give)
        coach.post("{service}/groups/{group}/members/{member}/remove", use: remove)
        router.group("/my/coaching", context: MemberContext.self).get("{service}/groups/{group}", use: myGroup)
        router.post("/coaching/threads/{conversation}/files", use: attach)
    }

    private func text(_ context: some PageContext) -> CoachingPageText {
        CoachingPageText(t: views.localizer.catalogue(context.language), language: context.language, nowMs: coaching.clock.nowMs)
    }

    /// The coach's group of the service in the path.
    private func group(_ context: StaffContext, _ info: ServiceInfo) async throws -> CoachingGroup {
        let id = try CoachingAPIController.id("group", context)
        return try await CoachingAPIController.refusing {
            let g = try await coaching.group(context.staff, id: id)
            guard g.service == info.id else { throw CoachingService.Refusal.notFound }
            return g
        }
    }

    // MARK: the coach's page

    private func render(
        _ request: Request, _ context: StaffContext, _ info: ServiceInfo, _ g: CoachingGroup,
        input: CoachingPagesController.CoacheeInput = CoachingPagesController.CoacheeInput(), errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        let text = text(context)
        let lang = context.language
        let path = "/coaching/\(info.slug)/groups/\(g.id.text())"
        return try await CoachingAPIController.refusing {
            let coachees = try await coaching.coachees(p, service: info.id)
            let names = Dictionary(coachees.map { ($0.member, $0.nickname) }, uniquingKeysWith: { a, _ in a })
            var members: [CoachingGroupPage.Member] = []
            for m in g.members {
                // A group's task is one task per member; the member's status of each.
                let tasks = try await coaching.tasks(service: info.id, coachee: m, viewer: .staff(p.staffID)).filter { $0.groupTask != nil }
                members.append(
                    .init(
                        member: m.text(), nickname: names[m] ?? "",
                        tasks: tasks.map {
                            .init(
                                title: $0.content.title, status: text.t["coaching_status_\($0.status.rawValue)"] ?? "",
                                late: $0.isLate(at: text.nowMs), due: $0.dueMs.map(text.time))
                        }, hasTasks: !tasks.isEmpty))
            }
            let templates = try await coaching.templates(p, service: info.id).map {
                FieldOption(value: $0.id.text(), label: $0.content.title, selected: $0.id.text() == input.template)
            }
            let page = CoachingGroupPage(
                base: path, slug: info.slug, serviceName: info.names.in(lang), name: g.name,
                thread: CoachingPagesController.thread(
                    g.conversation, canSend: true, kind: "group", next: path, fileError: CoachingPagesController.fileError(request, text.t), text.t),
                members: members, hasMembers: !members.isEmpty,
                giveForm: input.task.form(prefix: "", text, errors: input.taskErrors, choices: try await coaching.taskMaterials(p)),
                templates: templates, hasTemplates: !templates.isEmpty, dueDate: input.dueDate, dueTime: input.dueTime,
                errDue: input.taskErrors["dueDate"], script: views.assets.url("coaching.js"))
            return views.page(
                .coachingGroup, title: views.title(g.name, info.names.in(lang)), request: request, context: context, status: status, model: page,
                errors: errors)
        }
    }

    func groupPage(_ request: Request, context: StaffContext) async throws -> Response {
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        return try await render(request, context, info, try await group(context, info))
    }

    /// A task for the whole group: the same fields as a coachee's task.
    func give(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        // Rights first: a stranger learns nothing from the form's checks.
        let g = try await group(context, info)
        let input = TaskInput(form)
        var again = CoachingPagesController.CoacheeInput(task: input, template: form["template"], dueDate: form["dueDate"], dueTime: form["dueTime"])
        let text = text(context)
        do {
            let content: TaskContent
            if input.title.isEmpty, let template = UUID(uuidString: form["template"]) {
                content = try await coaching.template(context.staff, service: info.id, template: template).content
            } else {
                content = try input.content()
            }
            let due = try CoachingPageText.due(date: form["dueDate"], time: form["dueTime"]).get()
            _ = try await coaching.give(context.staff, service: info.id, to: .group(g.id), content: content, dueMs: due)
            return Views.redirect("/coaching/\(info.slug)/groups/\(g.id.text())#members")
        } catch let r as CoachingService.Refusal {
            guard let (field, key) = input.problem(r, text) else { throw CoachingAPIController.appError(r) }
            again.taskErrors = [field: text.t[key] ?? key]
            return try await render(request, context, info, g, input: again, errors: FieldErrors(field, key), status: .badRequest)
        }
    }

    func remove(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let g = try await group(context, info)
        let member = try CoachingAPIController.id("member", context)
        try await CoachingAPIController.refusing {
            guard g.members.contains(member) else { throw CoachingService.Refusal.notFound }
            _ = try await coaching.removeFromGroup(context.staff, group: g.id, member: member)
        }
        return Views.redirect("/coaching/\(info.slug)/groups/\(g.id.text())#members")
    }

    // MARK: the member's page

    func myGroup(_ request: Request, context: MemberContext) async throws -> Response {
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let id = try CoachingAPIController.id("group", context)
        let member = context.signedInMember.memberID
        let text = text(context)
        let lang = context.language
        return try await CoachingAPIController.refusing {
            guard let g = try await coaching.groups(member: member, service: info.id).first(where: { $0.id == id }) else {
                throw CoachingService.Refusal.notFound
            }
            let (_, c) = try await coaching.mine(member, service: info.id)
            let path = "/my/coaching/\(info.slug)/groups/\(g.id.text())"
            let page = MyCoachingGroupPage(
                slug: info.slug, serviceName: info.names.in(lang), name: g.name,
                thread: CoachingPagesController.thread(
                    g.conversation, canSend: c.status == .active, kind: "group", next: path,
                    fileError: CoachingPagesController.fileError(request, text.t), text.t),
                script: views.assets.url("coaching.js"))
            return views.page(
                .myCoachingGroup, title: views.title(g.name, info.names.in(lang)), request: request, context: context, model: page)
        }
    }

    // MARK: a file in a thread

    /// A file from the thread's form: kept and named in the thread, then back
    /// to the page it came from; a refused file comes back there with its reason.
    func attach(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (viewer, sender) = try CoachingFilesController.sender(context)
        let conversation = try CoachingAPIController.id("conversation", context)
        // The person first: a stranger learns nothing of the limits or the form.
        let settings = try await CoachingAPIController.refusing { try await coaching.thread(conversation, viewer: viewer) }
        let form: MultipartForm
        do {
            form = try await MultipartForm.read(request, context: context, maxFileBytes: coaching.policy(settings).maxBytes)
        } catch let e as AppError where e.code == FileRefusal.tooLarge.rawValue {
            // The body was not read whole, so the page it came from is not known: the referring page.
            return Views.redirect(Self.back(Cookies.safeNext(Self.referer(request)) ?? "/", refusal: .tooLarge))
        }
        let next = Cookies.safeNext(form["next"]) ?? "/"
        do {
            guard let file = form.file, !file.bytes.isEmpty else { throw FileRefusal.empty }
            _ = try await CoachingAPIController.refusing {
                try await coaching.upload(conversation, name: file.name, bytes: file.bytes, viewer: viewer, sender: sender, share: true)
            }
            return Views.redirect(next + "#thread-title")
        } catch let r as FileRefusal {
            return Views.redirect(Self.back(next, refusal: r))
        }
    }

    /// The page again, with the refusal named for the file field.
    static func back(_ next: String, refusal: FileRefusal) -> String {
        let path = next.split(separator: "#", maxSplits: 1).first.map(String.init) ?? next
        return path + (path.contains("?") ? "&" : "?") + "file_error=\(refusal.rawValue)#thread-file"
    }

    /// The path of the page the form was on, from the Referer (same site only).
    static func referer(_ request: Request) -> String? {
        guard let raw = request.headers[.referer], let url = URL(string: raw) else { return nil }
        let query = url.query.map { "?\($0)" } ?? ""
        return url.path.isEmpty ? nil : url.path + query
    }
}

/// The coach's page of a coaching group (`coaching_group.mustache`).
struct CoachingGroupPage: PageModel {
    let base: String
    let slug: String
    let serviceName: String
    let name: String
    let thread: ThreadView
    let members: [Member]
    let hasMembers: Bool
    let giveForm: TaskForm
    let templates: [FieldOption]
    let hasTemplates: Bool
    let dueDate: String
    let dueTime: String
    let errDue: String?
    let script: String

    struct Member {
        let member: String
        let nickname: String
        let tasks: [Task]
        let hasTasks: Bool
    }

    struct Task {
        let title: String
        let status: String
        let late: Bool
        let due: String?
    }
}

/// A member's page of their coaching group (`my_coaching_group.mustache`).
struct MyCoachingGroupPage: PageModel {
    let slug: String
    let serviceName: String
    let name: String
    let thread: ThreadView
    let script: String
}
