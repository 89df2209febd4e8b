import Foundation

/// A booked time between a host and a guest. Its `uid` never changes, so a
/// calendar that got the invitation updates the same event when it moves or
/// is cancelled; `sequence` rises with every change (RFC 5545 SEQUENCE).
package struct Appointment: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Codable, CaseIterable {
        case booked, cancelled, attended
        case noShow = "no_show"
    }

    package var id: UUID
    package var scope: UUID
    package var host: UUID
    /// The member who booked.
    package var guest: UUID
    package var slot: UUID
    package var startMs: Int64
    package var minutes: Int
    package var place: String
    package var status: Status
    package var sequence: Int
    package var createdMs: Int64
    package var changedMs: Int64

    package init(
        id: UUID = UUID(), scope: UUID, host: UUID, guest: UUID, slot: UUID, startMs: Int64, minutes: Int, place: String,
        status: Status = .booked, sequence: Int = 0, createdMs: Int64, changedMs: Int64
    ) {
        (self.id, self.scope, self.host, self.guest, self.slot) = (id, scope, host, guest, slot)
        (self.startMs, self.minutes, self.place, self.status) = (startMs, minutes, place, status)
        (self.sequence, self.createdMs, self.changedMs) = (sequence, createdMs, changedMs)
    }

    /// Stable for the appointment's whole life: `<id>@kohtaamo`.
    package var uid: String { id.uuidString.lowercased() + "@kohtaamo" }

    package var endMs: Int64 { startMs + Int64(minutes) * 60_000 }
}

/// Who acts on an appointment: its host or its guest.
package enum BookingParty: Sendable, Equatable {
    case host(UUID)
    case guest(UUID)
}

/// How a scope's appointments went in one week (Monday to Sunday in Helsinki),
/// by their start: for the statistics.
package struct BookingWeekCounts: Sendable, Equatable {
    package var scope: UUID
    /// The Monday of the week.
    package var week: BookingDay
    package var attended: Int
    package var noShow: Int
    package var cancelled: Int
}
