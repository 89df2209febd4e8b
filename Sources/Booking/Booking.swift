import Foundation
import KohtaamoBase

/// A Helsinki calendar day (the base's `HelsinkiDay`).
package typealias BookingDay = HelsinkiDay

/// Appointments between a host (a staff member) and a guest (a registered
/// client) in a scope (a service): free times, bookings, iCalendar
/// invitations. Features book through this layer; it knows none of them.
package enum Booking {
    /// Every time is Helsinki wall time: a weekly 9.00 is 9.00 in winter
    /// and in summer, so the offset to UTC is worked out per day.
    package static let timeZone = Helsinki.timeZone
    package static let calendar = Helsinki.calendar

    /// How far ahead weekly patterns make free times.
    package static let patternWeeks = 8
    /// A free time lasts at least this and at most `maxMinutes`.
    package static let minMinutes = 10
    package static let maxMinutes = 240
    /// The longest text of a place.
    package static let maxPlaceLength = 200
    /// A pattern skips at most this many days.
    package static let maxExceptions = 100
    /// How long before the start a guest may still move or cancel, unless
    /// the service says otherwise.
    package static let defaultChangeLimitHours = 24
}
