import Foundation
import Hummingbird

/// The Support chat capability: the anonymous client's chat and the
/// shared queue that workers answer from.
public struct ChatFeature: Sendable {
    public let service: SupportChatService
    let secureCookies: Bool

    public init(service: SupportChatService, secureCookies: Bool) {
        self.service = service
        self.secureCookies = secureCookies
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        ChatAPIController(chats: service, secureCookies: secureCookies).addRoutes(to: router)
    }

    /// The anonymous client a request's token cookie names, if any.
    public func client(of request: Request) async throws -> UUID? {
        guard let token = request.cookies[ChatAPIController.clientCookie]?.value, !token.isEmpty, token.count < 100 else { return nil }
        return try await service.repository.client(tokenHash: Tokens.hash(token))
    }
}
