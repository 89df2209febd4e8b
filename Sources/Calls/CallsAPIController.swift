import Foundation
import Hummingbird
import KohtaamoBase
import KohtaamoRealtime

/// The JSON entry points of calls (docs/openapi.yaml, tag Calls). Anyone
/// taking part in the conversation uses them: staff, registered clients and
/// anonymous clients alike; the rules are in `CallService`.
struct CallsAPIController {
    let calls: CallService

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/api/conversations/{id}/peers", use: peers)
        let api = router.group("/api/calls")
        api.get(use: overview)
        api.post(use: start)
        api.get("ice", use: ice)
        api.get("meeting", use: meeting)
        api.post("{call}/join", use: join)
        api.post("{call}/decline") { request, context in try await act(request, context) { try await calls.decline($0, call: $1) } }
        api.post("{call}/leave") { request, context in try await act(request, context) { try await calls.leave($0, call: $1) } }
        api.post("{call}/mute-all") { request, context in try await act(request, context) { try await calls.muteAll($0, call: $1) } }
        api.post("{call}/hand", use: hand)
        api.post("{call}/media", use: media)
        api.post("{call}/remove", use: remove)
        // A page's link to the room's large meeting: the browser goes straight there.
        router.get("/calls/meeting") { request, context -> Response in
            let link = try await refusing { try await calls.meetingLink(try caller(context), conversation: try conversation(request)) }
            return Response(status: .seeOther, headers: [.location: link.url, .cacheControl: "no-store"])
        }
    }

    static func appError(_ refusal: CallService.Refusal) -> AppError {
        switch refusal {
        case .notParticipant: AppError(.forbidden, code: "not_participant")
        case .notAllowed: AppError(.forbidden, code: "not_allowed")
        case .callActive: AppError(.conflict, code: "call_active")
        case .callFull: AppError(.conflict, code: "call_full")
        case .callEnded: AppError(.conflict, code: "call_ended")
        case .removedFromCall: AppError(.forbidden, code: "removed_from_call")
        case .notModerator: AppError(.forbidden, code: "not_moderator")
        case .noSuchCall: .notFound
        case .notConfigured: AppError(.notFound, code: "not_configured")
        case .notInCall: AppError(.conflict, code: "not_in_call")
        case .tooMany(let ms): AppError(.tooManyRequests, code: "rate_limited", headers: [.retryAfter: String(max(1, (ms + 999) / 1000))])
        }
    }

    func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as CallService.Refusal { throw Self.appError(r) }
    }

    /// Who asks, from the cookies the session middleware read.
    func caller(_ context: AppRequestContext) throws -> CallService.Caller {
        if let p = context.principal { return .init(identity: .staff(p.staffID), staff: p) }
        if let m = context.member { return .init(identity: .client(m.memberID), staff: nil) }
        if let c = context.anonymousClient { return .init(identity: .client(c), staff: nil) }
        throw AppError.unauthorized
    }

    func conversation(_ request: Request) throws -> UUID {
        guard let c = request.uri.queryParameters["c"].flatMap({ UUID(uuidString: String($0)) }) else {
            throw AppError(.badRequest, code: "bad_conversation")
        }
        return c
    }

    func callID(_ context: AppRequestContext) throws -> UUID {
        guard let id = context.parameters.get("call").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        return id
    }

    /// An act with nothing to answer: 204.
    func act(_ request: Request, _ context: AppRequestContext, _ body: (CallService.Caller, UUID) async throws -> Void) async throws -> Response {
        let who = try caller(context)
        let id = try callID(context)
        try await refusing { try await body(who, id) }
        return Response(status: .noContent)
    }

    func peers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let who = try caller(context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        return try JSONResponse.make(try await refusing { try await calls.peers(who, conversation: id) })
    }

    func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let who = try caller(context)
        return try JSONResponse.make(try await refusing { try await calls.overview(who, conversation: try conversation(request)) })
    }

    func ice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let who = try caller(context)
        var response = try JSONResponse.make(try await refusing { try await calls.ice(who, conversation: try conversation(request)) })
        // A credential: no cache keeps it.
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func meeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        let who = try caller(context)
        var response = try JSONResponse.make(try await refusing { try await calls.meetingLink(who, conversation: try conversation(request)) })
        response.headers[.cacheControl] = "no-store"
        return response
    }

    struct StartRequest: Decodable {
        let conversation: String
        let media: String?
    }

    static func media(_ text: String?) throws -> CallMedia? {
        guard let text else { return nil }
        guard let media = CallMedia(rawValue: text) else { throw AppError(.badRequest, code: "bad_media") }
        return media
    }

    func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let who = try caller(context)
        let input = try await JSONBody.require(StartRequest.self, request, context: context)
        guard let c = UUID(uuidString: input.conversation) else { throw AppError(.badRequest, code: "bad_conversation") }
        let media = try Self.media(input.media) ?? .video
        return try JSONResponse.make(try await refusing { try await calls.start(who, conversation: c, media: media) }, status: .created)
    }

    struct JoinRequest: Decodable { let media: String? }

    func join(_ request: Request, context: AppRequestContext) async throws -> Response {
        let who = try caller(context)
        let id = try callID(context)
        let media = try Self.media(try await JSONBody.read(JoinRequest.self, request, context: context)?.media)
        return try JSONResponse.make(try await refusing { try await calls.join(who, call: id, media: media) })
    }

    struct HandRequest: Decodable { let raised: Bool }

    func hand(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.require(HandRequest.self, request, context: context)
        return try await act(request, context) { try await calls.hand($0, call: $1, raised: input.raised) }
    }

    struct MediaRequest: Decodable {
        let audio: Bool
        let video: Bool
    }

    func media(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.require(MediaRequest.self, request, context: context)
        return try await act(request, context) { try await calls.media($0, call: $1, audio: input.audio, video: input.video) }
    }

    struct RemoveRequest: Decodable { let identity: String }

    func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await JSONBody.require(RemoveRequest.self, request, context: context)
        guard let target = Identity(input.identity) else { throw AppError(.badRequest, code: "bad_identity") }
        return try await act(request, context) { try await calls.remove($0, call: $1, identity: target) }
    }
}
