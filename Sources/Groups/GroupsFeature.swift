import Foundation
import Hummingbird
import KohtaamoBase

/// The Groups capability: peer groups, themed group chats, clubhouses and
/// Q&A groups, each a service of kind `group` with a room, members under
/// nicknames, rules and moderation.
package struct GroupsFeature: Sendable {
    package let service: GroupService
    package let views: Views
    /// The address people use, for invitation links; without it, the request's host.
    package let publicURL: String?

    package init(service: GroupService, views: Views, publicURL: String? = nil) {
        self.service = service
        self.views = views
        self.publicURL = publicURL
    }

    /// Groups' part of the statistics, and its writer of sampled activity.
    package var figureSource: any FigureSource { GroupFigures(groups: service) }
    package var figureSampler: any FigureSampler { GroupFigureSampler(groups: service) }

    /// What groups keep of registered clients, for their download and erasure.
    package var memberData: any MemberDataHolder { GroupMemberData(groups: service) }

    package func addRoutes(to router: Router<AppRequestContext>) {
        let pages = GroupPagesController(groups: service, views: views)
        pages.addRoutes(to: router)
        GroupModerationController(groups: service, views: views, pages: pages, publicURL: publicURL).addRoutes(to: router)
        GroupSettingsController(groups: service, views: views).addRoutes(to: router)
        GroupCalendarController(groups: service, views: views, pages: pages).addRoutes(to: router)
        GroupQuestionsController(groups: service, views: views, pages: pages).addRoutes(to: router)
    }
}
