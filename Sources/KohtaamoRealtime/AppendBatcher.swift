import Foundation
import Metrics
import NIOConcurrencyHelpers
import NIOPosix

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
    typealias Outcome = AppendTicket.Outcome
    private struct Waiting {
        var request: Request
        var ticket: AppendTicket
        var queued = ContinuousClock.now
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

    /// For operators (`/metrics`) and for the benchmarks: how long each group
    /// commit took, how many messages it held, and how long a message waited
    /// for its commit to start.
    private static let commitTime = Metrics.Timer(label: "kohtaamo_commit_seconds")
    private static let batchSize = Recorder(label: "kohtaamo_commit_messages")
    private static let queueTime = Metrics.Timer(label: "kohtaamo_commit_queue_seconds")

    private let state = NIOLockedValueBox<(queue: [Waiting], running: Bool)>(([], false))
    private let commit: @Sendable ([Request]) async throws -> [Outcome]
    /// Batches are put together, and their senders answered, on the event
    /// loop of the socket whose message started the drain (else on this
    /// one): that sender's answer then needs no hop at all, and the others
    /// wait on event loops too, so no answer goes through Swift's global threads.
    private let fallback = EventLoopExecutor(MultiThreadedEventLoopGroup.singleton.next())

    init(commit: @escaping @Sendable ([Request]) async throws -> [Outcome]) {
        self.commit = commit
    }

    /// Queues the message now; messages queued one after another are
    /// committed in that order. The ticket answers after the commit;
    /// `committed` runs first, in commit order (see `AppendTicket`).
    func enqueue(_ request: Request, committed: AppendTicket.Hook? = nil) -> AppendTicket {
        let ticket = AppendTicket(committed: committed)
        let startDrain = state.withLockedValue { s -> Bool in
            s.queue.append(Waiting(request: request, ticket: ticket))
            if s.running { return false }
            s.running = true
            return true
        }
        if startDrain {
            let executor = MultiThreadedEventLoopGroup.currentEventLoop.map(EventLoopExecutor.init) ?? fallback
            Task(executorPreference: executor) { await self.drain(on: executor) }
        }
        return ticket
    }

    private func drain(on executor: EventLoopExecutor) async {
        while true {
            let batch = state.withLockedValue { s -> [Waiting] in
                let taken = Array(s.queue.prefix(Self.maxBatch))
                s.queue.removeFirst(taken.count)
                if taken.isEmpty { s.running = false }
                return taken
            }
            if batch.isEmpty { return }
            let start = ContinuousClock.now
            for waiting in batch { Self.queueTime.recordNanoseconds((start - waiting.queued).nanoseconds) }
            Self.batchSize.record(batch.count)
            defer { Self.commitTime.recordNanoseconds((ContinuousClock.now - start).nanoseconds) }
            do {
                let requests = batch.map(\.request)
                let outcomes = try await withDeadline(Self.commitDeadline, executor: executor) { [commit] in try await commit(requests) }
                for (waiting, outcome) in zip(batch, outcomes) { waiting.ticket.resolve(outcome) }
            } catch {
                // Nothing of this batch committed: nobody gets an ack; clients retry.
                for waiting in batch { waiting.ticket.resolve(.failure(error)) }
            }
        }
    }
}

/// A message handed to the store: its outcome once the transaction that
/// holds it has ended (an ack only after the commit).
package final class AppendTicket: Sendable {
    package typealias Outcome = Result<(message: StoredMessage, duplicate: Bool), any Error>
    /// Runs where the outcome is known, before anyone waiting is resumed.
    /// Tickets are resolved one after another in commit order, so hooks run
    /// in seq order per conversation; resumed waiters race each other, which
    /// is why the ack and the live delivery start here and not after `outcome()`.
    package typealias Hook = @Sendable (Outcome) -> Void
    private enum State {
        case waiting([CheckedContinuation<(message: StoredMessage, duplicate: Bool), any Error>])
        case done(Outcome)
    }
    private let state = NIOLockedValueBox(State.waiting([]))
    private let committed: Hook?

    package init(committed: Hook? = nil) { self.committed = committed }

    package func resolve(_ outcome: Outcome) {
        let waiting = state.withLockedValue { s -> [CheckedContinuation<(message: StoredMessage, duplicate: Bool), any Error>]? in
            guard case .waiting(let list) = s else { return nil }
            s = .done(outcome)
            return list
        }
        guard let waiting else { return }  // answered already
        committed?(outcome)
        for c in waiting { c.resume(with: outcome) }
    }

    package func outcome() async throws -> (message: StoredMessage, duplicate: Bool) {
        try await withCheckedThrowingContinuation { continuation in
            let done = state.withLockedValue { s -> Outcome? in
                switch s {
                case .done(let outcome): return outcome
                case .waiting(let list):
                    s = .waiting(list + [continuation])
                    return nil
                }
            }
            if let done { continuation.resume(with: done) }
        }
    }
}
