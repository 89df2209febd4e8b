import struct Foundation.UUID

/// Staff roles, from the widest rights to the narrowest.
public enum Role: String, Sendable, CaseIterable, Codable {
    case networkCoordinator = "network_coordinator"
    case coordinator
    case worker
    case volunteer

    /// Coordinators and network coordinators manage services and people.
    public var canAdminister: Bool { self == .networkCoordinator || self == .coordinator }

    /// Roles this role may give to others.
    public var assignable: [Role] {
        switch self {
        case .networkCoordinator: Role.allCases
        case .coordinator: [.coordinator, .worker, .volunteer]
        case .worker, .volunteer: []
        }
    }
}

/// A signed-in registered client (a group member, a coachee): known by
/// their account's id and the nickname they chose, nothing more.
public struct MemberPrincipal: Sendable {
    public var memberID: UUID
    public var sessionID: UUID
    public var nickname: String
    public init(memberID: UUID, sessionID: UUID, nickname: String) {
        (self.memberID, self.sessionID, self.nickname) = (memberID, sessionID, nickname)
    }
}

/// The signed-in staff member a request acts for. Features check rights
/// against this; they never see the password or the session token.
public struct StaffPrincipal: Sendable {
    public var staffID: UUID
    public var sessionID: UUID
    public var email: String
    public var role: Role
    public var organisationID: UUID
    public var networkID: UUID
    public var workName: String

    public init(staffID: UUID, sessionID: UUID, email: String, role: Role, organisationID: UUID, networkID: UUID, workName: String) {
        self.staffID = staffID
        self.sessionID = sessionID
        self.email = email
        self.role = role
        self.organisationID = organisationID
        self.networkID = networkID
        self.workName = workName
    }

    /// May this person manage the given organisation's services and staff?
    public func canManage(organisation: UUID, inNetwork network: UUID) -> Bool {
        switch role {
        case .networkCoordinator: network == networkID
        case .coordinator: organisation == organisationID
        case .worker, .volunteer: false
        }
    }
}
