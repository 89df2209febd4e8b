import Foundation
import Hummingbird
import KohtaamoBase

/// The Reach-out capability: contact plans, each worker's list of whom to
/// contact today, outcomes, absences and the week, escalations to the
/// coordinator, and the registered client's own view.
package struct ReachoutFeature: Sendable {
    package let service: ReachoutService
    package let views: Views

    package init(service: ReachoutService, views: Views) { (self.service, self.views) = (service, views) }

    /// Reach-out's part of the statistics, and its writer of sampled activity.
    package var figureSource: any FigureSource { ReachoutFigures(reachout: service) }
    package var figureSampler: any FigureSampler { ReachoutFigureSampler(reachout: service) }

    /// What reach-out keeps of registered clients, for their download and erasure.
    package var memberData: any MemberDataHolder { ReachoutMemberData(reachout: service) }

    package func addRoutes(to router: Router<AppRequestContext>) {
        ReachoutAPIController(reachout: service).addRoutes(to: router)
        ReachoutPagesController(reachout: service, views: views).addRoutes(to: router)
        ReachoutPlanPagesController(reachout: service, views: views).addRoutes(to: router)
        MyContactsController(reachout: service, views: views).addRoutes(to: router)
    }
}
