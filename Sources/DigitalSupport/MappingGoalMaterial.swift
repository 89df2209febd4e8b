import Foundation
import KohtaamoBase

/// A goal's client material from the bank (through `MaterialDirectory`:
/// digital support never reaches into the Materials feature). A worker picks
/// it from the client material their organisation may see; a client and
/// their buddy see its title as a link to `/materials/{id}`. Material the
/// bank no longer gives clients (deleted, or made staff-only) shows no link
/// at all: a client never gets a link that answers 404.
extension DigitalService {
    /// Client material a worker may give with a goal, by title; none in a build without the bank.
    package func goalMaterials(_ p: StaffPrincipal) async throws -> [MaterialLink] {
        guard let materials else { return [] }
        return try await materials.clientMaterials(for: p)
    }

    /// The material as typed (an id, or empty for none), checked: only
    /// client material the worker's organisation may see.
    func goalMaterial(_ p: StaffPrincipal, _ typed: String) async throws -> UUID? {
        let t = typed.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        guard let id = UUID(uuidString: t), try await goalMaterials(p).contains(where: { $0.id == id }) else {
            throw MappingRefusedFields([("material", .badMaterial, 0)])
        }
        return id
    }

    /// The links of the goals' material the bank still gives clients, by material id.
    package func goalMaterialLinks(_ goals: [MappingGoal]) async throws -> [UUID: MaterialLink] {
        guard let materials else { return [:] }
        var links: [UUID: MaterialLink] = [:]
        for id in Set(goals.compactMap(\.material)) {
            if let link = try await materials.clientMaterial(id: id) { links[id] = link }
        }
        return links
    }
}

/// A goal's material as the JSON gives it to the client (their goals and
/// their data download) and to their buddy: the title and the client page,
/// as the pages link it; left out when the bank no longer gives it to clients.
struct MaterialLinkJSON: Encodable {
    let title: String
    let path: String
    init(_ l: MaterialLink) { (title, path) = (l.title, l.path) }
}
