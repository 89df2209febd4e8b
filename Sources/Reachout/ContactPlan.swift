import Foundation
import KohtaamoBase

/// How often a person is contacted.
package enum Rhythm: Sendable, Equatable {
    case daily
    /// On these weekdays (1 = Monday … 7 = Sunday).
    case weekdays(Set<Int>)
    /// Every N days from the plan's first day.
    case everyDays(Int)
}

/// How the contact is made. Chat and call need a registered client.
package enum ContactChannel: String, Sendable, CaseIterable, Codable {
    case phone, chat, call
}

/// A worker's plan to keep in touch with one person.
package struct ContactPlan: Sendable, Equatable {
    package var id: UUID
    package var organisation: UUID
    /// A registered client, or nil for a person known by `label` only.
    package var member: UUID?
    /// What the workers call the person ("Aino, 040 123 4567"); sealed.
    /// For a registered client, optional (their nickname is shown).
    package var label: String
    /// Why the plan was made; sealed.
    package var note: String
    package var rhythm: Rhythm
    /// The first day, and the last (nil: until ended).
    package var starts: HelsinkiDay
    package var until: HelsinkiDay?
    /// Minutes after midnight, Helsinki time.
    package var minute: Int
    package var escalationMinute: Int
    package var channel: ContactChannel
    package var owner: UUID
    package var backup: UUID?
    /// True: no contact on Finnish public holidays.
    package var skipHolidays: Bool
    /// Set when the plan ends (ended by a worker, or the person declined):
    /// nothing is due after this day.
    package var endedOn: HelsinkiDay?
    /// The 1:1 conversation with a registered client, made on first use.
    package var conversation: UUID?
    package var createdMs: Int64

    package init(
        id: UUID = UUID(), organisation: UUID, member: UUID?, label: String, note: String, rhythm: Rhythm, starts: HelsinkiDay,
        until: HelsinkiDay?, minute: Int, escalationMinute: Int = Reachout.defaultEscalationMinute, channel: ContactChannel, owner: UUID,
        backup: UUID?, skipHolidays: Bool = false, endedOn: HelsinkiDay? = nil, conversation: UUID? = nil, createdMs: Int64
    ) {
        (self.id, self.organisation, self.member, self.label, self.note, self.rhythm) = (id, organisation, member, label, note, rhythm)
        (self.starts, self.until, self.minute, self.escalationMinute, self.channel) = (starts, until, minute, escalationMinute, channel)
        (self.owner, self.backup, self.skipHolidays, self.endedOn, self.conversation) = (owner, backup, skipHolidays, endedOn, conversation)
        self.createdMs = createdMs
    }

    package var isActive: Bool { endedOn == nil }
}
