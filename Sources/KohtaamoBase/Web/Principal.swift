import struct Foundation.UUID

/// Staff roles, from the widest rights to the narrowest.
package enum Role: String, Sendable, CaseIterable, Codable {
    case networkCoordinator = "network_coordinator"
    case coordinator
    case worker
    case volunteer

    /// Coordinators and network coordinators manage services and people.
    package var canAdminister: Bool { self == .networkCoordinator || self == .coordinator }

    /// Roles this role may give to others.
    package var assignable: [Role] {
        switch self {
        case .networkCoordinator: Role.allCases
        case .coordinator: [.coordinator, .worker, .volunteer]
        case .worker, .volunteer: []
        }
    }
}

/// A signed-in registered client (a group member, a coachee): known by
/// their account's id and the nickname they chose, nothing more.
package struct MemberPrincipal: Sendable {
    package var memberID: UUID
    package var sessionID: UUID
    package var nickname: String
    package init(memberID: UUID, sessionID: UUID, nickname: String) {
        (self.memberID, self.sessionID, self.nickname) = (memberID, sessionID, nickname)
    }
}

/// The signed-in staff member a request acts for. Features check rights
/// against this; they never see the password or the session token.
package struct StaffPrincipal: Sendable {
    package var staffID: UUID
    package var sessionID: UUID
    package var email: String
    package var role: Role
    package var organisationID: UUID
    package var networkID: UUID
    package var workName: String

    package init(staffID: UUID, sessionID: UUID, email: String, role: Role, organisationID: UUID, networkID: UUID, workName: String) {
        self.staffID = staffID
        self.sessionID = sessionID
        self.email = email
        self.role = role
        self.organisationID = organisationID
        self.networkID = networkID
        self.workName = workName
    }

    /// May this person manage the given organisation's services and staff?
    package func canManage(organisation: UUID, inNetwork network: UUID) -> Bool {
        switch role {
        case .networkCoordinator: network == networkID
        case .coordinator: organisation == organisationID
        case .worker, .volunteer: false
        }
    }
}
