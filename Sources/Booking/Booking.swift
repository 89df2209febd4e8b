/// Appointments between a host (a staff member) and a guest (a registered
/// client) in a scope (a service): free times, bookings, iCalendar
/// invitations. Features book through this layer; it knows none of them.
package enum Booking {}
