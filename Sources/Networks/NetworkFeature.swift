import Foundation
import Hummingbird
import KohtaamoBase

/// The Network capability: networks, organisations, services and opening
/// hours, their public pages and coordinator pages.
package struct NetworkFeature: Sendable {
    package let repository: any NetworkRepository
    /// Each service's referral cards.
    package let referrals: TextCardStore
    package let views: Views
    package let clock: AppClock

    package init(repository: any NetworkRepository, referrals: TextCardStore, views: Views, clock: AppClock) {
        self.repository = repository
        self.referrals = referrals
        self.views = views
        self.clock = clock
    }

    package static let referralTable = "service_referrals"

    /// What other features may ask about services.
    package var directory: NetworkServiceDirectory {
        NetworkServiceDirectory(repository: repository, referralCards: referrals, clock: clock, localizer: views.localizer)
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        PublicController(repository: repository, referrals: referrals, views: views, clock: clock).addRoutes(to: router)
        ServiceAdminController(repository: repository, views: views, clock: clock).addRoutes(to: router)
        OrganisationAdminController(repository: repository, views: views, clock: clock).addRoutes(to: router)
        ReferralAdminController(repository: repository, editor: TextCardEditor(store: referrals, views: views, contacts: true), views: views)
            .addRoutes(to: router)
    }
}

/// Lets other features list the organisations a person may manage.
package struct NetworkOrganisationDirectory: OrganisationDirectory {
    package let repository: any NetworkRepository
    package init(repository: any NetworkRepository) { self.repository = repository }

    package func manageable(by principal: StaffPrincipal, language: Language) async throws -> [(id: UUID, name: String)] {
        try await repository.organisations(network: principal.networkID)
            .filter { principal.canManage(organisation: $0.id, inNetwork: $0.networkID) }
            .map { ($0.id, $0.names.in(language)) }
    }
}

/// Lets other features look up a service and whether it is open now.
package struct NetworkServiceDirectory: ServiceDirectory {
    package let repository: any NetworkRepository
    let referralCards: TextCardStore
    package let clock: AppClock
    package let localizer: Localizer
    package init(repository: any NetworkRepository, referralCards: TextCardStore, clock: AppClock, localizer: Localizer) {
        self.repository = repository
        self.referralCards = referralCards
        self.clock = clock
        self.localizer = localizer
    }

    package func weeklyHours(service: UUID) async throws -> [(weekday: Int, opens: Int, closes: Int)] {
        try await repository.schedule(service: service).weekly.map { ($0.weekday, $0.opens, $0.closes) }
    }

    package func services(organisation: UUID) async throws -> [ServiceInfo] {
        guard let org = try await repository.organisation(id: organisation) else { return [] }
        return try await services(network: org.networkID).filter { $0.organisations.first == organisation }
    }

    package func organisations(network: UUID, language: Language) async throws -> [(id: UUID, name: String)] {
        try await repository.organisations(network: network).map { ($0.id, $0.names.in(language)) }
    }

    package func organisationName(_ id: UUID, language: Language) async throws -> String? {
        try await repository.organisation(id: id)?.names.in(language)
    }

    package func presentation(service: UUID, language: Language) async throws -> ServicePresentation? {
        guard let s = try await repository.service(id: service) else { return nil }
        let schedule = try await repository.schedule(service: service)
        let text = ScheduleText(localizer: localizer, lang: language)
        return ServicePresentation(
            description: s.descriptions.in(language), status: text.status(schedule, now: clock.now).text,
            weekly: text.weeklyRows(schedule).map { ($0.day, $0.hours) })
    }

    package func referrals(service: UUID) async throws -> [TextCard] { try await referralCards.cards(owners: [service]) }

    package func setStaffOnly(service: UUID, _ staffOnly: Bool) async throws { try await repository.setStaffOnly(service: service, staffOnly) }

    package func info(_ s: ServiceRecord?) async throws -> ServiceInfo? {
        guard let s else { return nil }
        let status = try await repository.schedule(service: s.id).status(at: clock.now)
        let (open, opensAt): (Bool, Date?) =
            switch status {
            case .open: (true, nil)
            case .closed(let at): (false, at)
            }
        return ServiceInfo(
            id: s.id, slug: s.slug, kind: s.kind, names: s.names, organisations: [s.organisationID] + s.sharedWith,
            isPublic: s.isPublic && !s.staffOnly, openNow: open, opensAt: opensAt)
    }

    package func service(slug: String) async throws -> ServiceInfo? { try await info(repository.service(slug: slug)) }
    package func service(id: UUID) async throws -> ServiceInfo? { try await info(repository.service(id: id)) }
    package func services(network: UUID) async throws -> [ServiceInfo] {
        var list: [ServiceInfo] = []
        for s in try await repository.services(network: network) { if let i = try await info(s) { list.append(i) } }
        return list
    }
}
