import CSQLiteCalls
import NIOConcurrencyHelpers
import NIOPosix

/// Checkpoints of the WAL, on a thread and a connection of their own: the
/// pages committed to the WAL are copied into the database file and flushed
/// there, so the WAL can start again from its beginning and does not grow.
/// SQLite would do it inside the commit that passes `frameLimit`, a few
/// milliseconds that every message queued behind that commit waited too.
///
/// PASSIVE: it never waits for the writer or for readers, and copies only
/// what no reader still needs; what it leaves, a later checkpoint takes.
/// The writer goes on committing to the WAL meanwhile, as SQLite allows.
package final class WALCheckpointer: Sendable {
    /// SQLite's own default for `wal_autocheckpoint`: about 4 MB of WAL.
    static let frameLimit: Int32 = 1000

    private struct State {
        var started = false
        var pending = false
        var closed = false
        /// Checkpoints run so far (for tests).
        var runs = 0
    }
    private let state = NIOLockedValueBox(State())
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private let connection: SQLiteWriter.Connection

    init(path: String) {
        connection = SQLiteWriter.Connection(path: path)
    }

    /// Asks for a checkpoint, without waiting for it: at most one runs or
    /// waits at a time (until it runs, more commits ask for nothing more).
    func request() {
        let start = state.withLockedValue { s -> Bool in
            guard !s.closed, !s.pending else { return false }
            s.pending = true
            if !s.started {
                s.started = true
                thread.start()
            }
            return true
        }
        guard start else { return }
        thread.submit { [self] work in
            guard case .active = work else { return }
            // A failure (the file locked by another process past the busy
            // timeout) loses nothing: the WAL keeps the pages, and the next
            // commit past the limit asks again.
            try? connection.opened().query("PRAGMA wal_checkpoint(PASSIVE)")
            state.withLockedValue {
                $0.pending = false
                $0.runs += 1
            }
        }
    }

    /// Checkpoints run so far.
    package var runs: Int { state.withLockedValue { $0.runs } }

    /// After the checkpoint under way, if any; later requests do nothing.
    func close() async {
        let started = state.withLockedValue { s -> Bool in
            s.closed = true
            return s.started
        }
        if started { try? await thread.shutdownGracefully() }
        connection.close()
    }
}
