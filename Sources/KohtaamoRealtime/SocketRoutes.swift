import Foundation
import Hummingbird
import KohtaamoBase
import NIOCore

/// Who a request comes from, by its cookies: a staff session or a client
/// token. `session` names a staff sign-in, so its sockets end with it.
package struct Credential: Sendable {
    package var identity: Identity
    package var session: UUID?
    /// How long the sign-in has left: its sockets close when it runs out.
    package var validFor: Duration?
    package init(identity: Identity, session: UUID? = nil, validFor: Duration? = nil) {
        (self.identity, self.session, self.validFor) = (identity, session, validFor)
    }
}
package typealias Authenticate = @Sendable (Request) async throws -> Credential?

extension Realtime {
    /// `GET /socket`: the one WebSocket of a browser tab. Without a cookie
    /// that names someone, no upgrade (the HTTP route below answers 401).
    /// A socket opened from another site's page is refused (`isOwnOrigin`).
    package func socketUpgrade(authenticate: @escaping Authenticate, isOwnOrigin: @escaping @Sendable (Request) -> Bool) -> SocketUpgrade {
        SocketUpgrade(path: "/socket") { request in
            guard Self.supportedVersion(request), isOwnOrigin(request), let credential = try? await authenticate(request) else { return nil }
            let language = Language.negotiate(
                cookie: request.cookies[LanguageMiddleware.cookieName]?.value,
                acceptLanguage: request.headers[.acceptLanguage])
            return { channel in try self.open(channel, credential: credential, language: language) }
        }
    }

    /// Puts the socket's handler into its pipeline (on its event loop).
    private func open(_ channel: any Channel, credential: Credential, language: Language) throws {
        let handler = SocketFrameHandler(frameLimit: limits.frameBytes)
        let output = SocketOutput(channel: channel, handler: handler)
        // The sign-in runs out: the socket closes as if signed out (`closeExpired`).
        let connection = SocketConnection(
            identity: credential.identity, session: credential.session, language: language,
            expires: credential.validFor.map { .now + $0 }, output: output, store: store
        ) { [weak self] c, seq in
            self?.broadcaster.synced(c, upTo: seq)
        }
        handler.session = SocketSession(realtime: self, connection: connection)
        try channel.pipeline.syncOperations.addHandler(handler)
    }

    static func supportedVersion(_ request: Request) -> Bool {
        let v = request.uri.queryParameters["v"].map(String.init)
        return v == nil || v == "1"
    }

    /// The HTTP side of the contract: what `/socket` answers when it is not
    /// upgraded, and the message history.
    package func addRoutes(to router: Router<AppRequestContext>, isOwnOrigin: @escaping @Sendable (Request) -> Bool) {
        // The session middleware has already read the cookies into the context.
        @Sendable func identity(_ request: Request, _ context: AppRequestContext) async throws -> Identity? {
            if let p = context.principal { return .staff(p.staffID) }
            if let m = context.member { return .client(m.memberID) }
            return context.anonymousClient.map { .client($0) }
        }
        router.get("/socket") { request, context -> Response in
            guard Self.supportedVersion(request) else { throw AppError(.badRequest, code: "unsupported_version") }
            if let origin = request.headers[.origin], origin != "null", !isOwnOrigin(request) { throw AppError.badOrigin }
            guard try await identity(request, context) != nil else { throw AppError.unauthorized }
            throw AppError(.upgradeRequired, code: "upgrade_required", headers: [.upgrade: "websocket", .connection: "Upgrade"])
        }
        router.get("/api/conversations/{id}/messages") { request, context -> Response in
            guard let identity = try await identity(request, context) else { throw AppError.unauthorized }
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
                try await self.participant(identity, in: id) != nil
            else { throw AppError.notFound }
            let query = request.uri.queryParameters
            let after = query["after"].map { Int64($0) } ?? 0
            let limit = query["limit"].map { Int($0) } ?? 200
            guard let after, after >= 0 else { throw AppError(.badRequest, code: "bad_after") }
            guard let limit, (1...1000).contains(limit) else { throw AppError(.badRequest, code: "bad_limit") }
            let messages = try await self.store.messages(conversation: id, after: after, limit: limit)
            let body = "[" + messages.map { ServerFrame.msg($0, mine: $0.senderIdentity == identity).json }.joined(separator: ",") + "]"
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
    }
}
