import Foundation
import Hummingbird
import KohtaamoBase

/// The network's material bank: staff pages under `/staff/materials`, the
/// JSON API under `/api/materials`, and the client's page of a material
/// written for clients (`/materials/{id}`).
package struct MaterialsFeature: Sendable {
    package let service: MaterialService
    package let views: Views

    package init(service: MaterialService, views: Views) { (self.service, self.views) = (service, views) }

    /// Client material for the other features (through `MaterialDirectory`).
    package var directory: any MaterialDirectory { MaterialBankDirectory(service: service) }

    package func addRoutes(to router: Router<AppRequestContext>) {
        MaterialAPIController(service: service, views: views).addRoutes(to: router)
        MaterialPagesController(service: service, views: views).addRoutes(to: router)
        MaterialClientController(service: service, views: views).addRoutes(to: router)
    }
}

/// The bank as `MaterialDirectory`.
struct MaterialBankDirectory: MaterialDirectory {
    let service: MaterialService

    static func link(_ m: Material) -> MaterialLink { MaterialLink(id: m.id, title: m.title, path: MaterialLink.path(m.id)) }

    func clientMaterials(for staff: StaffPrincipal) async throws -> [MaterialLink] {
        try await service.search(MaterialQuery(audience: .clients), for: staff).map { Self.link($0.material) }
            .sorted { $0.title.localizedCompare($1.title) == .orderedAscending }
    }

    func clientMaterials(
        network: UUID, organisation: UUID?, themes: [DigitalTheme], language: Language, limit: Int
    ) async throws -> [MaterialLink] {
        try await service.store.materials(network: network)
            .filter { m in
                m.forClients && !Set(m.themes).isDisjoint(with: themes) && m.languages.contains { $0.rawValue == language.rawValue }
                    && (m.visibility != .organisation || m.organisation == organisation)
            }
            .sorted { ($0.plainLanguage ? 0 : 1, $0.title) < ($1.plainLanguage ? 0 : 1, $1.title) }
            .prefix(limit).map(Self.link)
    }

    func clientMaterial(id: UUID) async throws -> MaterialLink? {
        guard let m = try? await service.clientMaterial(id) else { return nil }
        return Self.link(m)
    }
}
