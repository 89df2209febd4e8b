/// Why reach-out refuses something: the raw value is the stable code of
/// the API; the message is `error_reachout_<code>` in the catalogues.
package enum ReachoutRefusal: String, Error, Sendable, CaseIterable {
    /// No such plan, absence or escalation in the asker's organisation.
    case notFound = "not_found"
    /// Volunteers do not keep contact plans.
    case notAllowed = "reachout_not_allowed"
    case notCoordinator = "not_coordinator"
    case badLabel = "bad_label"
    case badNote = "bad_note"
    case badRhythm = "bad_rhythm"
    case badDays = "bad_days"
    case badTime = "bad_time"
    /// Chat and call need a registered client.
    case badChannel = "bad_channel"
    /// The owner or backup is not active staff of the organisation, or they are the same person.
    case badWorker = "bad_worker"
    case memberNotFound = "member_not_found"
    case badOutcome = "bad_outcome"
    case badReferral = "bad_referral"
    /// An outcome for a day outside the last week or in the future.
    case badDay = "bad_day"
    case planEnded = "plan_ended"
    /// Chat needs a registered client.
    case noMember = "no_member"
    case badAbsence = "bad_absence"
    case escalationClosed = "escalation_closed"

    package var httpStatus: Int {
        switch self {
        case .notFound, .memberNotFound: 404
        case .notAllowed, .notCoordinator: 403
        case .planEnded, .escalationClosed: 409
        default: 400
        }
    }

    package var messageKey: String { "error_reachout_" + rawValue }
}
