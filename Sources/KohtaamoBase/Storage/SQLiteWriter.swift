import CSQLiteCalls
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// A connection of our own to the SQLite file, on one thread of its own (or
/// on the caller's, `runHere`), for a transaction that should be one job
/// instead of one per statement:
/// SQLiteNIO runs each statement as a thread-pool job and hands its result
/// back through an event loop, about a dozen thread switches for a group
/// commit's six statements (docs/benchmarks.md).
///
/// It calls sqlite-nio's copy of SQLite (`VaporCSQLite`), never a second
/// one: two copies in one process do not see each other's POSIX locks on the
/// file and can corrupt it. The connection opens on first use (most
/// commands never send a message) and is touched only on the writer's thread.
package final class SQLiteWriter: Sendable {
    private enum State { case idle, running, closed }
    private let state = NIOLockedValueBox(State.idle)
    private let thread = NIOThreadPool(numberOfThreads: 1)
    private let connection: Connection
    /// Copies the WAL back into the database file on a thread of its own,
    /// so that no commit (and no event loop committing) does it. The
    /// checkpointer's own writer has none.
    private let checkpointer: WALCheckpointer?

    package convenience init(path: String) {
        self.init(path: path, checkpoints: true)
    }

    init(path: String, checkpoints: Bool) {
        checkpointer = checkpoints ? WALCheckpointer(path: path) : nil
        connection = Connection(path: path, checkpointer: checkpointer)
    }

    /// Held while the connection is in use: by a job on the writer's
    /// thread, or by `runHere` on the caller's.
    private let inUse = NIOLock()

    /// Runs `body` with the connection on the writer's thread, after the
    /// jobs given before it. After `close` it throws instead.
    package func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let running = state.withLockedValue { s -> Bool in
            if s == .idle { thread.start(); s = .running }
            return s == .running
        }
        guard running else { throw Failure.closed }
        // One hop to the thread and one back: the job resumes the caller itself.
        return try await thread.runIfActive { [connection, inUse] in try inUse.withLock { try body(connection.opened()) } }
    }

    /// Runs `body` with the connection now, on the calling thread: no hop to
    /// the writer's thread and back, and no thread to wake (the group commit
    /// on an event loop, `AppendBatcher`). It blocks that thread for as long
    /// as `body` runs, disk flush included. After `close` it throws.
    package func runHere<T>(_ body: (Connection) throws -> T) throws -> T {
        try inUse.withLock {
            guard state.withLockedValue({ $0 != .closed }) else { throw Failure.closed }
            return try body(connection.opened())
        }
    }

    /// WAL checkpoints run so far, off the commits (`WALCheckpointer`).
    package var checkpoints: Int { checkpointer?.runs ?? 0 }

    /// Closes the connection after the jobs already given; later ones fail.
    /// The checkpointer closes after it (the connection's last commit may
    /// ask it for one more).
    package func close() async {
        let wasRunning = state.withLockedValue { s -> Bool in
            defer { s = .closed }
            return s == .running
        }
        if wasRunning {
            try? await thread.runIfActive { [connection, inUse] in inUse.withLock { connection.close() } }
            try? await thread.shutdownGracefully()
        } else {
            // Only `runHere` may have opened it: close it here, after any
            // body still running (later ones see `.closed`).
            inUse.withLock { connection.close() }
        }
        await checkpointer?.close()
    }

    package struct Failure: Error, CustomStringConvertible {
        package var code: Int32
        package var message: String
        package var description: String { "SQLite error \(code): \(message)" }
        package static let closed = Failure(code: SQLITE_MISUSE, message: "the SQLite writer is closed")
    }

    /// A value to bind, stored as SQLiteKit stores it, so that the Fluent
    /// connections read back what this one writes: a UUID as its uppercase
    /// text (SQLiteKit encodes it through Codable), a Bool as 0 or 1.
    package enum Value {
        case integer(Int64)
        case text(String)
        case blob(Data)
        package static func uuid(_ id: UUID) -> Value { .text(id.text(uppercase: true)) }
        package static func bool(_ b: Bool) -> Value { .integer(b ? 1 : 0) }
    }

    /// A result row, valid only inside the `query` callback that gets it.
    package struct Row {
        fileprivate let statement: OpaquePointer
        package func int(_ column: Int32) -> Int64 { sqlite_nio_sqlite3_column_int64(statement, column) }
        package func bool(_ column: Int32) -> Bool { int(column) != 0 }
        package func text(_ column: Int32) -> String {
            guard let bytes = sqlite_nio_sqlite3_column_text(statement, column) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite_nio_sqlite3_column_bytes(statement, column))), as: UTF8.self)
        }
        package func blob(_ column: Int32) -> Data {
            guard let bytes = sqlite_nio_sqlite3_column_blob(statement, column) else { return Data() }
            return Data(bytes: bytes, count: Int(sqlite_nio_sqlite3_column_bytes(statement, column)))
        }
        package func uuid(_ column: Int32) throws -> UUID {
            guard let id = UUID(text: text(column)) else { throw Failure(code: SQLITE_MISMATCH, message: "column \(column) is not a UUID") }
            return id
        }
    }
}

private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Called by SQLite after each commit of the writer's connection, with the
/// frames now in the WAL. The checkpointer outlives the connection (the
/// writer closes them in that order), so the unretained pointer holds.
private let walHook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { context, _, _, frames in
    guard let context, frames >= WALCheckpointer.frameLimit else { return SQLITE_OK }
    Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().request()
    return SQLITE_OK
}

extension SQLiteWriter {
    /// The sqlite3 handle and its prepared statements. Not thread-safe: only
    /// the writer's one thread uses it, one job at a time.
    package final class Connection: @unchecked Sendable {
        private let path: String
        /// The writer's connection hands its checkpoints to this one; the
        /// checkpointer's own connection has none.
        private let checkpointer: WALCheckpointer?
        private var db: OpaquePointer?
        private var closed = false
        /// Prepared once per text and kept for the connection's life. The
        /// commit's statements have one shape each (one row per statement),
        /// so this holds a handful, whatever the batches look like.
        private var statements: [String: OpaquePointer] = [:]

        fileprivate init(path: String, checkpointer: WALCheckpointer?) {
            self.path = path
            self.checkpointer = checkpointer
        }

        fileprivate func opened() throws -> Connection {
            if db != nil { return self }
            if closed { throw Failure.closed }
            // The flags of SQLiteNIO's connections (the same file and path
            // rules), but no mutex: one thread uses this connection.
            let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
            var handle: OpaquePointer?
            let rc = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
            guard rc == SQLITE_OK, let handle else {
                sqlite_nio_sqlite3_close(handle)
                throw Failure(code: rc, message: "cannot open \(path)")
            }
            db = handle
            do {
                // As on the Fluent connections: foreign keys on, every commit
                // flushed (FULL, SQLite's default there too). A locked file
                // (only another process can hold it: writers in this one take
                // `Storage.writeGate`) is waited for, but not for ever as the
                // driver's busy handler does: the batch fails and is retried.
                try query("PRAGMA foreign_keys = ON")
                try query("PRAGMA synchronous = FULL")
                try query("PRAGMA busy_timeout = 5000")
                // WAL is the file's own (Storage sets it at open); anything
                // else would be another database, e.g. a private `:memory:`.
                var mode = ""
                try query("PRAGMA journal_mode = WAL") { mode = $0.text(0) }
                guard mode == "wal" else { throw Failure(code: SQLITE_CANTOPEN, message: "journal mode of \(path) is \(mode), not wal") }
                if let checkpointer {
                    // SQLite's own checkpoint would run inside the commit
                    // that passes its limit, adding its copy and flush to
                    // that commit's wait (the p99 at 5,000 msg/s). Off, and
                    // the same limit asks the checkpointer's thread instead.
                    try query("PRAGMA wal_autocheckpoint = 0")
                    sqlite_nio_sqlite3_wal_hook(handle, walHook, Unmanaged.passUnretained(checkpointer).toOpaque())
                }
            } catch {
                release()
                throw error
            }
            return self
        }

        /// Runs `body` between BEGIN IMMEDIATE and COMMIT: when this returns,
        /// it has committed. On any error it rolls back and throws.
        package func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
            try query("BEGIN IMMEDIATE")
            do {
                let result = try body(self)
                try query("COMMIT")
                return result
            } catch {
                // A failed COMMIT may have ended the transaction already.
                if let db, sqlite_nio_sqlite3_get_autocommit(db) == 0 { try? query("ROLLBACK") }
                throw error
            }
        }

        /// Runs `sql` with `values` bound to ?1, ?2…, calling `row` for each result row.
        package func query(_ sql: String, _ values: [Value] = [], row: (Row) throws -> Void = { _ in }) throws {
            let statement = try prepared(sql)
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            for (i, value) in values.enumerated() { try check(bind(value, at: Int32(i + 1), in: statement)) }
            while true {
                let rc = sqlite_nio_sqlite3_step(statement)
                if rc == SQLITE_DONE { return }
                guard rc == SQLITE_ROW else { throw failure(rc) }
                try row(Row(statement: statement))
            }
        }

        fileprivate func close() {
            release()
            closed = true
        }

        /// Statements first: sqlite3_close refuses a handle that still has some.
        private func release() {
            for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
            statements = [:]
            if let db { sqlite_nio_sqlite3_close(db) }
            db = nil
        }

        private func prepared(_ sql: String) throws -> OpaquePointer {
            if let statement = statements[sql] { return statement }
            guard let db else { throw Failure.closed }
            var statement: OpaquePointer?
            try check(sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
            guard let statement else { throw Failure(code: SQLITE_MISUSE, message: "no statement in \(sql)") }
            statements[sql] = statement
            return statement
        }

        private func bind(_ value: Value, at index: Int32, in statement: OpaquePointer) -> Int32 {
            switch value {
            case .integer(let n):
                return sqlite_nio_sqlite3_bind_int64(statement, index, n)
            case .text(let s):
                return sqlite_nio_sqlite3_bind_text64(statement, index, s, UInt64(s.utf8.count), transient, UInt8(SQLITE_UTF8))
            case .blob(let data):
                // An empty buffer has no address, and a nil one would bind NULL.
                if data.isEmpty { return sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0) }
                return data.withUnsafeBytes { sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient) }
            }
        }

        private func check(_ rc: Int32) throws {
            guard rc == SQLITE_OK else { throw failure(rc) }
        }

        private func failure(_ rc: Int32) -> Failure {
            Failure(code: rc, message: db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "")
        }
    }
}
