import Foundation
import KohtaamoBase

/// Where the finder keeps municipalities and help points.
package protocol FinderRepository: Sendable {
    /// Adds these visits (per Helsinki day and organisation) to the stored counts.
    func addVisits(_ visits: [FinderVisitKey: Int]) async throws
    /// The stored counts of these organisations for days `from`…`to`.
    func visits(organisations: [UUID], from: HelsinkiDay, to: HelsinkiDay) async throws -> [FinderVisitKey: Int]

    /// Every municipality named by a help point, by slug.
    func municipalities() async throws -> [Municipality]
    func municipality(slug: String) async throws -> Municipality?
    /// Help points of a municipality, by name.
    func points(municipality: String) async throws -> [HelpPoint]
    /// Help points of these organisations (their staff's list), by municipality and name.
    func points(organisations: [UUID]) async throws -> [HelpPoint]
    /// Every help point, by id: the HSDS export pages through it.
    func allPoints() async throws -> [HelpPoint]
    func point(id: UUID) async throws -> HelpPoint?
    /// Adds or replaces points (with their hours and exceptions) and adds the
    /// municipalities they name that are not there yet, all in one
    /// transaction: an import is saved whole or not at all.
    func save(_ points: [HelpPoint], municipalities: [Municipality]) async throws
    func delete(point: UUID) async throws
    /// Sets one day's exception of a point (nil removes it) and the point's
    /// update time, together; nothing when the point is gone.
    func setException(point: UUID, day: LocalDay, _ exception: DayException?, updatedMs: Int64) async throws
}
