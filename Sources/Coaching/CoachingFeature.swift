import Foundation
import Hummingbird
import KohtaamoBase

/// The Coaching capability: a coach and coachees (alone or in a group), a
/// thread on the realtime core, tasks with answers and feedback,
/// appointments and files.
package struct CoachingFeature: Sendable {
    package let service: CoachingService
    package let views: Views
    /// The address people use, for invitation links; without it, the request's host.
    package let publicURL: String?

    package init(service: CoachingService, views: Views, publicURL: String? = nil) {
        (self.service, self.views, self.publicURL) = (service, views, publicURL)
    }

    /// What coaching keeps of registered clients, for their download and erasure.
    package var memberData: any MemberDataHolder { CoachingMemberData(coaching: service) }

    /// Coaching's part of the statistics, and its writer of sampled activity.
    package var figureSource: any FigureSource { CoachingFigures(coaching: service) }
    package var figureSampler: any FigureSampler { CoachingFigureSampler(coaching: service) }

    package func addRoutes(to router: Router<AppRequestContext>) {
        CoachingAPIController(coaching: service).addRoutes(to: router)
        CoachingPagesController(coaching: service, views: views, publicURL: publicURL).addRoutes(to: router)
        CoacheePagesController(coaching: service, views: views).addRoutes(to: router)
        CoachingGroupPagesController(coaching: service, views: views).addRoutes(to: router)
        CoachingFilesController(coaching: service).addRoutes(to: router)
        CoachingSettingsController(coaching: service, views: views).addRoutes(to: router)
        CoachingAppointmentsController(coaching: service, publicURL: publicURL).addRoutes(to: router)
        CoachingTimesController(coaching: service, views: views).addRoutes(to: router)
    }
}
