import Foundation
import Hummingbird
import KohtaamoBase

/// A registered client's own view of reach-out, `/my/contacts`: who
/// contacts them (by work name), how often, when and how, the chat thread
/// when one has been opened, and saying no to further contacts (with a
/// confirmation step). Never the workers' label or note.
struct MyContactsController {
    let reachout: ReachoutService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let mine = router.group("/my/contacts", context: MemberContext.self)
        mine.get(use: contacts)
        mine.get("{plan}", use: thread)
        mine.get("{plan}/decline", use: confirmDecline)
        mine.post("{plan}/decline", use: decline)
    }

    func text(_ context: some PageContext) -> PlanText { PlanText(t: views.localizer.catalogue(context.language), language: context.language) }

    /// The texts of the live thread's script (as the coaching thread's).
    static let threadTexts = ["you", "sending", "sent", "delivered", "failed", "retry", "typing", "connecting", "online", "offline", "removed"]

    func workName(_ plan: ContactPlan) async throws -> String { try await reachout.staff.member(id: plan.owner)?.workName ?? "" }

    func contacts(_ request: Request, context: MemberContext) async throws -> Response {
        let x = text(context)
        var rows: [MyContactsPage.Row] = []
        for plan in try await reachout.mine(member: context.signedInMember.memberID) {
            rows.append(
                .init(
                    id: plan.id.text(), worker: try await workName(plan), rhythm: x.rhythm(plan.rhythm), time: x.clock(plan.minute),
                    channel: x.channel(plan.channel), thread: plan.conversation == nil ? nil : "/my/contacts/\(plan.id.text())"))
        }
        return views.page(
            .myContacts, title: views.title(x.s("my_contacts_title")), request: request, context: context,
            model: MyContactsPage(contacts: rows, hasContacts: !rows.isEmpty, declined: request.uri.queryParameters["declined"] == "1"))
    }

    /// One of the client's own plans that has not ended, or not found.
    private func mine(_ context: MemberContext) async throws -> ContactPlan {
        let id = try ReachoutAPIController.id("plan", context)
        guard let plan = try await reachout.mine(member: context.signedInMember.memberID).first(where: { $0.id == id }) else {
            throw ReachoutAPIController.appError(.notFound)
        }
        return plan
    }

    func thread(_ request: Request, context: MemberContext) async throws -> Response {
        let plan = try await mine(context)
        guard let conversation = plan.conversation else { throw ReachoutAPIController.appError(.notFound) }
        let x = text(context)
        let worker = try await workName(plan)
        return views.page(
            .myContactThread, title: views.title(worker, x.s("my_contacts_title")), request: request, context: context,
            model: MyContactThreadPage(
                worker: worker, conversation: conversation.text(),
                texts: Views.scriptTexts(x.t, Self.threadTexts, prefixes: ["coaching_js_", "chat_js_"]), script: views.assets.url("coaching.js")))
    }

    func confirmDecline(_ request: Request, context: MemberContext) async throws -> Response {
        let plan = try await mine(context)
        let x = text(context)
        return views.page(
            .myContactDecline, title: views.title(x.s("my_contacts_decline_title"), x.s("my_contacts_title")), request: request, context: context,
            model: MyContactDeclinePage(id: plan.id.text(), worker: try await workName(plan), rhythm: x.rhythm(plan.rhythm)))
    }

    func decline(_ request: Request, context: MemberContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let id = try ReachoutAPIController.id("plan", context)
        try await ReachoutAPIController.refusing { try await reachout.decline(member: context.signedInMember.memberID, plan: id) }
        return Views.redirect("/my/contacts?declined=1")
    }
}
