import Foundation
import KohtaamoBase

/// What the buddies keep of a registered client, for their download and
/// erasure: to whom they are assigned (the buddy's work name and since when).
struct BuddyMemberData: MemberDataHolder {
    let buddies: BuddyService
    var dataName: String { "digital_buddies" }

    struct BuddyJSON: Encodable {
        let buddy: String
        let sinceMs: Int64
    }

    func export(member: UUID, language: Language) async throws -> Data {
        var out: [BuddyJSON] = []
        for a in try await buddies.repository.assignments(member: member) {
            out.append(BuddyJSON(buddy: try await buddies.staff.member(id: a.buddy)?.workName ?? "", sinceMs: a.createdMs))
        }
        return try JSONEncoder().encode(out)
    }

    /// They are no one's client any more.
    func erase(member: UUID) async throws {
        for a in try await buddies.repository.assignments(member: member) { _ = try await buddies.repository.unassign(id: a.id) }
    }
}
