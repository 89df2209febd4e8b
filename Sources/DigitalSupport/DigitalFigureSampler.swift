import Booking
import Foundation
import KohtaamoBase

/// Writes plausible digital support: appointments with the organisation's
/// guides (most attended, some missed or cancelled, the coming ones
/// booked) and needs mappings of a pool of clients, some mapped again.
package struct DigitalFigureSampler: FigureSampler {
    let digital: DigitalService
    package init(digital: DigitalService) { self.digital = digital }

    package func sample(_ plan: FigurePlan) async throws -> [FigureLeaf] {
        guard let from = plan.query.periods.first?.first, let to = plan.query.periods.last?.last else { return [] }
        var rng = SplitMix64(seed: plan.seed &+ 0xD161_7A1)
        var (slots, appointments, mappings) = ([Slot](), [Appointment](), [Mapping]())
        var scopes: [UUID: UUID] = [:]
        let week: Int64 = 7 * 24 * 3_600_000
        for organisation in plan.query.organisations {
            let scope = DigitalService.scope(of: organisation)
            scopes[scope] = organisation
            var guides = try await digital.staff.members(organisations: [organisation]).map(\.id)
            if guides.isEmpty { guides = [UUID()] }
            let clients = (0..<max(5, Int(plan.perDay * 3))).map { _ in UUID() }
            var day = from
            while day <= to {
                for hour in 0..<min(7, rng.count(mean: plan.perDay / 3)) {
                    let start = day.ms(minute: (9 + hour) * 60)
                    let slot = Slot(scope: scope, host: rng.pick(guides), startMs: start, minutes: 30, place: "Kirjasto", createdMs: start - week)
                    let status: Appointment.Status =
                        rng.chance(0.1) ? .cancelled : start < plan.nowMs ? (rng.chance(0.85) ? .attended : .noShow) : .booked
                    slots.append(slot)
                    appointments.append(
                        Appointment(
                            scope: scope, host: slot.host, guest: rng.pick(clients), slot: slot.id, startMs: start, minutes: 30, place: slot.place,
                            status: status, createdMs: start - week, changedMs: start - week))
                }
                for _ in 0..<rng.count(mean: plan.perDay / 5) {
                    let at = day.ms(minute: 10 * 60) + Int64(rng.unit() * 6 * 3_600_000)
                    guard at < plan.nowMs else { continue }
                    mappings.append(
                        Mapping(
                            member: rng.pick(clients), organisation: rng.chance(0.9) ? organisation : nil, network: nil, version: 0,
                            answers: [:], scores: [:], profile: rng.pick(MappingProfileKey.allCases), filledBy: rng.pick(guides), createdMs: at))
                }
                day = day.adding(days: 1)
            }
        }
        (slots, appointments) = AppointmentCount.oneSlotAStart(slots, appointments)
        appointments = try await digital.booking.repository.addSampled(slots: slots, appointments: appointments)
        try await digital.repository.addMappings(mappings)
        let ranges = plan.query.periods.map { ($0.startMs, $0.endMs) }
        var counts = FigureCounts()
        DigitalFigures.add(
            appointments: AppointmentCount.counts(of: appointments, ranges: ranges), scopes: scopes,
            mappings: MappingCount.counts(of: mappings, ranges: ranges), to: &counts)
        return counts.leaves
    }
}
