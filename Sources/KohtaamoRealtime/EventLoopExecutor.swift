import NIOCore

/// A task executor that runs its tasks' jobs on one NIO event loop.
///
/// Why: a socket's work (reading a frame, acting on it, writing the answer)
/// otherwise goes from its event loop to Swift's global threads and back
/// for every frame, and on a 2-core machine those thread switches were the
/// largest single cost in the profile (docs/benchmarks.md). A task that
/// prefers its socket's loop reads, acts and writes on one thread; only the
/// commit leaves it. Nothing run here may block: the loop serves many
/// sockets. (The one thread that does wait on a loop is the SQLite commit at
/// a slow pace, by choice: `AppendBatcher.drainHere` says why.)
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Runs `body` on the loop: now when already there (so it keeps its
    /// order with what this task wrote before), else as the loop's next job.
    func onLoop(_ body: @escaping @Sendable () -> Void) {
        if eventLoop.inEventLoop { body() } else { eventLoop.execute(body) }
    }
}
