import Foundation
import Hummingbird

/// The Groups capability: peer groups, themed group chats, clubhouses and
/// Q&A groups, each a service of kind `group` with a room, members under
/// nicknames, rules and moderation.
public struct GroupsFeature: Sendable {
    public let service: GroupService
    let views: Views

    public init(service: GroupService, views: Views) {
        self.service = service
        self.views = views
    }

    /// What groups keep of registered clients, for their download and erasure.
    public var memberData: any MemberDataHolder { GroupMemberData(groups: service) }

    public func addRoutes(to router: Router<AppRequestContext>) {
        let pages = GroupPagesController(groups: service, views: views)
        pages.addRoutes(to: router)
        GroupModerationController(groups: service, views: views, pages: pages).addRoutes(to: router)
        GroupSettingsController(groups: service, views: views).addRoutes(to: router)
        GroupCalendarController(groups: service, views: views, pages: pages).addRoutes(to: router)
        GroupQuestionsController(groups: service, views: views, pages: pages).addRoutes(to: router)
    }
}
