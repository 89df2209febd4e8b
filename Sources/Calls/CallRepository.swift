import Foundation
import KohtaamoRealtime

/// Calls and who is in them.
package protocol CallRepository: Sendable {
    func activeCall(conversation: UUID) async throws -> Call?
    func call(id: UUID) async throws -> Call?
    /// Stores the call with its starter in it; false when another call is
    /// already on in the conversation (one at a time).
    func start(_ call: Call, starter: CallMember) async throws -> Bool
    func members(call: UUID) async throws -> [CallMember]
    /// Puts the person in the call (again, after leaving) unless it has
    /// ended, they were removed from it, or `limit` people are in it.
    func join(call: UUID, _ member: CallMember, limit: Int) async throws -> CallJoin
    /// Saves a member's row as it is now (left, removed, hand, media).
    func update(call: UUID, _ member: CallMember) async throws
    /// The first time a second person is in: the call is connected.
    func connected(call: UUID, at: Int64) async throws
    /// Ends the call; false when it had already ended.
    func end(call: UUID, at: Int64) async throws -> Bool
    /// Whether any of these people was removed from the call now on in the conversation.
    func anyRemoved(conversation: UUID, _ identities: [Identity]) async throws -> Bool
}

package enum CallJoin: Sendable, Equatable {
    case joined
    case full
    case removed
    case ended
}
