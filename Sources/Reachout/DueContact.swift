import Foundation
import KohtaamoBase

/// One planned contact: a plan on a day, who makes it, and what has
/// happened so far.
package struct DueContact: Sendable {
    package var plan: ContactPlan
    package var day: HelsinkiDay
    package var dueMs: Int64
    /// Who contacts the person that day, and whether as the owner's backup.
    package var worker: UUID
    package var covering: Bool
    /// That day's outcomes, oldest first.
    package var outcomes: [ContactOutcome]
    /// The latest outcome of an earlier day ("what happened last time").
    package var last: ContactOutcome?
    package var escalated: Bool

    /// Where the contact stands.
    package enum State: String, Sendable, Codable {
        case open
        /// No answer: try again later today.
        case tryAgain = "try_again"
        /// A message was left; not reached yet.
        case messageLeft = "message_left"
        /// Reached (also with a referral, or when they declined).
        case reached
    }

    package var state: State {
        if outcomes.contains(where: \.kind.reachedPerson) { return .reached }
        switch outcomes.last?.kind {
        case .noAnswer: return .tryAgain
        case .leftMessage: return .messageLeft
        default: return .open
        }
    }
}
