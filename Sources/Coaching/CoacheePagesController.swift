import Foundation
import Hummingbird
import KohtaamoBase

/// The coachee's pages: their coachings, one coaching (thread, tasks and
/// answer forms, the coach's feedback, the history), and taking up an
/// invitation code. Without JavaScript but for the live thread.
struct CoacheePagesController {
    let coaching: CoachingService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let mine = router.group("/my/coaching", context: MemberContext.self)
        mine.get(use: coachings)
        mine.get("{service}", use: coachingPage)
        mine.post("{service}/tasks/{task}/answer", use: answer)
        // Anyone may open an invitation link; taking it up needs a client account.
        router.get("/coaching/join", use: joinPage)
        router.group("/coaching/join", context: MemberContext.self).post(use: join)
    }

    private func text(_ context: some PageContext) -> CoachingPageText {
        CoachingPageText(t: views.localizer.catalogue(context.language), language: context.language, nowMs: coaching.clock.nowMs)
    }

    func coachings(_ request: Request, context: MemberContext) async throws -> Response {
        let rows = try await coaching.coachings(member: context.signedInMember.memberID).map {
            MyCoachingsPage.Row(
                slug: $0.service.slug, name: $0.service.names.in(context.language), coach: $0.coachName, ended: $0.coachee.status == .ended)
        }
        return views.page(
            .myCoachings, title: views.title(views.localizer.t("coaching_my_title", context.language)), request: request, context: context,
            model: MyCoachingsPage(coachings: rows, hasCoachings: !rows.isEmpty))
    }

    /// The answer the coachee typed, kept when it is refused.
    struct AnswerInput {
        let task: UUID
        let text: String
        let checked: Set<Int>
        let error: String
    }

    private func render(
        _ request: Request, _ context: MemberContext, _ info: ServiceInfo, input: AnswerInput? = nil, errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let member = context.signedInMember.memberID
        var text = text(context)
        let lang = context.language
        return try await CoachingAPIController.refusing {
            let (_, c) = try await coaching.mine(member, service: info.id)
            text.conversation = c.conversation
            let coach = try await coaching.staff.member(id: c.coach)?.workName ?? ""
            let tasks = try await coaching.tasks(service: info.id, coachee: member, viewer: .client(member))
            text.materialTitles = try await coaching.taskMaterialTitles(tasks)
            let active = c.status == .active
            let sections = text.sections(tasks) { task, view in
                guard active, task.status == .open || task.status == .returned else { return }
                let kept = input?.task == task.id ? input : nil
                let steps = task.content.checklist.enumerated().map {
                    TaskView.Step(index: $0.offset, text: $0.element, checked: kept?.checked.contains($0.offset) ?? false)
                }
                let kind = task.content.answerKind
                view.answerForm = AnswerForm(
                    text: kept?.text ?? "", error: kept?.error, isText: kind == .text, isChecklist: kind == .checklist, isDone: kind == .done,
                    isFile: kind == .file, steps: steps)
            }
            let groups = try await coaching.groups(member: member, service: info.id).map {
                MyCoachingPage.GroupLink(name: $0.name, link: "/my/coaching/\(info.slug)/groups/\($0.id.text())")
            }
            let page = MyCoachingPage(
                base: "/my/coaching/\(info.slug)", slug: info.slug, name: info.names.in(lang), coach: coach, ended: !active,
                thread: CoachingPagesController.thread(
                    c.conversation, canSend: active, next: "/my/coaching/\(info.slug)",
                    fileError: CoachingPagesController.fileError(request, text.t), text.t),
                sections: sections, hasTasks: !tasks.isEmpty, groups: groups, hasGroups: !groups.isEmpty,
                script: views.assets.url("coaching.js"))
            return views.page(
                .myCoaching, title: views.title(info.names.in(lang), views.localizer.t("coaching_my_title", lang)), request: request,
                context: context, status: status, model: page, errors: errors)
        }
    }

    func coachingPage(_ request: Request, context: MemberContext) async throws -> Response {
        try await render(request, context, try await CoachingPagesController.serviceInfo(coaching, context))
    }

    /// The coachee's answer: words, ticked steps, or only "done" (files come with the upload).
    func answer(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let taskID = try CoachingAPIController.id("task", context)
        let checked = form.values("checked").compactMap { Int($0) }
        let answer = TaskAnswer(text: form["text"], checked: checked)
        let member = context.signedInMember.memberID
        let text = text(context)
        do {
            let task = try await coaching.task(taskID, viewer: .client(member))
            guard task.service == info.id else { throw CoachingService.Refusal.notFound }
            _ = try await coaching.answer(member, task: taskID, answer)
            return Views.redirect("/my/coaching/\(info.slug)#task-\(taskID.uuidString.lowercased())")
        } catch let r as CoachingService.Refusal where r == .badAnswer || r == .wrongState {
            let id = taskID.uuidString.lowercased()
            let kept = AnswerInput(task: taskID, text: form["text"], checked: Set(checked), error: text.error(r))
            return try await render(
                request, context, info, input: kept, errors: FieldErrors("answer-\(id)", text.errorKey(r)),
                status: r == .wrongState ? .conflict : .badRequest)
        } catch let r as CoachingService.Refusal {
            throw CoachingAPIController.appError(r)
        }
    }

    // MARK: joining

    private func renderJoin(
        _ request: Request, _ context: some PageContext, code: String, error: String? = nil, errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        // Sign-up and sign-in come back here with the code (letters and digits only).
        let safe = !code.isEmpty && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        let page = CoachingJoinPage(
            code: code, serviceName: try await coaching.invitedService(code: code)?.names.in(context.language), signedIn: context.member != nil,
            isStaff: context.principal != nil && context.member == nil,
            next: Cookies.nextQuery("/coaching/join" + (safe ? "?code=\(code)" : "")), codeError: error)
        return views.page(
            .coachingJoin, title: views.title(views.localizer.t("coaching_join_title", context.language)), request: request, context: context,
            status: status, model: page, errors: errors)
    }

    func joinPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await renderJoin(request, context, code: request.uri.queryParameters["code"].map { String($0.prefix(40)) } ?? "")
    }

    func join(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let code = String(form["code"].prefix(40))
        do {
            let c = try await coaching.join(context.signedInMember, code: code)
            let info = try await coaching.service(c.service)
            return Views.redirect("/my/coaching/\(info.slug)")
        } catch CoachingService.Refusal.invitationInvalid {
            let text = text(context)
            return try await renderJoin(
                request, context, code: code, error: text.error(.invitationInvalid), errors: FieldErrors("code", text.errorKey(.invitationInvalid)),
                status: .badRequest)
        } catch let r as CoachingService.Refusal {
            throw CoachingAPIController.appError(r)
        }
    }
}
