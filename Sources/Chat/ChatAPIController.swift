import Foundation
import Hummingbird
import KohtaamoBase
import KohtaamoRealtime

/// The JSON entry points of the support chat (PROTOCOL.md): start a chat
/// anonymously, shifts, the queue, take, close, and delete-my-conversation.
struct ChatAPIController {
    let chats: SupportChatService
    let secureCookies: Bool
    static let clientCookie = "k_client"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/api/support/{service}/chats", use: start)
        let shifts = router.group("/api/shifts", context: StaffContext.self)
        shifts.post(use: startShift)
        shifts.delete(use: endShift)
        let staff = router.group("/api/support", context: StaffContext.self)
        staff.get("queue", use: queue)
        staff.post("chats/{id}/take", use: take)
        staff.post("chats/{id}/close", use: close)
        staff.get("chats/{id}/colleagues", use: colleagues)
        staff.post("chats/{id}/transfer", use: transfer)
        router.delete("/api/support/chats/{id}", use: delete)
    }

    /// Maps the rules' refusals to stable codes and statuses.
    static func appError(_ refusal: SupportChatService.Refusal) -> AppError {
        switch refusal {
        case .noSuchService, .noSuchChat: .notFound
        case .closed: AppError(.conflict, code: "closed")
        case .tooMany: AppError(.tooManyRequests, code: "rate_limited", headers: [.retryAfter: "600"])
        case .badNickname: AppError(.badRequest, code: "bad_nickname")
        case .notOnShift: AppError(.forbidden, code: "not_on_shift")
        case .taken: AppError(.conflict, code: "taken")
        case .limitReached: AppError(.conflict, code: "limit_reached")
        case .notYours: .forbidden
        case .notAllowed: AppError(.forbidden, code: "not_your_service")
        case .badTopics: AppError(.badRequest, code: "bad_topics")
        }
    }

    func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as SupportChatService.Refusal { throw Self.appError(r) }
    }

    struct StartRequest: Decodable { let nickname: String? }
    struct StartResponse: Encodable { let conversation: String; let position: Int }

    func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.read(StartRequest.self, request, context: context)
        let (client, newToken) = try await chats.clientOrNew(context.anonymousClient)
        let slug = context.parameters.get("service") ?? ""
        let (conversation, position) = try await refusing {
            try await chats.start(serviceSlug: slug, client: client, nickname: input?.nickname, language: context.language)
        }
        var response = try JSONResponse.make(StartResponse(conversation: conversation.uuidString.lowercased(), position: position), status: .created)
        if let newToken { response.setCookie(Cookies.make(Self.clientCookie, newToken, secure: secureCookies)) }
        return response
    }

    struct ShiftRequest: Decodable { let services: [String] }

    func startShift(_ request: Request, context: StaffContext) async throws -> Response {
        let me = context.staff
        guard let input = try await JSONBody.read(ShiftRequest.self, request, context: context), !input.services.isEmpty, input.services.count <= 50
        else {
            throw AppError(.badRequest, code: "bad_services")
        }
        try await refusing { try await chats.setShift(staff: me, slugs: input.services) }
        return Response(status: .noContent)
    }

    func endShift(_ request: Request, context: StaffContext) async throws -> Response {
        try await chats.endShift(staff: context.staff)
        return Response(status: .noContent)
    }

    func queue(_ request: Request, context: StaffContext) async throws -> Response {
        let me = context.staff
        guard !(try await chats.shifts(staff: me.staffID)).isEmpty else { throw AppError(.forbidden, code: "not_on_shift") }
        return try JSONResponse.make(try await chats.queue(for: me.staffID))
    }

    struct TakeResponse: Encodable {
        let conversation: String; let service: String; let nickname: String; let waitingSince: String; let notes: String?; let language: String
    }

    func take(_ request: Request, context: StaffContext) async throws -> Response {
        let me = context.staff
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        let chat = try await refusing { try await chats.take(id, by: me) }
        let slug = try await chats.services.service(id: chat.service)?.slug ?? ""
        return try JSONResponse.make(
            TakeResponse(
                conversation: id.uuidString.lowercased(), service: slug, nickname: chat.nickname,
                waitingSince: ServerFrame.timestamp(chat.waitingSinceMs), notes: chat.notes?.uuidString.lowercased(),
                language: chat.language))
    }

    struct CloseRequest: Decodable { let topics: [String]? }

    func close(_ request: Request, context: StaffContext) async throws -> Response {
        let me = context.staff
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        let topics = try await JSONBody.read(CloseRequest.self, request, context: context)?.topics ?? []
        guard topics.count <= 20, topics.allSatisfy({ UUID(uuidString: $0) != nil }) else {
            throw AppError(.badRequest, code: "bad_topics")
        }
        try await refusing { try await chats.close(id, by: me, topics: topics) }
        return Response(status: .noContent)
    }

    struct Colleague: Encodable { let id: String; let name: String }

    func colleagues(_ request: Request, context: StaffContext) async throws -> Response {
        let me = context.staff
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        let list = try await refusing { try await chats.colleagues(for: id, of: me) }
        return try JSONResponse.make(list.map { Colleague(id: $0.id.uuidString.lowercased(), name: $0.name) })
    }

    struct TransferRequest: Decodable { let to: String?; let service: String?; let note: String? }

    /// To a colleague (`to`: their id) or back to a service's queue (`service`: its slug), with a note for staff.
    func transfer(_ request: Request, context: StaffContext) async throws -> Response {
        let me = context.staff
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        let input = try await JSONBody.require(TransferRequest.self, request, context: context)
        let note = input.note ?? ""
        guard Validate.length(note, 0...2000) else { throw AppError(.badRequest, code: "bad_note") }
        try await refusing {
            if let to = input.to, input.service == nil, let colleague = UUID(uuidString: to), colleague != me.staffID {
                try await chats.transfer(id, from: me, to: try await chats.colleague(colleague, of: me), note: note)
            } else if let slug = input.service, input.to == nil {
                try await chats.transfer(id, from: me, toService: slug, note: note)
            } else {
                throw AppError(.badRequest, code: "bad_transfer")
            }
        }
        return Response(status: .noContent)
    }

    /// The client erases their own conversation; staff then see only that it was deleted.
    func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let client = context.anonymousClient else { throw AppError.unauthorized }
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let chat = try await chats.chat(id), chat.client == client, chat.status != .deleted
        else { throw AppError.notFound }
        try await chats.erase(chat)
        return Response(status: .noContent)
    }
}
