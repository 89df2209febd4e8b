import Foundation
import KohtaamoBase

/// A room's moderators, for the calls in it: the same rule as for messages (`standing`).
extension GroupService: RoomModerators {
    package func moderates(_ staff: StaffPrincipal, room conversation: UUID) async throws -> Bool? {
        // A network has tens of groups: reading them all is one small query.
        guard let group = try await repository.allSettings().first(where: { $0.conversation == conversation }) else { return nil }
        guard let service = try await services.service(id: group.service) else { return false }
        if case .staff(let moderator) = try await standing(group, service, staff: staff, member: nil) { return moderator }
        return false
    }
}
