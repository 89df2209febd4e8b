import Foundation
import Hummingbird
import KohtaamoBase
import KohtaamoRealtime

/// The coordinators' view of the support chat: queue length, longest wait
/// and active chats per worker, without their contents. Reading a
/// transcript asks for a reason and is written to the audit log.
struct SupervisorController {
    let chats: SupportChatService
    let views: Views
    let audit: AuditLog

    func addRoutes(to router: Router<AppRequestContext>) {
        let console = router.group("/console", context: CoordinatorContext.self)
        console.get("supervisor", use: overview)
        console.get("transcripts/{id}", use: reasonForm)
        console.post("transcripts/{id}", use: transcript)
        console.post("supervisor/limits/{staff}", use: setLimit)
    }

    /// Organisations this coordinator manages.
    func managed(_ me: StaffPrincipal) async throws -> [UUID] {
        Array(Set(try await chats.services.services(network: me.networkID).flatMap(\.organisations) + [me.organisationID]))
            .filter { me.canManage(organisation: $0, inNetwork: me.networkID) }
    }

    /// How many chats at once a worker may have (1–10; default 3).
    func setLimit(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        guard let id = context.parameters.get("staff").flatMap(UUID.init(uuidString:)),
            try await chats.staff.members(organisations: managed(me)).contains(where: { $0.id == id })
        else { throw AppError.notFound }
        guard let max = Int(form["max"]), (1...10).contains(max) else { throw AppError(.badRequest, code: "bad_limit_value") }
        try await chats.setMaxChats(staff: id, max)
        // Their free places changed: so did the estimates of the clients waiting for them.
        await chats.workerMoved(id)
        let member = try await chats.staff.member(id: id)
        try await audit.record(
            .init(
                atMs: chats.nowMs(), staffID: me.staffID, staffName: me.workName,
                organisationID: member?.organisationID ?? me.organisationID,
                action: "chat.limit", target: "\(member?.workName ?? "") (\(max))", reason: ""))
        return Views.redirect("/console/supervisor#limits")
    }

    /// Support chats this coordinator oversees: of their network, where
    /// an organisation they manage owns or shares it.
    func overseen(_ me: StaffPrincipal) async throws -> [ServiceInfo] {
        try await chats.services.services(network: me.networkID).filter { s in
            s.kind == .supportChat && s.organisations.contains { me.canManage(organisation: $0, inNetwork: me.networkID) }
        }
    }

    func overview(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let lang = context.language
        let now = chats.nowMs()
        var services: [SupervisorPage.Service] = []
        for s in try await overseen(me) {
            let waiting = try await chats.waiting(services: [s.id])
            let active = try await chats.active(services: [s.id])
            var perWorker: [UUID: Int] = [:]
            for chat in active { if let w = chat.worker { perWorker[w, default: 0] += 1 } }
            for w in try await chats.onShift(service: s.id) where perWorker[w] == nil { perWorker[w] = 0 }
            var workers: [SupervisorPage.Worker] = []
            for (id, count) in perWorker {
                workers.append(.init(name: try await chats.staff.member(id: id)?.workName ?? "?", count: count))
            }
            let chatsRows: [SupervisorPage.Chat] = try await active.asyncMap { chat in
                .init(
                    id: chat.conversation.uuidString.lowercased(), nickname: chat.nickname,
                    worker: try await chat.worker.asyncFlatMap { try await chats.staff.member(id: $0)?.workName } ?? "",
                    minutes: max(0, Int((now - (chat.takenMs ?? now)) / 60_000)))
            }
            services.append(
                .init(
                    name: s.names.in(lang), waiting: waiting.count,
                    longest: waiting.first.map { max(0, Int((now - $0.waitingSinceMs) / 60_000)) } ?? 0,
                    workers: workers.sorted { $0.name < $1.name }, hasWorkers: !workers.isEmpty,
                    chats: chatsRows, hasChats: !chatsRows.isEmpty
                ))
        }
        let managedOrgs = try await managed(me)
        var limits: [SupervisorPage.Limit] = []
        for m in try await chats.staff.members(organisations: managedOrgs).sorted(by: { $0.workName < $1.workName }) {
            limits.append(.init(id: m.id.uuidString.lowercased(), name: m.workName, max: try await chats.maxChats(staff: m.id)))
        }
        return views.page(
            .supervisor, title: views.title(views.localizer.t("supervisor_title", context.language)), request: request, context: context,
            model: SupervisorPage(services: services, hasServices: !services.isEmpty, limits: limits))
    }

    /// The chat of the path, if it belongs to a service this coordinator oversees.
    func target(_ context: CoordinatorContext, _ me: StaffPrincipal) async throws -> SupportChat {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let chat = try await chats.chat(id), chat.status != .deleted,
            try await overseen(me).contains(where: { $0.id == chat.service })
        else { throw AppError.notFound }
        return chat
    }

    func reasonForm(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let chat = try await target(context, me)
        return views.page(
            .transcriptForm, title: views.title(views.localizer.t("transcript_title", context.language)), request: request,
            context: context, model: TranscriptFormPage(id: chat.conversation.uuidString.lowercased(), nickname: chat.nickname))
    }

    func transcript(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        let chat = try await target(context, me)
        let reason = form["reason"]
        guard Validate.length(reason, 5...500), Validate.plainLine(reason.replacingOccurrences(of: "\n", with: " ")) else {
            var errors = FieldErrors()
            errors.add("reason", "error_reason")
            return views.page(
                .transcriptForm, title: views.title(views.localizer.t("transcript_title", context.language)), request: request,
                context: context, status: .badRequest,
                model: TranscriptFormPage(id: chat.conversation.uuidString.lowercased(), nickname: chat.nickname, reason: reason), errors: errors)
        }
        // Written before anything is shown: no reading without a record.
        try await audit.record(
            .init(
                atMs: chats.nowMs(), staffID: me.staffID, staffName: me.workName,
                organisationID: me.organisationID, action: "transcript.open",
                target: chat.conversation.uuidString.lowercased(), reason: reason))
        var messages: [TranscriptPage.Message] = []
        var after: Int64 = 0
        while true {
            let page = try await chats.realtime.messages(conversation: chat.conversation, after: after, limit: 500)
            guard let last = page.last else { break }
            messages += page.map {
                .init(
                    from: $0.from.name, role: $0.from.role.rawValue, body: $0.body,
                    at: ServerFrame.timestamp($0.atMs).prefix(16).replacingOccurrences(of: "T", with: " "))
            }
            after = last.seq
        }
        return views.page(
            .transcript, title: views.title(views.localizer.t("transcript_title", context.language)), request: request,
            context: context, model: TranscriptPage(nickname: chat.nickname, messages: messages, hasMessages: !messages.isEmpty))
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

extension Optional {
    func asyncFlatMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
