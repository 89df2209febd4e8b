import Foundation
import KohtaamoBase

/// A drop-in event at a place and time (a mall, a library, a clubhouse):
/// no registration. A cancelled event stays, marked cancelled, so calendars
/// that took it in hear of the cancellation.
package struct PopupEvent: Sendable, Equatable {
    package var id: UUID
    package var organisation: UUID
    package var title: String
    package var description: String
    /// The municipality as typed ("Oulu") and its finder slug (`oulu`).
    package var municipalityName: String
    package var municipality: String
    /// "Kauppakeskus Valkea, 2. kerros".
    package var place: String
    package var address: String
    package var day: HelsinkiDay
    /// Minutes after midnight, Helsinki time.
    package var startMinute: Int
    package var endMinute: Int
    package var themes: [DigitalTheme]
    package var languages: [String]
    package var isPublic: Bool
    package var cancelled: Bool
    /// Raised on every change (iCalendar's SEQUENCE).
    package var sequence: Int
    package var createdMs: Int64
    package var updatedMs: Int64

    package init(
        id: UUID = UUID(), organisation: UUID, title: String, description: String, municipalityName: String, municipality: String,
        place: String, address: String, day: HelsinkiDay, startMinute: Int, endMinute: Int, themes: [DigitalTheme], languages: [String],
        isPublic: Bool = true, cancelled: Bool = false, sequence: Int = 0, createdMs: Int64, updatedMs: Int64
    ) {
        (self.id, self.organisation, self.title, self.description) = (id, organisation, title, description)
        (self.municipalityName, self.municipality, self.place, self.address) = (municipalityName, municipality, place, address)
        (self.day, self.startMinute, self.endMinute, self.themes, self.languages) = (day, startMinute, endMinute, themes, languages)
        (self.isPublic, self.cancelled, self.sequence, self.createdMs, self.updatedMs) = (isPublic, cancelled, sequence, createdMs, updatedMs)
    }

    /// The moments, worked out on the day itself (summer time or not).
    package var startMs: Int64 { day.ms(minute: startMinute) }
    package var endMs: Int64 { day.ms(minute: endMinute) }
}

/// A course of dated meetings at a place (or a call on the platform), with
/// a seat limit; beyond it people wait in order.
package struct GroupSession: Sendable, Equatable {
    package var id: UUID
    package var organisation: UUID
    package var title: String
    package var description: String
    package var municipalityName: String
    package var municipality: String
    /// Empty when `online`.
    package var place: String
    package var address: String
    /// Met in a call on the platform, not at a place.
    package var online: Bool
    package var seats: Int
    package var themes: [DigitalTheme]
    package var languages: [String]
    package var isPublic: Bool
    package var cancelled: Bool
    /// Raised on every change of the course or its meetings.
    package var sequence: Int
    package var createdMs: Int64
    package var updatedMs: Int64

    package init(
        id: UUID = UUID(), organisation: UUID, title: String, description: String, municipalityName: String, municipality: String,
        place: String, address: String, online: Bool, seats: Int, themes: [DigitalTheme], languages: [String], isPublic: Bool = true,
        cancelled: Bool = false, sequence: Int = 0, createdMs: Int64, updatedMs: Int64
    ) {
        (self.id, self.organisation, self.title, self.description) = (id, organisation, title, description)
        (self.municipalityName, self.municipality, self.place, self.address, self.online) = (
            municipalityName, municipality, place, address, online
        )
        (self.seats, self.themes, self.languages, self.isPublic, self.cancelled) = (seats, themes, languages, isPublic, cancelled)
        (self.sequence, self.createdMs, self.updatedMs) = (sequence, createdMs, updatedMs)
    }
}

/// One dated meeting of a group session. Its id is stable: the finder's
/// happening and a calendar's event are made of it.
package struct SessionMeeting: Sendable, Equatable {
    package var id: UUID
    package var session: UUID
    package var day: HelsinkiDay
    package var startMinute: Int
    package var endMinute: Int

    package init(id: UUID = UUID(), session: UUID, day: HelsinkiDay, startMinute: Int, endMinute: Int) {
        (self.id, self.session, self.day, self.startMinute, self.endMinute) = (id, session, day, startMinute, endMinute)
    }

    package var startMs: Int64 { day.ms(minute: startMinute) }
    package var endMs: Int64 { day.ms(minute: endMinute) }
}

/// A person in a group session: a registered client who signed up, or
/// someone a worker added by a work-side label (sealed). Seated, or waiting
/// in the order they came (`rank`).
package struct SessionSeat: Sendable, Equatable {
    package enum Status: String, Sendable, Codable { case seated, waiting }

    package var id: UUID
    package var session: UUID
    package var member: UUID?
    package var label: String
    package var status: Status
    /// Order of arrival in the session: the waiting list moves up by it.
    package var rank: Int
    package var addedBy: UUID?
    package var createdMs: Int64
    /// When they moved up from the waiting list (their page says so).
    package var promotedMs: Int64?

    package init(
        id: UUID = UUID(), session: UUID, member: UUID?, label: String, status: Status = .waiting, rank: Int = 0, addedBy: UUID?,
        createdMs: Int64, promotedMs: Int64? = nil
    ) {
        (self.id, self.session, self.member, self.label, self.status, self.rank) = (id, session, member, label, status, rank)
        (self.addedBy, self.createdMs, self.promotedMs) = (addedBy, createdMs, promotedMs)
    }
}
