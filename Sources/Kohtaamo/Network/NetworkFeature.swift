import Foundation
import Hummingbird

/// The Network capability: networks, organisations, services and opening
/// hours, their public pages and coordinator pages.
public struct NetworkFeature: Sendable {
    public let repository: any NetworkRepository
    let views: Views
    let clock: AppClock

    public init(repository: any NetworkRepository, views: Views, clock: AppClock) {
        self.repository = repository
        self.views = views
        self.clock = clock
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        PublicController(repository: repository, views: views, clock: clock).addRoutes(to: router)
        ServiceAdminController(repository: repository, views: views, clock: clock).addRoutes(to: router)
        OrganisationAdminController(repository: repository, views: views, clock: clock).addRoutes(to: router)
    }
}

/// Lets other features list the organisations a person may manage.
public struct NetworkOrganisationDirectory: OrganisationDirectory {
    let repository: any NetworkRepository
    public init(repository: any NetworkRepository) { self.repository = repository }

    public func manageable(by principal: StaffPrincipal, language: Language) async throws -> [(id: UUID, name: String)] {
        try await repository.organisations(network: principal.networkID)
            .filter { principal.canManage(organisation: $0.id, inNetwork: $0.networkID) }
            .map { ($0.id, $0.names.in(language)) }
    }
}
