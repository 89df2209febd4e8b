import Foundation
import Hummingbird
import KohtaamoBase

/// The Support chat capability: the anonymous client's chat and the
/// shared queue that workers answer from.
package struct ChatFeature: Sendable {
    package static let replyTable = "chat_replies"
    package let service: SupportChatService
    package let secureCookies: Bool
    package let views: Views
    package let quickExitURL: String
    package let audit: AuditLog
    /// Client material of the bank for the console's picker; nil in a build without the bank.
    package let materials: (any MaterialDirectory)?
    /// The site's public address (`KOHTAAMO_PUBLIC_URL`), for absolute links in replies.
    package let publicURL: String?

    package init(
        service: SupportChatService, views: Views, secureCookies: Bool, quickExitURL: String, audit: AuditLog,
        materials: (any MaterialDirectory)? = nil, publicURL: String? = nil
    ) {
        (self.materials, self.publicURL) = (materials, publicURL)
        self.service = service
        self.audit = audit
        self.views = views
        self.secureCookies = secureCookies
        self.quickExitURL = quickExitURL
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        ChatAPIController(chats: service, secureCookies: secureCookies).addRoutes(to: router)
        ChatPagesController(chats: service, views: views, secureCookies: secureCookies, neutralURL: quickExitURL).addRoutes(to: router)
        SupervisorController(chats: service, views: views, audit: audit).addRoutes(to: router)
        ChatSettingsController(
            chats: service, views: views,
            editor: TextCardEditor(store: service.toolkit.replies, views: views, contacts: false)
        ).addRoutes(to: router)
        ChatMaterialsController(materials: materials, publicURL: publicURL).addRoutes(to: router)
    }

    /// The cookie with an anonymous client's token (read by the app's session middleware).
    package static let clientCookie = ChatAPIController.clientCookie
}
