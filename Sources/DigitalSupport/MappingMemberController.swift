import Foundation
import Hummingbird
import KohtaamoBase

/// A registered client's own needs mapping, without JavaScript: the
/// questionnaire (`/my/digital/mapping`) and their profile, goals and
/// progress (`/my/digital/mapping/progress`).
struct MappingMemberController {
    let digital: DigitalService
    let views: Views
    var shared: MappingViews { MappingViews(digital: digital, views: views) }

    func addRoutes(to router: Router<AppRequestContext>) {
        let mine = router.group("/my/digital/mapping", context: MemberContext.self)
        mine.get(use: form)
        mine.post(use: make)
        mine.get("progress", use: progress)
        mine.post("goals", use: addGoal)
        mine.post("goals/{goal}/status", use: setGoal)
    }

    func form(_ request: Request, context: MemberContext) async throws -> Response {
        let q = try await digital.myQuestionnaire(member: context.signedInMember.memberID)
        return shared.fill(request, context, questionnaire: q, action: "/my/digital/mapping", isStaff: false, nickname: "", back: "/my/digital")
    }

    func make(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let member = context.signedInMember.memberID
        let q = try await digital.myQuestionnaire(member: member)
        let typed = MappingViews.typedAnswers(form, q)
        do {
            _ = try await digital.makeMyMapping(member: member, answers: typed)
            return Views.redirect("/my/digital/mapping/progress?saved=1")
        } catch let r as MappingRefusedFields {
            return shared.fill(
                request, context, questionnaire: q, action: "/my/digital/mapping", isStaff: false, nickname: "", back: "/my/digital", typed: typed,
                problems: r.problems, status: .badRequest)
        }
    }

    func progress(_ request: Request, context: MemberContext) async throws -> Response {
        try await render(request, context)
    }

    func render(
        _ request: Request, _ context: MemberContext, goalTyped: (theme: String, text: String) = ("", ""),
        problems: [(field: String, refusal: MappingRefusal, line: Int)] = [], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let member = context.signedInMember.memberID
        let x = shared.text(context)
        return try await shared.progress(
            request, context, mappings: try await digital.myMappings(member: member), goals: try await digital.myGoals(member: member),
            heading: x.s("mapping_progress_title"), isStaff: false, base: "/my/digital/mapping", fillLink: "/my/digital/mapping", back: "/my/digital",
            goalTyped: goalTyped, problems: problems, status: status)
    }

    func addGoal(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        do {
            _ = try await digital.addMyGoal(member: context.signedInMember.memberID, theme: form["theme"], text: form["text"])
            return Views.redirect("/my/digital/mapping/progress#goals")
        } catch let r as MappingRefusedFields {
            return try await render(request, context, goalTyped: (form["theme"], form["text"]), problems: r.problems, status: .badRequest)
        }
    }

    func setGoal(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let goal = try context.pathID("goal")
        try await MappingPagesController.refusing {
            try await digital.setMyGoal(member: context.signedInMember.memberID, goal: goal, done: form["done"] == "1")
        }
        return Views.redirect("/my/digital/mapping/progress#goals")
    }
}
