import FluentKit
import Foundation
import Hummingbird
import KohtaamoBase

/// The Accounts capability: staff sign-in and sessions, work profiles,
/// password links, and the coordinator pages for people.
package struct AccountsFeature: Sendable {
    package let service: AccountService
    package let members: MemberService
    /// Features that keep something of members, for their download and erasure.
    package let memberData: [any MemberDataHolder]
    package let views: Views
    package let organisations: any OrganisationDirectory
    package let configuration: (secureCookies: Bool, publicURL: String?)

    package init(
        service: AccountService, members: MemberService, memberData: [any MemberDataHolder], views: Views,
        organisations: any OrganisationDirectory, secureCookies: Bool, publicURL: String?
    ) {
        self.service = service
        self.members = members
        self.memberData = memberData
        self.views = views
        self.organisations = organisations
        self.configuration = (secureCookies, publicURL)
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        SessionController(accounts: service, views: views, secureCookies: configuration.secureCookies).addRoutes(to: router)
        ProfileController(accounts: service, views: views).addRoutes(to: router)
        SecondFactorController(accounts: service, views: views, secureCookies: configuration.secureCookies).addRoutes(to: router)
        MemberController(members: members, views: views, secureCookies: configuration.secureCookies, holders: memberData).addRoutes(to: router)
        PasswordResetController(accounts: service, views: views).addRoutes(to: router)
        StaffAdminController(accounts: service, views: views, organisations: organisations, publicURL: configuration.publicURL).addRoutes(to: router)
    }
}

/// Lets other features look up a staff member's work profile.
package struct AccountStaffDirectory: StaffDirectory {
    package let repository: any StaffRepository
    package init(repository: any StaffRepository) { self.repository = repository }
    package func member(id: UUID) async throws -> (workName: String, role: Role, organisationID: UUID)? {
        guard let s = try await repository.staff(id: id), s.active else { return nil }
        return (s.workName, s.role, s.organisationID)
    }
    package func members(organisations: [UUID]) async throws -> [(id: UUID, workName: String, role: Role)] {
        try await repository.staff(inOrganisations: organisations).filter(\.active).map { ($0.id, $0.workName, $0.role) }
    }
}

/// `MemberDirectory` over the members' table.
package struct AccountMemberDirectory: MemberDirectory {
    package let members: MemberService
    package init(members: MemberService) { self.members = members }
    package func member(nickname: String) async throws -> (id: UUID, nickname: String)? {
        guard let m = try await MemberModel.query(on: members.db()).filter(\.$nicknameKey == MemberService.key(nickname)).first(), let id = m.id
        else { return nil }
        return (id, m.nickname)
    }
    package func nickname(member: UUID) async throws -> String? { try await members.member(id: member)?.nickname }
}
