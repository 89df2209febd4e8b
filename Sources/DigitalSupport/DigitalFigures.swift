import Booking
import Foundation
import KohtaamoBase

/// Needs mappings kept with an organisation in one range, by client.
package struct MappingCount: Sendable, Hashable {
    package var organisation: UUID
    package var range: Int
    package var member: UUID
    package var count: Int
    package init(organisation: UUID, range: Int, member: UUID, count: Int) {
        (self.organisation, self.range, self.member, self.count) = (organisation, range, member, count)
    }

    /// What the database would count in these mappings (a sampler's own account).
    package static func counts(of mappings: [Mapping], ranges: [(start: Int64, end: Int64)]) -> [MappingCount] {
        var found: [MappingCount: Int] = [:]
        for m in mappings {
            guard let organisation = m.organisation, let r = ranges.firstIndex(where: { m.createdMs >= $0.start && m.createdMs < $0.end })
            else { continue }
            found[MappingCount(organisation: organisation, range: r, member: m.member, count: 0), default: 0] += 1
        }
        return found.map { key, n in MappingCount(organisation: key.organisation, range: key.range, member: key.member, count: n) }
    }
}

/// Digital support's part of the statistics, per organisation (its times
/// and mappings are the organisation's, not a service's): appointments
/// booked, attended and missed (Booking's, the organisation's digital
/// scope), needs mappings made and clients mapped (each once a cell). A
/// mapping a client made alone, kept with no organisation, is no one's here.
package struct DigitalFigures: FigureSource {
    let digital: DigitalService
    package init(digital: DigitalService) { self.digital = digital }

    package var section: String { "digital" }
    package var measures: [FigureMeasure] {
        AppointmentCount.measures(section: "digital") + [
            FigureMeasure("digital.mappings", .count), FigureMeasure("digital.clients_mapped", .distinct),
        ]
    }

    package func leaves(_ query: FigureQuery) async throws -> [FigureLeaf] {
        let ranges = query.periods.map { ($0.startMs, $0.endMs) }
        let scopes = Dictionary(query.organisations.map { (DigitalService.scope(of: $0), $0) }, uniquingKeysWith: { a, _ in a })
        var counts = FigureCounts()
        Self.add(
            appointments: try await digital.booking.repository.appointmentCounts(scopes: Array(scopes.keys), ranges: ranges), scopes: scopes,
            mappings: try await digital.repository.mappingCounts(organisations: query.organisations, ranges: ranges), to: &counts)
        return counts.leaves
    }

    /// Counts into leaves (the sampler gives its own the same way).
    static func add(appointments: [AppointmentCount], scopes: [UUID: UUID], mappings: [MappingCount], to counts: inout FigureCounts) {
        AppointmentCount.add(appointments, section: "digital", where: { scopes[$0].map { ($0, nil) } }, to: &counts)
        for m in mappings {
            counts.add("digital.mappings", organisation: m.organisation, service: nil, period: m.range, m.count)
            counts.subject("digital.clients_mapped", organisation: m.organisation, service: nil, period: m.range, m.member.text())
        }
    }

    package func partNames(measure: String, parts: [String], language: Language) async throws -> [String: String] { [:] }
}
