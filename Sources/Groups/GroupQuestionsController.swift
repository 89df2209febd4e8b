import Foundation
import Hummingbird
import KohtaamoBase

/// A Q&A group's questions page: members ask (under their nickname, or
/// anonymously to the group), workers answer, and each question shows
/// whether it is answered or still waiting. Forms only: no script needed.
struct GroupQuestionsController {
    let groups: GroupService
    let views: Views
    let pages: GroupPagesController

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/g/{slug}/questions", use: page)
        router.post("/g/{slug}/questions", use: ask)
        router.post("/g/{slug}/questions/{id}/answer", use: answer)
        router.post("/g/{slug}/questions/{id}/remove", use: remove)
    }

    /// The group, the reader's standing in it (a member or its staff), refused otherwise.
    private func reader(_ context: AppRequestContext) async throws -> (ServiceInfo, GroupSettings, GroupService.Standing) {
        let (info, settings) = try await pages.group(context)
        guard settings.style == .questions else { throw AppError.notFound }
        let standing = try await groups.standing(settings, info, staff: context.principal, member: context.member?.memberID)
        switch standing {
        case .staff, .member: return (info, settings, standing)
        case .hidden: throw AppError.notFound
        case .outside where context.principal != nil: throw AppError.forbidden
        case .outside where context.member == nil: throw AppError.memberUnauthorized
        default: throw AppError.forbidden
        }
    }

    private func render(
        _ request: Request, _ context: AppRequestContext, _ info: ServiceInfo, _ standing: GroupService.Standing,
        draft: String = "", errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let lang = context.language
        var isStaff = false, moderator = false, me: UUID?
        switch standing {
        case .staff(let m): isStaff = true; moderator = m
        case .member(let m): me = m.member
        default: break
        }
        let questions = try await groups.questions(service: info.id).filter { !$0.removed }.map { q in
            // Anonymous to the other members; the group's staff and the asker see the nickname.
            let who =
                q.anonymous && !isStaff && q.member != me
                ? views.localizer.t("group_question_anonymous", lang)
                : q.nickname + (q.anonymous ? " (\(views.localizer.t("group_question_anonymous", lang)))" : "")
            return GroupQuestionsPage.Question(
                id: q.id.uuidString, who: who, at: GroupPagesController.localTime(q.createdMs, lang), body: q.body, answered: q.answered,
                answers: q.answers.map { .init(from: $0.from.name, body: $0.body, at: GroupPagesController.localTime($0.createdMs, lang)) })
        }
        return views.page(
            .groupQuestions, title: views.title(views.localizer.t("group_questions_title", lang), info.names.in(lang)), request: request,
            context: context,
            status: status,
            model: GroupQuestionsPage(
                slug: info.slug, name: info.names.in(lang), questions: questions, hasQuestions: !questions.isEmpty,
                isStaff: isStaff, moderator: moderator, isMember: me != nil, draft: draft), errors: errors)
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (info, _, standing) = try await reader(context)
        return try await render(request, context, info, standing)
    }

    /// 1–2,000 characters of text (line breaks allowed).
    private func body(_ form: Form) -> String? {
        let b = form["body"].trimmingCharacters(in: .whitespacesAndNewlines)
        return Validate.length(b, 1...2000) && Validate.plainText(b) ? b : nil
    }

    func ask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, settings, standing) = try await reader(context)
        guard case .member(let m) = standing else { throw AppError.forbidden }
        guard let text = body(form) else {
            return try await render(
                request, context, info, standing, draft: form["body"], errors: FieldErrors("body", "error_group_question"), status: .badRequest)
        }
        try await groups.ask(settings, member: m, body: text, anonymous: form.has("anonymous"))
        return Views.redirect("/g/\(info.slug)/questions")
    }

    private func question(_ context: AppRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        return id
    }

    func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, settings, standing) = try await reader(context)
        guard case .staff = standing, let p = context.principal else { throw AppError.forbidden }
        guard let text = body(form) else { throw AppError(.badRequest, code: "bad_answer") }
        guard try await groups.answer(settings, question: try question(context), body: text, by: p) else { throw AppError.notFound }
        return Views.redirect("/g/\(info.slug)/questions")
    }

    func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let (info, settings, standing) = try await reader(context)
        guard case .staff(true) = standing, let p = context.principal else { throw AppError.forbidden }
        guard try await groups.removeQuestion(settings, id: try question(context), by: p, service: info) else { throw AppError.notFound }
        return Views.redirect("/g/\(info.slug)/questions")
    }
}
