import Foundation
import KohtaamoBase

/// A task's material from the bank (through `MaterialDirectory`: coaching
/// never reaches into the Materials feature). The coach picks it from the
/// client material their organisation may see, or writes an address
/// elsewhere; the task keeps the client page's path (`/materials/{id}`).
/// Both sides see the material's title as the link; material the bank no
/// longer gives clients (deleted, or made staff-only) shows no link at all:
/// a coachee never gets a link that answers 404.
extension CoachingService {
    /// Client material a coach may give with a task, by title; none in a build without the bank.
    package func taskMaterials(_ p: StaffPrincipal) async throws -> [MaterialLink] {
        guard let materials else { return [] }
        return try await materials.clientMaterials(for: p)
    }

    /// The titles of the tasks' bank material the bank still gives clients, by the path the task keeps.
    package func taskMaterialTitles(_ tasks: [CoachingTask]) async throws -> [String: String] {
        guard let materials else { return [:] }
        var titles: [String: String] = [:]
        for id in Set(tasks.compactMap { MaterialLink.id(fromPath: $0.content.material) }) {
            if let link = try await materials.clientMaterial(id: id) { titles[link.path] = link.title }
        }
        return titles
    }
}
