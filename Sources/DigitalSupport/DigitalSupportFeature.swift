import Foundation
import Hummingbird
import KohtaamoBase

/// Digital support: pop-up events, group sessions and the needs mapping, the staff's pages
/// and API, the public session page and a registered client's sign-ups.
/// The finder reads its events and meetings through `happenings`.
/// Digital buddies (their course and clients) are `buddies`.
package struct DigitalSupportFeature: Sendable {
    package let service: DigitalService
    package let views: Views
    /// The server's public address, for a call's place in an invitation.
    package let publicURL: String?
    package let buddies: BuddyService

    package init(service: DigitalService, views: Views, buddies: BuddyService, publicURL: String? = nil) {
        (self.service, self.views, self.buddies, self.publicURL) = (service, views, buddies, publicURL)
    }

    /// What digital support keeps of registered clients, for their download and erasure.
    /// Digital support's part of the statistics, and its writer of sampled activity.
    package var figureSource: any FigureSource { DigitalFigures(digital: service) }
    package var figureSampler: any FigureSampler { DigitalFigureSampler(digital: service) }

    package var memberData: any MemberDataHolder { DigitalMemberData(digital: service) }

    /// Whom a registered client has as buddies, for their download and erasure.
    package var buddyMemberData: any MemberDataHolder { BuddyMemberData(buddies: buddies) }

    /// Public events and meetings of public sessions, for the finder.
    package var happenings: any HappeningSource { DigitalHappenings(repository: service.repository) }

    package func addRoutes(to router: Router<AppRequestContext>) {
        DigitalAPIController(digital: service).addRoutes(to: router)
        DigitalEventPagesController(digital: service, views: views).addRoutes(to: router)
        DigitalSessionPagesController(digital: service, views: views).addRoutes(to: router)
        DigitalPublicController(digital: service, views: views).addRoutes(to: router)
        MappingAPIController(digital: service).addRoutes(to: router)
        MappingPagesController(digital: service, views: views).addRoutes(to: router)
        MappingMemberController(digital: service, views: views).addRoutes(to: router)
        DigitalTimesController(digital: service, views: views).addRoutes(to: router)
        DigitalAppointmentsController(digital: service, views: views, publicURL: publicURL).addRoutes(to: router)
        BuddyAPIController(buddies: buddies).addRoutes(to: router)
        BuddyCoursePagesController(buddies: buddies, views: views).addRoutes(to: router)
        BuddyPagesController(buddies: buddies, views: views).addRoutes(to: router)
    }
}
