import Foundation
import KohtaamoBase

/// Who is on the other end of a socket or a request: a staff member or a
/// client (anonymous or registered). Never a private name or an email.
package enum Identity: Hashable, Sendable, CustomStringConvertible {
    case staff(UUID)
    case client(UUID)

    /// The kind as stored (`identity_kind`, `sender_kind`) and named in frames.
    package enum Kind: String, Sendable, Hashable {
        case staff
        case client
    }

    package var kind: Kind {
        switch self {
        case .staff: .staff
        case .client: .client
        }
    }

    package var id: UUID {
        switch self {
        case .staff(let id), .client(let id): id
        }
    }

    package init(kind: Kind, id: UUID) {
        switch kind {
        case .staff: self = .staff(id)
        case .client: self = .client(id)
        }
    }

    /// From the stored or framed kind; nil for any other string.
    package init?(kind: String, id: UUID) {
        guard let kind = Kind(rawValue: kind) else { return nil }
        self.init(kind: kind, id: id)
    }

    /// `staff:<uuid>` / `client:<uuid>`: how a participant is named in frames (`to`).
    package var description: String { "\(kind.rawValue):\(id.text())" }

    package init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[1])) else { return nil }
        self.init(kind: String(parts[0]), id: id)
    }
}

/// How a participant appears in a conversation: `from` of a message.
package struct Sender: Sendable, Equatable, Codable {
    package var name: String
    package var role: Role
    package init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
    package static let system = Sender(name: "Kohtaamo", role: .system)

    /// The role shown in a message's `from`, the same string stored
    /// (`sender_role`, `role`) and sent in frames.
    package enum Role: String, Sendable, Equatable, Codable {
        case client
        case worker
        case volunteer
        case coordinator
        case system

        /// From a stored column. Only these strings are ever written; anything
        /// else reads as a client, the role with the least weight.
        package init(stored: String) { self = Role(rawValue: stored) ?? .client }
    }
}

extension Role {
    /// Shown in a message's `from`: a network coordinator acts as a coordinator.
    package var publicRole: Sender.Role {
        switch self {
        case .networkCoordinator, .coordinator: .coordinator
        case .worker: .worker
        case .volunteer: .volunteer
        }
    }
}

/// What a conversation is for, as stored in `conversations.kind` (written
/// for reading the database by hand; nothing selects on it).
package enum ConversationKind: String, Sendable, Equatable {
    case supportChat = "support_chat"
    /// A support chat's notes, shared by the staff in it.
    case chatNotes = "chat_notes"
    case group
    /// A coach and one coachee.
    case coaching
    /// A coach and a coaching group's coachees.
    case coachingGroup = "coaching_group"
    /// A reach-out plan's workers and its registered client.
    case reachout
}

/// A participant's place in one conversation.
package struct Participant: Sendable, Equatable {
    package var identity: Identity
    package var sender: Sender
    /// False for a closed conversation's members (it opens again for them).
    package var canSend: Bool
    /// Muted by a moderator until then (milliseconds since 1970): sending
    /// and typing are refused with `muted` until it passes.
    package var mutedUntilMs: Int64?

    package init(identity: Identity, sender: Sender, canSend: Bool, mutedUntilMs: Int64? = nil) {
        (self.identity, self.sender, self.canSend, self.mutedUntilMs) = (identity, sender, canSend, mutedUntilMs)
    }

    /// Milliseconds of mute left at `nowMs`, or nil.
    package func muted(at nowMs: Int64) -> Int64? {
        guard let until = mutedUntilMs, until > nowMs else { return nil }
        return until - nowMs
    }
}
