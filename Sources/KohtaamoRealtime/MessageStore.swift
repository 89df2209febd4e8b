import Foundation

/// A stored message, as the `msg` frame carries it.
package struct StoredMessage: Sendable, Equatable {
    package var conversation: UUID
    package var seq: Int64
    package var clientID: UUID
    package var senderIdentity: Identity
    package var from: Sender
    package var body: String
    /// Milliseconds since 1970, UTC.
    package var atMs: Int64
    /// Removed by a moderator: the body is gone (empty), the seq stays.
    package var removed: Bool = false
}

package enum StoreError: Error, Sendable, Equatable {
    case noSuchConversation
    case closed
}

/// Durable storage of conversations and their messages. `append` assigns the
/// seq inside the committing transaction; when it returns, the message is committed.
package protocol MessageStore: Sendable {
    func createConversation(kind: ConversationKind, open: Bool, participants: [Participant], at: Int64) async throws -> UUID
    /// Queues the message to be stored, or to answer with the one stored
    /// earlier with the same client id (`duplicate` true), so a retry gets the
    /// same seq. Messages queued one after another are committed in that
    /// order; the ticket answers once the commit has ended, and `committed`
    /// runs just before, in commit order.
    func queueAppend(
        conversation: UUID, clientID: UUID, sender: Identity, from: Sender, body: String, at: Int64,
        committed: AppendTicket.Hook?
    ) -> AppendTicket
    func messages(conversation: UUID, after: Int64, limit: Int) async throws -> [StoredMessage]
    /// The messages of several conversations at once, each with a seq in
    /// its span (`after` excluded, `upTo` included), by conversation and
    /// seq: one read for many conversations (another node's announcements).
    func messages(in spans: [MessageSpan]) async throws -> [StoredMessage]
    func lastSeq(conversation: UUID) async throws -> Int64?
    func isOpen(conversation: UUID) async throws -> Bool?
    /// What the conversation is for; nil for no such conversation.
    func kind(conversation: UUID) async throws -> ConversationKind?
    func setOpen(conversation: UUID, _ open: Bool) async throws
    /// Active participants.
    func participants(conversation: UUID) async throws -> [Participant]
    func upsertParticipant(conversation: UUID, _ participant: Participant) async throws
    func removeParticipant(conversation: UUID, identity: Identity) async throws
    func setRead(conversation: UUID, identity: Identity, seq: Int64) async throws
    /// Many read positions in one transaction (a room's second of reads),
    /// each only ever raised.
    func setReads(_ reads: [ReadPosition]) async throws
    /// The active participants who have read up to `seq` or further.
    func readers(conversation: UUID, atLeast seq: Int64) async throws -> [Identity]
    /// Conversations the identity takes part in now.
    func conversations(of identity: Identity) async throws -> [UUID]
    /// Conversations any of the identities takes part in now, in one read
    /// (callers pass a few hundred at a time: `Realtime.identityChunk`).
    func conversations(ofAny identities: [Identity]) async throws -> Set<UUID>
    /// Erases the conversation: rows and its data key.
    func erase(conversation: UUID) async throws
    /// Empties one message's body for good and marks it removed; returns the
    /// message as it was (nil: no such message).
    func remove(conversation: UUID, seq: Int64) async throws -> StoredMessage?
    /// Every message of one sender in the conversation, removed and without
    /// their name, and the sender forgotten as a participant (an erased
    /// account); returns the seqs.
    func removeAll(conversation: UUID, sender: Identity) async throws -> [Int64]
    /// Retention: up to `limit` messages written before `before` (ms), oldest
    /// first, lose their body and writer's name and are marked removed, as a
    /// moderator's removal leaves them; returns their seqs (empty: none left).
    func expire(conversation: UUID, before: Int64, limit: Int) async throws -> [Int64]
}

/// Where one participant has read up to.
package struct ReadPosition: Sendable, Hashable {
    package var conversation: UUID
    package var identity: Identity
    package var seq: Int64
    package init(conversation: UUID, identity: Identity, seq: Int64) { (self.conversation, self.identity, self.seq) = (conversation, identity, seq) }
}

/// A stretch of one conversation's messages: the seqs after `after` up to `upTo`.
package struct MessageSpan: Sendable, Hashable {
    package var conversation: UUID
    package var after: Int64
    package var upTo: Int64
    package init(_ conversation: UUID, after: Int64, upTo: Int64) { (self.conversation, self.after, self.upTo) = (conversation, after, upTo) }
}

extension MessageStore {
    /// One read a conversation, for a store that cannot do better.
    package func messages(in spans: [MessageSpan]) async throws -> [StoredMessage] {
        var out: [StoredMessage] = []
        for span in spans where span.upTo > span.after {
            out += try await messages(conversation: span.conversation, after: span.after, limit: Int(span.upTo - span.after))
        }
        return out
    }

    /// How many active participants have read up to `seq` or further.
    package func readCount(conversation: UUID, atLeast seq: Int64) async throws -> Int {
        try await readers(conversation: conversation, atLeast: seq).count
    }

    /// One by one, for stores with nothing faster.
    package func setReads(_ reads: [ReadPosition]) async throws {
        for r in reads { try await setRead(conversation: r.conversation, identity: r.identity, seq: r.seq) }
    }

    /// Queues the message with no hook (see `queueAppend(…committed:)`).
    package func queueAppend(conversation: UUID, clientID: UUID, sender: Identity, from: Sender, body: String, at: Int64) -> AppendTicket {
        queueAppend(conversation: conversation, clientID: clientID, sender: sender, from: from, body: body, at: at, committed: nil)
    }

    /// Stores the message and returns after the commit (see `queueAppend`).
    package func append(conversation: UUID, clientID: UUID, sender: Identity, from: Sender, body: String, at: Int64) async throws -> (
        message: StoredMessage, duplicate: Bool
    ) {
        try await queueAppend(conversation: conversation, clientID: clientID, sender: sender, from: from, body: body, at: at, committed: nil)
            .outcome()
    }
}
