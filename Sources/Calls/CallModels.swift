import Foundation
import KohtaamoRealtime

/// Voice only, or voice and video: what the starter chose (each person may
/// still join with voice only, or turn the camera off).
package enum CallMedia: String, Sendable, Codable {
    case audio
    case video
}

/// A call between a worker and a client (a support chat, a coaching thread)
/// or among a room's members.
package enum CallKind: String, Sendable, Codable {
    case pair
    case group
}

/// One call in one conversation. At most one is on in a conversation at a time.
package struct Call: Sendable, Equatable {
    package var id: UUID
    package var conversation: UUID
    package var kind: CallKind
    package var media: CallMedia
    package var startedBy: Identity
    package var startedMs: Int64
    /// When a second person joined: the call's length counts from here.
    package var connectedMs: Int64?
    package var endedMs: Int64?

    package var isOn: Bool { endedMs == nil }

    /// Whole minutes from connecting to the end, at least one; nil for a call nobody answered.
    package var minutes: Int? {
        guard let connectedMs, let endedMs else { return nil }
        return max(1, Int((endedMs - connectedMs + 59_999) / 60_000))
    }
}

/// A person's place in a call. Leaving keeps the row (they may come back);
/// a moderator's removal keeps them out of this call.
package struct CallMember: Sendable, Equatable {
    package var identity: Identity
    package var joinedMs: Int64
    package var leftMs: Int64?
    package var removed = false
    package var hand = false
    package var audio = true
    package var video: Bool

    package var isIn: Bool { leftMs == nil && !removed }
}
