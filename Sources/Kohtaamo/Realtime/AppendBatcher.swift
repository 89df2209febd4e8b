import Foundation
import NIOConcurrencyHelpers

/// Group commit: messages posted while a transaction is running wait and
/// are committed together in the next one, so one disk flush serves many
/// messages. Each caller is answered only after the transaction that holds
/// its message has committed (ack after commit).
final class AppendBatcher: Sendable {
    struct Request: Sendable {
        var conversation: UUID
        var clientID: UUID
        var sender: Identity
        var from: Sender
        var body: String
        var at: Int64
    }
    typealias Outcome = Result<(message: StoredMessage, duplicate: Bool), any Error>
    private struct Waiting {
        var request: Request
        var continuation: CheckedContinuation<(message: StoredMessage, duplicate: Bool), any Error>
    }

    /// At most this many messages in one transaction.
    static let maxBatch = 256
    /// A commit that has not answered by then is given up: its senders hear
    /// `unavailable` and retry (the same ids: a commit that did land answers
    /// the retry with its seq), and the next batch goes on. Seen on PostgreSQL:
    /// after `pg_terminate_backend` of the pool's connections under load, a
    /// transaction's future never completed, and every later message of the
    /// node waited behind it.
    static let commitDeadline: Duration = .seconds(5)

    private let state = NIOLockedValueBox<(queue: [Waiting], running: Bool)>(([], false))
    private let commit: @Sendable ([Request]) async throws -> [Outcome]

    init(commit: @escaping @Sendable ([Request]) async throws -> [Outcome]) {
        self.commit = commit
    }

    func submit(_ request: Request) async throws -> (message: StoredMessage, duplicate: Bool) {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain = state.withLockedValue { s -> Bool in
                s.queue.append(Waiting(request: request, continuation: continuation))
                if s.running { return false }
                s.running = true
                return true
            }
            if startDrain { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLockedValue { s -> [Waiting] in
                let taken = Array(s.queue.prefix(Self.maxBatch))
                s.queue.removeFirst(taken.count)
                if taken.isEmpty { s.running = false }
                return taken
            }
            if batch.isEmpty { return }
            do {
                let requests = batch.map(\.request)
                let outcomes = try await withDeadline(Self.commitDeadline) { [commit] in try await commit(requests) }
                for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(with: outcome) }
            } catch {
                // Nothing of this batch committed: nobody gets an ack; clients retry.
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
