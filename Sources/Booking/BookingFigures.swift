import Foundation
import KohtaamoBase

/// Appointments in numbers, for the features whose times are Booking's
/// (coaching by service, digital support by organisation): counted by the
/// appointment's start, so a time booked in March for April is April's.
package struct AppointmentCount: Sendable, Hashable {
    package var scope: UUID
    /// Index into the ranges asked.
    package var range: Int
    package var status: Appointment.Status
    package var count: Int
    package init(scope: UUID, range: Int, status: Appointment.Status, count: Int) {
        (self.scope, self.range, self.status, self.count) = (scope, range, status, count)
    }

    /// What the database would count in these appointments (a sampler's own account).
    package static func counts(of appointments: [Appointment], ranges: [(start: Int64, end: Int64)]) -> [AppointmentCount] {
        var found: [AppointmentCount: Int] = [:]
        for a in appointments {
            guard let r = ranges.firstIndex(where: { a.startMs >= $0.start && a.startMs < $0.end }) else { continue }
            found[AppointmentCount(scope: a.scope, range: r, status: a.status, count: 0), default: 0] += 1
        }
        return found.map { key, n in AppointmentCount(scope: key.scope, range: key.range, status: key.status, count: n) }
    }

    /// Counts into a source's leaves as `<section>.appointments_booked`
    /// (all but cancelled ones), `_attended` and `_missed` (no-shows).
    package static func add(
        _ counts: [AppointmentCount], section: String, where place: (UUID) -> (organisation: UUID, service: UUID?)?,
        to figures: inout FigureCounts
    ) {
        for c in counts {
            guard let (organisation, service) = place(c.scope) else { continue }
            let names: [String]
            switch c.status {
            case .booked: names = ["booked"]
            case .attended: names = ["booked", "attended"]
            case .noShow: names = ["booked", "missed"]
            case .cancelled: names = []
            }
            for name in names {
                figures.add("\(section).appointments_\(name)", organisation: organisation, service: service, period: c.range, c.count)
            }
        }
    }

    /// Sampled slots and appointments as storage takes them: a host has one
    /// slot a start, so a later slot at a taken start goes, with its appointment.
    package static func oneSlotAStart(_ slots: [Slot], _ appointments: [Appointment]) -> ([Slot], [Appointment]) {
        var taken = Set<String>()
        let kept = slots.filter { taken.insert("\($0.host)\($0.startMs)").inserted }
        let ids = Set(kept.map(\.id))
        return (kept, appointments.filter { ids.contains($0.slot) })
    }

    /// The three measures `add` gives, in the page's order.
    package static func measures(section: String) -> [FigureMeasure] {
        ["booked", "attended", "missed"].map { FigureMeasure("\(section).appointments_\($0)", .count) }
    }
}
