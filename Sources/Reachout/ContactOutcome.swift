import Foundation
import KohtaamoBase

/// What happened when a worker tried to contact the person.
package enum OutcomeKind: String, Sendable, CaseIterable, Codable {
    case reached
    /// No answer: try again later today.
    case noAnswer = "no_answer"
    case leftMessage = "left_message"
    /// Reached, and needs a referral (to the referral card named).
    case referral
    /// Reached, and said no to further contacts: the plan ends.
    case declined

    /// Whether the person was reached (the contact does not escalate).
    package var reachedPerson: Bool { self == .reached || self == .referral || self == .declined }
}

/// One logged outcome of a plan's contact on a day.
package struct ContactOutcome: Sendable, Equatable {
    package var id: UUID
    package var plan: UUID
    /// The planned day this outcome is for.
    package var day: HelsinkiDay
    package var kind: OutcomeKind
    /// The referral card, for `referral`.
    package var referral: UUID?
    /// Optional; sealed.
    package var note: String
    package var by: UUID
    package var atMs: Int64

    package init(
        id: UUID = UUID(), plan: UUID, day: HelsinkiDay, kind: OutcomeKind, referral: UUID? = nil, note: String = "", by: UUID, atMs: Int64
    ) {
        (self.id, self.plan, self.day, self.kind, self.referral, self.note, self.by, self.atMs) = (id, plan, day, kind, referral, note, by, atMs)
    }
}

/// A worker away on these days (inclusive): their contacts go to the backup.
package struct Absence: Sendable, Equatable {
    package var id: UUID
    package var organisation: UUID
    package var staff: UUID
    package var from: HelsinkiDay
    package var to: HelsinkiDay
    package var createdBy: UUID
    package var createdMs: Int64

    package init(id: UUID = UUID(), organisation: UUID, staff: UUID, from: HelsinkiDay, to: HelsinkiDay, createdBy: UUID, createdMs: Int64) {
        (self.id, self.organisation, self.staff, self.from, self.to, self.createdBy, self.createdMs) = (
            id, organisation, staff, from, to, createdBy, createdMs
        )
    }

    package func covers(_ day: HelsinkiDay) -> Bool { from <= day && day <= to }
}

/// A contact not reached by its plan's hour, on the coordinator's list
/// until they close it with a note.
package struct Escalation: Sendable, Equatable {
    package var id: UUID
    package var plan: UUID
    package var organisation: UUID
    package var day: HelsinkiDay
    /// The plan's previous planned day was missed too (shown in red).
    package var repeated: Bool
    package var createdMs: Int64
    package var closedMs: Int64?
    package var closedBy: UUID?
    /// What the coordinator did; sealed.
    package var closingNote: String

    package init(
        id: UUID = UUID(), plan: UUID, organisation: UUID, day: HelsinkiDay, repeated: Bool, createdMs: Int64, closedMs: Int64? = nil,
        closedBy: UUID? = nil, closingNote: String = ""
    ) {
        (self.id, self.plan, self.organisation, self.day, self.repeated, self.createdMs) = (id, plan, organisation, day, repeated, createdMs)
        (self.closedMs, self.closedBy, self.closingNote) = (closedMs, closedBy, closingNote)
    }

    package var isOpen: Bool { closedMs == nil }
}
