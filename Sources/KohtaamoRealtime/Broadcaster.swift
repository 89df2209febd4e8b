import Foundation

/// What crosses from the node that committed or received something to every
/// socket that should see it. One node now (`LocalBroadcaster`); several
/// nodes on PostgreSQL add an implementation behind this same seam.
package enum BroadcastEvent: Sendable {
    /// A committed message: to every participant's sockets.
    case message(StoredMessage)
    /// A passing event (typing, read marker, state): to every participant, optionally not to one.
    case conversation(UUID, ServerFrame, except: Identity?)
    /// A room's stored reads (`RoomReads`): every participant's sockets get
    /// `seen` with the readers' count and whether they are among them.
    case seen(UUID, seq: Int64, readers: Set<Identity>)
    /// To one identity's sockets only (a call signal, a queue update).
    case identity(Identity, ServerFrame)
    /// Participants changed: forget what is cached about the conversation.
    case membershipChanged(UUID)
    /// A sign-in ended: close its sockets (`nil` session: all of the person's).
    case sessionEnded(Identity, UUID?)
}

package protocol Broadcaster: Sendable {
    func publish(_ event: BroadcastEvent) async
    /// A socket of this node caught up in `conversation` to `seq`: several
    /// nodes use it to know where to re-read from after a lost connection.
    func synced(_ conversation: UUID, upTo seq: Int64)
    /// This node's first socket of `identity` opened (true), or its last closed.
    func presence(of identity: Identity, online: Bool)
    /// Whether `identity` has a socket open on another node.
    func onlineElsewhere(_ identity: Identity) -> Bool
}

extension Broadcaster {
    package func synced(_ conversation: UUID, upTo seq: Int64) {}
    package func presence(of identity: Identity, online: Bool) {}
    package func onlineElsewhere(_ identity: Identity) -> Bool { false }
}

/// Delivers straight to this process's sockets (one node, or SQLite).
package struct LocalBroadcaster: Broadcaster {
    let deliver: @Sendable (BroadcastEvent) async -> Void
    package init(deliver: @escaping @Sendable (BroadcastEvent) async -> Void) { self.deliver = deliver }
    package func publish(_ event: BroadcastEvent) async { await deliver(event) }
}
