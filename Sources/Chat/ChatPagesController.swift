import Foundation
import HTTPTypes
import Hummingbird
import KohtaamoBase

/// The pages of the support chat: the client's chat (start, the live page,
/// delete, "did this help?"), leaving quickly, and the worker console.
struct ChatPagesController {
    let chats: SupportChatService
    let views: Views
    let secureCookies: Bool
    /// A neutral page to leave to (leave quickly).
    let neutralURL: String

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/chat/start/{service}", use: start)
        router.get("/chat/deleted", use: deletedPage)
        router.get("/chat/{id}", use: chatPage)
        router.get("/chat/{id}/delete", use: deleteConfirm)
        router.post("/chat/{id}/delete", use: delete)
        router.post("/chat/{id}/feedback", use: feedback)
        router.get("/leave", use: leave)
        router.group("/console", context: StaffContext.self).get(use: console)
    }

    private func t(_ context: some PageContext) -> [String: String] { views.localizer.catalogue(context.language) }

    /// The client's chat of the path, if this browser's token owns it.
    private func ownChat(_ request: Request, _ context: AppRequestContext) async throws -> SupportChat {
        guard let client = context.anonymousClient,
            let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let chat = try await chats.chat(id), chat.client == client, chat.status != .deleted
        else { throw AppError.notFound }
        return chat
    }

    func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let slug = context.parameters.get("service") ?? ""
        let (client, newToken) = try await chats.clientOrNew(context.anonymousClient)
        do {
            let (conversation, _) = try await chats.start(serviceSlug: slug, client: client, nickname: form["nickname"], language: context.language)
            var response = Views.redirect("/chat/\(conversation.uuidString.lowercased())")
            if let newToken { response.setCookie(Cookies.make(ChatAPIController.clientCookie, newToken, secure: secureCookies)) }
            return response
        } catch let refusal as SupportChatService.Refusal {
            if refusal == .badNickname { return Views.redirect("/s/\(slug)?nickname=long#start") }
            throw ChatAPIController.appError(refusal)
        }
    }

    private func scriptTexts(_ t: [String: String], _ keys: [String]) -> [[String: String]] { Views.scriptTexts(t, keys, prefixes: ["chat_js_"]) }

    static let clientTexts = [
        "you", "sending", "sent", "delivered", "failed", "retry", "typing", "online", "offline", "connecting",
        "wait-soon", "wait-range", "wait-under", "wait-none", "wait-unknown", "worker-here", "ended", "back-in-queue",
    ]
    static let consoleTexts = [
        "you", "sending", "sent", "delivered", "failed", "retry", "typing", "online", "offline", "connecting",
        "queue-item", "take", "taken-done", "closed-done", "queue-empty", "shift-started", "shift-ended", "shift-choose", "deleted-by-client",
        "colleague", "transferred", "assigned", "back-in-queue", "inserted", "no-topics",
    ]

    func chatPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chat = try await ownChat(request, context)
        let t = t(context)
        let service = try await chats.services.service(id: chat.service)
        let referrals = try await chats.services.referrals(service: chat.service).shown(in: context.language.rawValue)
        var status = t["chat_status_waiting"] ?? ""
        if chat.status == .waiting,
            let position = try await chats.waiting(services: [chat.service]).firstIndex(where: { $0.conversation == chat.conversation })
        {
            status = Self.waitText(try await chats.estimate(service: chat.service, position: position + 1), position: position + 1, t)
        } else if chat.status == .active,
            let worker = try await chats.realtime.participants(chat.conversation).first(where: { $0.sender.role != .client })
        {
            status = (t["chat_js_worker_here"] ?? "").replacingOccurrences(of: "{name}", with: worker.sender.name)
        } else if chat.status == .closed {
            status = t["chat_js_ended"] ?? ""
        }
        return views.page(
            .chat, title: views.title(service?.names.in(context.language) ?? views.localizer.t("kind_support_chat", context.language)),
            request: request, context: context,
            model: ChatPage(
                conversation: chat.conversation.uuidString.lowercased(), serviceName: service?.names.in(context.language) ?? "",
                slug: service?.slug ?? "", status: status, state: chat.status.rawValue, closed: chat.status == .closed,
                texts: scriptTexts(t, Self.clientTexts), script: views.assets.url("chat.js"),
                referrals: ReferralView.items(referrals), hasReferrals: !referrals.isEmpty,
                scores: (1...5).map { .init(value: $0, label: t["feedback_score_\($0)"] ?? "\($0)") }))
    }

    /// The waiting client's status line, the same text chat.js makes from a `position` frame.
    static func waitText(_ estimate: WaitEstimate, position: Int, _ t: [String: String]) -> String {
        let text: String
        switch estimate {
        case .noWorker: text = t["chat_js_wait_none"] ?? ""
        case .soon: text = t["chat_js_wait_soon"] ?? ""
        case .unknown: text = t["chat_js_wait_unknown"] ?? ""
        case .minutes(let low, _, let high):
            text = (t[low == 0 ? "chat_js_wait_under" : "chat_js_wait_range"] ?? "")
                .replacingOccurrences(of: "{low}", with: "\(low)").replacingOccurrences(of: "{high}", with: "\(high)")
        }
        return text.replacingOccurrences(of: "{n}", with: "\(position)")
    }

    func deleteConfirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let chat = try await ownChat(request, context)
        return views.page(
            .chatDeleteForm, title: views.title(views.localizer.t("chat_delete_title", context.language)), request: request, context: context,
            model: ChatDeletePage(conversation: chat.conversation.uuidString.lowercased()))
    }

    func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        try await chats.erase(try await ownChat(request, context))
        return Views.redirect("/chat/deleted")
    }

    func deletedPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        views.page(.chatDeleted, title: views.title(views.localizer.t("chat_deleted_title", context.language)), request: request, context: context)
    }

    func feedback(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let chat = try await ownChat(request, context)
        guard chat.status == .closed, let score = Int(form["score"]), (1...5).contains(score), Validate.length(form["comment"], 0...1000) else {
            throw AppError(.badRequest, code: "bad_feedback")
        }
        _ = try await chats.saveFeedback(
            chat.conversation, service: chat.service, score: score, comment: form["comment"],
            at: chats.nowMs())
        return views.page(
            .chatThanks, title: views.title(views.localizer.t("feedback_thanks_title", context.language)), request: request, context: context)
    }

    /// Ends the anonymous token and goes to a neutral page.
    func leave(_ request: Request, context: AppRequestContext) async throws -> Response {
        var response = Views.redirect(neutralURL)
        response.setCookie(Cookies.expire(ChatAPIController.clientCookie, secure: secureCookies))
        response.headers[HTTPField.Name("Clear-Site-Data")!] = "\"storage\""
        return response
    }

    func console(_ request: Request, context: StaffContext) async throws -> Response {
        let me = context.staff
        let t = t(context)
        let lang = context.language
        let onShift = Set(try await chats.shifts(staff: me.staffID))
        let services = try await chats.services.services(network: me.networkID)
            .filter { $0.kind == .supportChat && $0.organisations.contains(me.organisationID) }
        // The console's script builds a panel per chat from one template.
        var active: [[String: String]] = []
        for chat in try await chats.active(worker: me.staffID) {
            // The services already loaded; a chat handed over from a service not among them is looked up.
            var slug = services.first(where: { $0.id == chat.service })?.slug
            if slug == nil { slug = try await chats.services.service(id: chat.service)?.slug }
            active.append([
                "conversation": chat.conversation.uuidString.lowercased(), "nickname": chat.nickname,
                "notes": chat.notes?.uuidString.lowercased() ?? "", "language": chat.language,
                "service": slug ?? "",
            ])
        }
        let kit = try await chats.toolkit.kit(services: services, staff: me.staffID, language: lang)
        return views.page(
            .console, title: views.title(views.localizer.t("console_title", context.language)), request: request, context: context,
            model: ConsolePage(
                // With one service on offer there is nothing to choose: it is ticked.
                services: services.map { .init(slug: $0.slug, name: $0.names.in(lang), on: onShift.contains($0.id) || services.count == 1) },
                hasServices: !services.isEmpty, active: String(decoding: try JSONEncoder().encode(active), as: UTF8.self), kit: kit,
                texts: scriptTexts(t, Self.consoleTexts), script: views.assets.url("console.js")
            ))
    }
}
