import Foundation
import Hummingbird
import KohtaamoBase

/// The Coaching capability: a coach and coachees (alone or in a group), a
/// thread on the realtime core, tasks with answers and feedback,
/// appointments and files.
package struct CoachingFeature: Sendable {
    package init() {}
}
