@preconcurrency import Crypto
import Foundation
import KohtaamoBase

/// The group commit on SQLite: the whole transaction is one job, on the
/// event loop that drains the batcher (`commitHere`) or, when another
/// writer holds the gate, on the `SQLiteWriter`'s thread (a hop there and
/// one back); SQLiteNIO would make each of its statements a job of its own.
///
/// One row per statement: each is prepared once and stepped for each
/// conversation or message. On one thread a step costs microseconds, so
/// the many-rows statements of the SQLKit path (made to save round trips)
/// would save nothing here, and would need a statement per batch shape.
enum SQLiteAppend {
    static func commit(_ batch: [AppendBatcher.Request], storage: Storage, writer: SQLiteWriter, sealer: Sealer) async throws -> [AppendBatcher
        .Outcome]
    {
        // The gate of `Storage.write`: no other writer of this process meets
        // this transaction as SQLITE_BUSY. Free, it is taken without suspending.
        try await storage.writeGate.holding {
            try await writer.run { db in try db.transaction { db in try write(batch, on: db, sealer: sealer) } }
        }
    }

    /// The same transaction on the calling thread (an event loop), when the
    /// gate is free now; nil when another writer holds it (the caller then
    /// takes `commit`, which waits its turn).
    static func commitHere(_ batch: [AppendBatcher.Request], storage: Storage, writer: SQLiteWriter, sealer: Sealer) throws -> [AppendBatcher
        .Outcome]?
    {
        guard storage.writeGate.tryAcquire() else { return nil }
        defer { storage.writeGate.release() }
        return try writer.runHere { db in try db.transaction { db in try write(batch, on: db, sealer: sealer) } }
    }

    /// Inside the transaction: read the conversations and the retries, then
    /// insert and move the last seqs as `CommitPlan` says.
    private static func write(_ batch: [AppendBatcher.Request], on db: SQLiteWriter.Connection, sealer: Sealer) throws -> [AppendBatcher.Outcome] {
        var state: [UUID: CommitPlan.Conversation] = [:]
        for c in CommitPlan.conversations(of: batch) {
            var found: (last: Int64, open: Bool)?
            try db.query("SELECT last_seq, open FROM conversations WHERE id = ?1", [.uuid(c)]) { found = ($0.int(0), $0.bool(1)) }
            guard let found, let key = try dataKey(c, on: db, sealer: sealer) else { continue }
            state[c] = .init(last: found.last, open: found.open, key: key)
        }
        // Retries of messages already stored keep their seq.
        var known: [UUID: [UUID: StoredMessage]] = [:]
        for r in batch {
            let c = r.conversation
            guard let key = state[c]?.key, known[c]?[r.clientID] == nil else { continue }
            try db.query(
                "SELECT seq, at_ms, sender_name, sender_role, sender_kind, sender_id, body, removed FROM messages WHERE conversation_id = ?1 AND client_id = ?2",
                [.uuid(c), .uuid(r.clientID)]
            ) { row in
                known[c, default: [:]][r.clientID] = try SQLMessageStore.stored(
                    conversation: c, seq: row.int(0), clientID: r.clientID, senderKind: row.text(4), senderID: try row.uuid(5),
                    from: Sender(name: row.text(2), role: .init(stored: row.text(3))), sealed: row.blob(6), removed: row.bool(7), atMs: row.int(1),
                    sealer: sealer, key: key)
            }
        }
        let plan = try CommitPlan(batch: batch, state: state, known: known, sealer: sealer)
        for row in plan.rows {
            let m = row.message
            try db.query(
                """
                INSERT INTO messages (conversation_id, seq, client_id, sender_kind, sender_id, sender_name, sender_role, body, key_id, at_ms)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                """,
                [
                    .uuid(m.conversation), .integer(m.seq), .uuid(m.clientID), .text(m.senderIdentity.kind.rawValue), .uuid(m.senderIdentity.id),
                    .text(m.from.name), .text(m.from.role.rawValue), .blob(row.sealed), .integer(Int64(SQLMessageStore.dataKeyID)), .integer(m.atMs),
                ])
        }
        for (c, last) in plan.moved {
            try db.query("UPDATE conversations SET last_seq = ?2 WHERE id = ?1", [.uuid(c), .integer(last)])
        }
        return plan.outcomes
    }

    /// The conversation's data key, from memory or unwrapped from its row (as `DataKeys`).
    private static func dataKey(_ conversation: UUID, on db: SQLiteWriter.Connection, sealer: Sealer) throws -> SymmetricKey? {
        if let key = sealer.cachedKey(conversation) { return key }
        var wrapped: Data?
        try db.query(
            "SELECT wrapped FROM conversation_keys WHERE conversation_id = ?1 AND key_id = ?2",
            [.uuid(conversation), .integer(Int64(SQLMessageStore.dataKeyID))]
        ) { wrapped = $0.blob(0) }
        guard let wrapped else { return nil }
        let key = try sealer.unwrap(wrapped)
        sealer.remember(key, for: conversation)
        return key
    }
}
