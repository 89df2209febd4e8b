import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A database call that has not answered by its deadline.
package struct DeadlinePassed: Error, Sendable {}

/// Runs `work` in its own task and returns its result, or throws
/// `DeadlinePassed` after `deadline`; the work is then cancelled and left to
/// end by itself. For calls that must not wait for ever: under load, after
/// PostgreSQL ended a node's connections or restarted, a query's future was
/// seen never to complete, and everything behind it waited too.
///
/// One task and an event-loop timer per call (it was three tasks and a
/// sleep): every store call and every group commit pays this. `executor`:
/// where the work should run (nil: Swift's global threads).
func withDeadline<T: Sendable>(
    _ deadline: Duration, executor: (any TaskExecutor)? = nil,
    _ work: @escaping @Sendable () async throws -> T
) async throws -> T {
    let answered = NIOLockedValueBox(false)
    let running = NIOLockedValueBox<Task<Void, Never>?>(nil)
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        @Sendable func answer(_ result: Result<T, any Error>) {
            let first = answered.withLockedValue { done in
                defer { done = true }
                return !done
            }
            if first { continuation.resume(with: result) }
        }
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(deadline.nanoseconds)) {
            running.withLockedValue { $0 }?.cancel()
            answer(.failure(DeadlinePassed()))
        }
        let task = Task(executorPreference: executor) {
            let result: Result<T, any Error>
            do { result = .success(try await work()) } catch { result = .failure(error) }
            timer.cancel()
            answer(result)
        }
        running.withLockedValue { $0 = task }
    }
}

extension Duration {
    /// The whole duration in nanoseconds (for NIO's `TimeAmount`).
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

/// The message store with a deadline on every call: a hung query becomes an
/// error (`unavailable` to the sender, a closed socket that reconnects and
/// syncs) instead of a socket or a whole node that waits for ever.
package struct DeadlineStore: MessageStore {
    package let store: any MessageStore
    let deadline: Duration

    package init(_ store: any MessageStore, deadline: Duration = .seconds(10)) {
        self.store = store
        self.deadline = deadline
    }

    private func bounded<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withDeadline(deadline, work)
    }

    package func createConversation(kind: ConversationKind, open: Bool, participants: [Participant], at: Int64) async throws -> UUID {
        try await bounded { [store] in try await store.createConversation(kind: kind, open: open, participants: participants, at: at) }
    }
    package func queueAppend(
        conversation: UUID, clientID: UUID, sender: Identity, from: Sender, body: String, at: Int64,
        committed: AppendTicket.Hook?
    ) -> AppendTicket {
        // The batcher bounds its own commits; a caller queued behind one is answered with it.
        store.queueAppend(conversation: conversation, clientID: clientID, sender: sender, from: from, body: body, at: at, committed: committed)
    }
    package func messages(conversation: UUID, after: Int64, limit: Int) async throws -> [StoredMessage] {
        try await bounded { [store] in try await store.messages(conversation: conversation, after: after, limit: limit) }
    }
    package func messages(in spans: [MessageSpan]) async throws -> [StoredMessage] {
        try await bounded { [store] in try await store.messages(in: spans) }
    }
    package func lastSeq(conversation: UUID) async throws -> Int64? {
        try await bounded { [store] in try await store.lastSeq(conversation: conversation) }
    }
    package func kind(conversation: UUID) async throws -> ConversationKind? {
        try await bounded { [store] in try await store.kind(conversation: conversation) }
    }
    package func isOpen(conversation: UUID) async throws -> Bool? {
        try await bounded { [store] in try await store.isOpen(conversation: conversation) }
    }
    package func setOpen(conversation: UUID, _ open: Bool) async throws {
        try await bounded { [store] in try await store.setOpen(conversation: conversation, open) }
    }
    package func participants(conversation: UUID) async throws -> [Participant] {
        try await bounded { [store] in try await store.participants(conversation: conversation) }
    }
    package func upsertParticipant(conversation: UUID, _ participant: Participant) async throws {
        try await bounded { [store] in try await store.upsertParticipant(conversation: conversation, participant) }
    }
    package func removeParticipant(conversation: UUID, identity: Identity) async throws {
        try await bounded { [store] in try await store.removeParticipant(conversation: conversation, identity: identity) }
    }
    package func setRead(conversation: UUID, identity: Identity, seq: Int64) async throws {
        try await bounded { [store] in try await store.setRead(conversation: conversation, identity: identity, seq: seq) }
    }
    package func setReads(_ reads: [ReadPosition]) async throws {
        try await bounded { [store] in try await store.setReads(reads) }
    }
    package func readers(conversation: UUID, atLeast seq: Int64) async throws -> [Identity] {
        try await bounded { [store] in try await store.readers(conversation: conversation, atLeast: seq) }
    }
    package func conversations(of identity: Identity) async throws -> [UUID] {
        try await bounded { [store] in try await store.conversations(of: identity) }
    }
    package func conversations(ofAny identities: [Identity]) async throws -> Set<UUID> {
        try await bounded { [store] in try await store.conversations(ofAny: identities) }
    }
    package func erase(conversation: UUID) async throws {
        try await bounded { [store] in try await store.erase(conversation: conversation) }
    }
    package func remove(conversation: UUID, seq: Int64) async throws -> StoredMessage? {
        try await bounded { [store] in try await store.remove(conversation: conversation, seq: seq) }
    }
    package func removeAll(conversation: UUID, sender: Identity) async throws -> [Int64] {
        try await bounded { [store] in try await store.removeAll(conversation: conversation, sender: sender) }
    }
    package func expire(conversation: UUID, before: Int64, limit: Int) async throws -> [Int64] {
        try await bounded { [store] in try await store.expire(conversation: conversation, before: before, limit: limit) }
    }
}
