import NIOConcurrencyHelpers

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
        var pending = false
        /// Checkpoints run so far (for tests).
        var runs = 0
    }
    private let state = NIOLockedValueBox(State())
    /// A writer of its own (without a checkpointer): its thread and
    /// connection start on the first checkpoint, as the writer's do.
    private let checkpointing: SQLiteWriter

    init(path: String) {
        checkpointing = SQLiteWriter(path: path, checkpoints: false)
    }

    /// Asks for a checkpoint, without waiting for it: at most one runs or
    /// waits at a time (until it runs, more commits ask for nothing more).
    func request() {
        let first = state.withLockedValue { s -> Bool in
            defer { s.pending = true }
            return !s.pending
        }
        guard first else { return }
        Task { [self] in
            // A failure (the file locked by another process past the busy
            // timeout, or the checkpointer closed) loses nothing: the WAL
            // keeps the pages, and the next commit past the limit asks again.
            _ = try? await checkpointing.run { try $0.query("PRAGMA wal_checkpoint(PASSIVE)") }
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
        await checkpointing.close()
    }
}
