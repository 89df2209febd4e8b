import Foundation

/// Who is on the other end of a socket or a request: a staff member or a
/// client (anonymous or registered). Never a private name or an email.
package enum Identity: Hashable, Sendable, CustomStringConvertible {
    case staff(UUID)
    case client(UUID)

    package var kind: String {
        switch self {
        case .staff: "staff"
        case .client: "client"
        }
    }

    package var id: UUID {
        switch self {
        case .staff(let id), .client(let id): id
        }
    }

    package init?(kind: String, id: UUID) {
        switch kind {
        case "staff": self = .staff(id)
        case "client": self = .client(id)
        default: return nil
        }
    }

    /// `staff:<uuid>` / `client:<uuid>`: how a participant is named in frames (`to`).
    package var description: String { "\(kind):\(id.text())" }

    package init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let id = UUID(uuidString: String(parts[1])) else { return nil }
        self.init(kind: String(parts[0]), id: id)
    }
}

/// How a participant appears in a conversation: `from` of a message.
package struct Sender: Sendable, Equatable, Codable {
    package var name: String
    /// "client", "worker", "volunteer", "coordinator" or "system".
    package var role: String
    package init(name: String, role: String) {
        self.name = name
        self.role = role
    }
    package static let system = Sender(name: "Kohtaamo", role: "system")
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
