/// Why a booking step was refused: a stable code for programs and the key of
/// its message in the language catalogues (`error_<code>`). The features turn
/// it into their `AppError` with `httpStatus`.
package enum BookingRefusal: String, Error, Sendable, CaseIterable {
    /// Someone else booked the time first.
    case taken = "slot_taken"
    case slotNotFound = "slot_not_found"
    /// The time has already begun or gone.
    case slotInPast = "slot_in_past"
    /// The host already has a free time that shares minutes with this one.
    case slotOverlaps = "slot_overlaps"
    /// A length, a time of day, a weekday, a date or a place out of range.
    case badSlot = "bad_slot"
    /// A booked time cannot be deleted; cancel the appointment first.
    case slotBooked = "slot_booked"
    case appointmentNotFound = "appointment_not_found"
    /// The guest's limit for moving or cancelling has passed.
    case tooLate = "booking_too_late"
    /// Attendance is marked only once the appointment has begun.
    case notStarted = "not_started"
    /// The appointment is cancelled or already over; it cannot change.
    case notBooked = "appointment_not_booked"

    package var code: String { rawValue }
    package var messageKey: String { "error_" + rawValue }

    /// 404 for what is not there (or not the caller's), 409 for a state that
    /// forbids the step, 400 for bad input.
    package var httpStatus: Int {
        switch self {
        case .slotNotFound, .appointmentNotFound: 404
        case .badSlot: 400
        case .taken, .slotInPast, .slotOverlaps, .slotBooked, .tooLate, .notStarted, .notBooked: 409
        }
    }
}
