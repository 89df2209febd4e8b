import Foundation
import Metrics
import NIOConcurrencyHelpers
import NIOCore
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
    /// The commit run on the calling thread, or nil when it cannot run
    /// there now (see `SQLiteAppend.commitHere`).
    typealias CommitHere = @Sendable ([Request]) throws -> [Outcome]?
    private struct Waiting {
        var request: Request
        var ticket: AppendTicket
        var queued: ContinuousClock.Instant
    }
    private struct State {
        var queue: [Waiting] = []
        var running = false
        /// When the last message came, and the mean gap between messages
        /// (a moving average): the wait before a commit is made only when
        /// another message is likely to come within it.
        var last: ContinuousClock.Instant?
        var gapNanoseconds: Int64 = 1_000_000_000
        /// Transactions run so far (for tests: how many messages shared one).
        var commits = 0
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
    /// Commits run on an event loop (the rest ran on the writer's thread):
    /// at a fast pace this should stay still (see `loopCommitGap`).
    private static let loopCommits = Counter(label: "kohtaamo_commits_on_loop_total")

    private let state = NIOLockedValueBox(State())
    private let commit: @Sendable ([Request]) async throws -> [Outcome]
    private let commitHere: CommitHere?
    /// How long the first message of a batch may wait for others to join
    /// it (as PostgreSQL's `commit_delay`): one flush then serves more
    /// messages. Zero: no wait.
    private let gather: Duration
    /// Batches are put together, and their senders answered, on the event
    /// loop of the socket whose message started the drain (else on this
    /// one): that sender's answer then needs no hop at all, and the others
    /// wait on event loops too, so no answer goes through Swift's global threads.
    private let fallback = EventLoopExecutor(MultiThreadedEventLoopGroup.singleton.next())

    /// `commitHere`: when given, a message queued on an event loop is
    /// committed on that loop (no thread to wake and none to hop back
    /// from); `commit` serves the rest.
    init(
        gather: Duration = .zero, commitHere: CommitHere? = nil,
        commit: @escaping @Sendable ([Request]) async throws -> [Outcome]
    ) {
        self.gather = gather
        self.commitHere = commitHere
        self.commit = commit
    }

    /// Queues the message now; messages queued one after another are
    /// committed in that order. The ticket answers after the commit;
    /// `committed` runs first, in commit order (see `AppendTicket`).
    func enqueue(_ request: Request, committed: AppendTicket.Hook? = nil) -> AppendTicket {
        let ticket = AppendTicket(committed: committed)
        let now = ContinuousClock.now
        let startDrain = state.withLockedValue { s -> Bool in
            s.queue.append(Waiting(request: request, ticket: ticket, queued: now))
            if let last = s.last { s.gapNanoseconds += ((now - last).nanoseconds - s.gapNanoseconds) / 8 }
            s.last = now
            if s.running { return false }
            s.running = true
            return true
        }
        if startDrain {
            let loop = MultiThreadedEventLoopGroup.currentEventLoop
            if let commitHere, let loop {
                // The loop's next job: the caller goes on first.
                loop.execute { self.drainHere(on: loop, commitHere) }
            } else {
                drainAsync(on: loop.map(EventLoopExecutor.init) ?? fallback)
            }
        }
        return ticket
    }

    /// Transactions run so far.
    var commits: Int { state.withLockedValue { $0.commits } }

    private func drainAsync(on executor: EventLoopExecutor) {
        Task(executorPreference: executor) { await self.drain(on: executor) }
    }

    /// Takes the next batch; when the queue is empty, the drain ends.
    private func take() -> [Waiting] {
        state.withLockedValue { s -> [Waiting] in
            let taken = Array(s.queue.prefix(Self.maxBatch))
            s.queue.removeFirst(taken.count)
            if taken.isEmpty { s.running = false }
            return taken
        }
    }

    /// A batch this full commits at once, delay or not: on the loop, the
    /// statements of many more messages would hold its other sockets too
    /// long (about 20 µs a message). Below `loopCommitGap` a delay of 10 ms
    /// gathers at most about 17: this bounds bursts and the longest delays.
    static let gatherLimit = 64

    /// How long to wait before the next commit: until `gather` has passed
    /// since the batch's first message was queued (or the batch is full);
    /// nil to commit now. When messages come further apart than `gather`
    /// (a quiet service), nothing waits: the wait would only add latency.
    private func waitBeforeCommit() -> Duration? {
        guard gather > .zero else { return nil }
        let now = ContinuousClock.now
        return state.withLockedValue { s -> Duration? in
            guard let first = s.queue.first else { return nil }
            return Self.wait(queued: s.queue.count, firstWaited: now - first.queued, gap: .nanoseconds(s.gapNanoseconds), gather: gather)
        }
    }

    /// The rule of `waitBeforeCommit`, apart for its tests. The delay is
    /// the one knob: a commit's fixed cost (BEGIN, COMMIT, the flush: about
    /// 180 µs of CPU here) is shared by what comes within it, so a longer
    /// delay buys CPU with latency (docs/benchmarks.md has the curve).
    static func wait(queued: Int, firstWaited: Duration, gap: Duration, gather: Duration) -> Duration? {
        guard queued < gatherLimit, gap < gather else { return nil }
        let wait = gather - firstWaited
        return wait > .zero ? wait : nil
    }

    /// Messages coming closer together than this are committed on the
    /// writer's thread, not on an event loop. A commit on the loop saves
    /// two thread switches, which is most of what a small commit costs
    /// beside its flush; but the loop's other sockets wait while it
    /// flushes, and at a fast pace that wait came to cost more than the
    /// switches (p99 at 5,000 msg/s, docs/benchmarks.md).
    /// 0.6 ms (about 1,700 msg/s), not nearer the 0.2 ms of 5,000 msg/s:
    /// the pace is a moving average, and one pause of a few milliseconds
    /// would otherwise bring a fast stream onto the loop for a while.
    static let loopCommitGap: Duration = .microseconds(600)

    private var paceIsFast: Bool { state.withLockedValue { $0.gapNanoseconds } < Self.loopCommitGap.nanoseconds }

    /// One batch on this event loop, then the next in the loop's next tick
    /// (its own sockets are read in between). A commit on SQLite here can
    /// wait only for the file's lock (`busy_timeout`) or the disk, so it
    /// needs no deadline. At a fast pace, or when another writer holds the
    /// gate, the drain goes on asynchronously (the batch back at the head
    /// of the queue).
    private func drainHere(on loop: any EventLoop, _ commitHere: @escaping CommitHere) {
        if paceIsFast { return drainAsync(on: EventLoopExecutor(loop)) }
        if let wait = waitBeforeCommit() {
            loop.scheduleTask(in: .nanoseconds(wait.nanoseconds)) { self.drainHere(on: loop, commitHere) }
            return
        }
        let batch = take()
        if batch.isEmpty { return }
        let start = ContinuousClock.now
        let outcomes: [Outcome]
        do {
            guard let committed = try commitHere(batch.map(\.request)) else {
                state.withLockedValue { $0.queue.insert(contentsOf: batch, at: 0) }
                return drainAsync(on: EventLoopExecutor(loop))
            }
            outcomes = committed
        } catch {
            // Nothing of this batch committed: nobody gets an ack; clients retry.
            outcomes = batch.map { _ in .failure(error) }
        }
        record(batch, start: start)
        Self.loopCommits.increment()
        for (waiting, outcome) in zip(batch, outcomes) { waiting.ticket.resolve(outcome) }
        loop.execute { self.drainHere(on: loop, commitHere) }
    }

    /// The batch's figures for `/metrics`: its wait, its size, its commit's time.
    private func record(_ batch: [Waiting], start: ContinuousClock.Instant) {
        state.withLockedValue { $0.commits += 1 }
        for waiting in batch { Self.queueTime.recordNanoseconds((start - waiting.queued).nanoseconds) }
        Self.batchSize.record(batch.count)
        Self.commitTime.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }

    private func drain(on executor: EventLoopExecutor) async {
        while true {
            let batch = take()
            if batch.isEmpty { return }
            let start = ContinuousClock.now
            let outcomes: [Outcome]
            do {
                let requests = batch.map(\.request)
                outcomes = try await withDeadline(Self.commitDeadline, executor: executor) { [commit] in try await commit(requests) }
            } catch {
                // Nothing of this batch committed: nobody gets an ack; clients retry.
                outcomes = batch.map { _ in .failure(error) }
            }
            record(batch, start: start)
            for (waiting, outcome) in zip(batch, outcomes) { waiting.ticket.resolve(outcome) }
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
