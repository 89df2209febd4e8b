import Foundation
import Hummingbird
import KohtaamoBase

/// The Coaching capability: a coach and coachees (alone or in a group), a
/// thread on the realtime core, tasks with answers and feedback,
/// appointments and files.
package struct CoachingFeature: Sendable {
    package let service: CoachingService

    package init(service: CoachingService) { self.service = service }

    /// What coaching keeps of registered clients, for their download and erasure.
    package var memberData: any MemberDataHolder { CoachingMemberData(coaching: service) }

    package func addRoutes(to router: Router<AppRequestContext>) {
        CoachingAPIController(coaching: service).addRoutes(to: router)
    }
}
