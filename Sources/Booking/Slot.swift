import Foundation

/// A free time a host offers: one guest may book it. `place` is free text
/// (an address, a room); empty means the meeting is a call.
package struct Slot: Sendable, Equatable, Codable {
    package var id: UUID
    package var scope: UUID
    package var host: UUID
    package var startMs: Int64
    package var minutes: Int
    package var place: String
    /// The weekly pattern that made it; nil for one added by hand.
    package var pattern: UUID?
    package var createdMs: Int64

    package init(id: UUID = UUID(), scope: UUID, host: UUID, startMs: Int64, minutes: Int, place: String, pattern: UUID? = nil, createdMs: Int64) {
        (self.id, self.scope, self.host, self.startMs, self.minutes) = (id, scope, host, startMs, minutes)
        (self.place, self.pattern, self.createdMs) = (place, pattern, createdMs)
    }

    package var endMs: Int64 { startMs + Int64(minutes) * 60_000 }

    /// True when the two times share a minute (touching ends do not overlap).
    package func overlaps(startMs: Int64, endMs: Int64) -> Bool { self.startMs < endMs && startMs < self.endMs }
}

/// A free time as its host sees it: with the appointment booked on it, if any.
package struct HostSlot: Sendable, Equatable {
    package var slot: Slot
    package var booked: Appointment?
}

/// A weekly free time: every `weekday` at `startMinute` (Helsinki wall time)
/// from `from` until `until` (nil: for now on), except the days in `skipping`.
/// It makes its slots for the next `Booking.patternWeeks` weeks.
package struct WeeklyPattern: Sendable, Equatable, Codable {
    package var id: UUID
    package var scope: UUID
    package var host: UUID
    /// 1 = Monday … 7 = Sunday.
    package var weekday: Int
    /// Minutes after local midnight.
    package var startMinute: Int
    package var minutes: Int
    package var place: String
    package var from: BookingDay
    package var until: BookingDay?
    /// Days with no free time (a holiday, a training day).
    package var skipping: Set<BookingDay>
    package var createdMs: Int64

    package init(
        id: UUID = UUID(), scope: UUID, host: UUID, weekday: Int, startMinute: Int, minutes: Int, place: String,
        from: BookingDay, until: BookingDay? = nil, skipping: Set<BookingDay> = [], createdMs: Int64 = 0
    ) {
        (self.id, self.scope, self.host, self.weekday, self.startMinute, self.minutes) = (id, scope, host, weekday, startMinute, minutes)
        (self.place, self.from, self.until, self.skipping, self.createdMs) = (place, from, until, skipping, createdMs)
    }

    /// The days from `first` through `last` this pattern has a free time on.
    package func days(from first: BookingDay, through last: BookingDay) -> [BookingDay] {
        var day = max(first, from)
        day = day.adding(days: (weekday - day.weekday + 7) % 7)
        var out: [BookingDay] = []
        while day <= last, until.map({ day <= $0 }) ?? true {
            if !skipping.contains(day) { out.append(day) }
            day = day.adding(days: 7)
        }
        return out
    }
}
