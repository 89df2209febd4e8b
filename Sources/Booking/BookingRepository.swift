import Foundation

/// Free times. What must hold against a second writer at the same moment
/// (no overlap, one time per start) is checked inside the write.
package protocol SlotRepository: Sendable {
    /// Adds the slot unless it shares minutes with another slot of its host
    /// (in any scope): then `slotOverlaps`.
    func addSlot(_ slot: Slot) async throws
    /// Adds those of the slots that neither start when another of the host
    /// starts nor overlap one; answers how many were added. Running it again
    /// adds nothing (patterns' refresh).
    func addMissingSlots(_ slots: [Slot]) async throws -> Int
    func slot(id: UUID) async throws -> Slot?
    /// The host's slots (any scope) that end after `fromMs` and start before `toMs`, by start.
    func slots(host: UUID, fromMs: Int64, toMs: Int64) async throws -> [Slot]
    /// A scope's slots in the same window, every host's, by start.
    func slots(scope: UUID, fromMs: Int64, toMs: Int64) async throws -> [Slot]
    /// Deletes the host's slot if nothing is booked on it: `slotNotFound`
    /// (also for another host's slot) or `slotBooked` otherwise.
    func deleteFreeSlot(id: UUID, host: UUID) async throws
}

/// Weekly patterns.
package protocol PatternRepository: Sendable {
    /// Creates or replaces the pattern; the free (unbooked) slots it made
    /// that start at or after `fromMs` go, so the next refresh makes them anew.
    func savePattern(_ pattern: WeeklyPattern, clearingFreeFromMs fromMs: Int64) async throws
    func pattern(id: UUID) async throws -> WeeklyPattern?
    func patterns(host: UUID) async throws -> [WeeklyPattern]
    func allPatterns() async throws -> [WeeklyPattern]
    /// Deletes the pattern and its free slots from `fromMs`; false when there was none.
    func deletePattern(id: UUID, clearingFreeFromMs fromMs: Int64) async throws -> Bool
}

/// Appointments. A slot holds at most one booked appointment: the database
/// holds that (a unique index on the slot of booked rows), so of two guests
/// who book the last time at once exactly one wins.
package protocol AppointmentRepository: Sendable {
    /// Stores a new booked appointment on its slot: `slotNotFound` when the
    /// slot is gone, `taken` when the slot already holds a booked one.
    func book(_ appointment: Appointment) async throws -> Appointment
    /// Moves a booked appointment to another slot (same id, sequence + 1);
    /// the old slot is free again. `taken`, `slotNotFound`, `appointmentNotFound`
    /// or `notBooked` when the step cannot be made any more.
    func move(appointment id: UUID, to slot: Slot, changedMs: Int64) async throws -> Appointment
    /// Changes a booked appointment's status (sequence + 1); `notBooked` when
    /// it is not booked any more, `appointmentNotFound` when it is not there.
    func setStatus(appointment id: UUID, to status: Appointment.Status, changedMs: Int64) async throws -> Appointment
    func appointment(id: UUID) async throws -> Appointment?
    /// The booked appointment on a slot, if any.
    func booked(slot: UUID) async throws -> Appointment?
    /// Every appointment of the guest, newest start first.
    func appointments(guest: UUID) async throws -> [Appointment]
    /// The host's appointments (any status) starting in the window, by start.
    func appointments(host: UUID, fromMs: Int64, toMs: Int64) async throws -> [Appointment]
    /// A scope's appointments (any status) starting in the window, by start.
    func appointments(scope: UUID, fromMs: Int64, toMs: Int64) async throws -> [Appointment]
    /// Erases the guest's appointments (the member's erasure); answers how many.
    func deleteAppointments(guest: UUID) async throws -> Int
    /// How many appointments of these scopes start within each of `ranges`
    /// (sorted, not overlapping), by scope, range and status; counted in the database.
    func appointmentCounts(scopes: [UUID], ranges: [(start: Int64, end: Int64)]) async throws -> [AppointmentCount]
    /// Sampled activity: slots and their appointments, many at once, ids new.
    /// Returns the appointments kept (a host's start already taken is left out).
    func addSampled(slots: [Slot], appointments: [Appointment]) async throws -> [Appointment]
}

/// Everything `BookingService` needs from storage.
package typealias BookingRepository = SlotRepository & PatternRepository & AppointmentRepository
