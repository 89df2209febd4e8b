@preconcurrency import Crypto
import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `MessageStore` in SQL (SQLKit): the same statements on SQLite and PostgreSQL.
package struct SQLMessageStore: MessageStore {
    package let storage: Storage
    package let sealer: Sealer
    /// Key rows start at 1; rotation of data keys would add 2, 3…
    static let dataKeyID = 1
    /// Where the conversations' data keys are kept wrapped (for `rotate-key`).
    package static let wrappedKeys = WrappedKeyTable(table: "conversation_keys", wrappedColumn: "wrapped", idColumns: ["conversation_id", "key_id"])

    let batcher: AppendBatcher
    /// What `message(_:conversation:…)` reads of a stored message's row.
    static let messageColumns = [
        "conversation_id", "seq", "client_id", "at_ms", "sender_name", "sender_role", "sender_kind", "sender_id", "body", "removed",
    ]

    /// `node`: on PostgreSQL with several nodes, commits announce their
    /// conversations' new seqs with NOTIFY in the same transaction.
    /// `commitDelay`: on SQLite, how long a group commit may wait for more
    /// messages to share its flush (`AppendBatcher`).
    package init(storage: Storage, sealer: Sealer, node: UUID? = nil, commitDelay: Duration = .zero) {
        self.storage = storage
        self.sealer = sealer
        let keys = DataKeys(sealer: sealer)
        let commitHere = storage.sqliteWriter.map { writer -> AppendBatcher.CommitHere in
            { batch in try SQLiteAppend.commitHere(batch, storage: storage, writer: writer, sealer: sealer) }
        }
        batcher = AppendBatcher(gather: commitHere == nil ? .zero : commitDelay, commitHere: commitHere) { batch in
            try await Self.commit(batch, storage: storage, sealer: sealer, keys: keys.key, node: node)
        }
    }

    private var sql: any SQLDatabase { storage.sql }

    package func createConversation(kind: ConversationKind, open: Bool, participants: [Participant], at: Int64) async throws -> UUID {
        let id = UUID()
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        try await storage.writeSQL { sql in
            try await sql.insert(into: "conversations").columns("id", "kind", "last_seq", "open", "created_ms")
                .values(SQLBind(id), SQLBind(kind.rawValue), SQLBind(Int64(0)), SQLBind(open), SQLBind(at)).run()
            try await sql.insert(into: "conversation_keys").columns("conversation_id", "key_id", "master_key_id", "wrapped")
                .values(SQLBind(id), SQLBind(Self.dataKeyID), SQLBind(masterKeyID), SQLBind(wrapped)).run()
            for p in participants { try await Self.upsert(sql, id, p) }
        }
        sealer.remember(key, for: id)
        return id
    }

    func dataKey(_ conversation: UUID, on sql: any SQLDatabase) async throws -> SymmetricKey? {
        try await DataKeys(sealer: sealer).key(conversation, sql)
    }

    package func queueAppend(
        conversation: UUID, clientID: UUID, sender: Identity, from: Sender, body: String, at: Int64,
        committed: AppendTicket.Hook?
    ) -> AppendTicket {
        batcher.enqueue(.init(conversation: conversation, clientID: clientID, sender: sender, from: from, body: body, at: at), committed: committed)
    }

    /// Commits a batch of messages in one transaction, with a fixed number of
    /// statements whatever the number of conversations in it: read the
    /// conversations (and lock them on PostgreSQL), find retries already
    /// stored, insert the new messages with the next seqs, move each
    /// conversation's last seq. On SQLite the same transaction runs as one
    /// job on the `SQLiteWriter` (`SQLiteAppend`).
    static func commit(
        _ batch: [AppendBatcher.Request], storage: Storage, sealer: Sealer,
        keys: @escaping @Sendable (UUID, any SQLDatabase) async throws -> SymmetricKey?,
        node: UUID? = nil
    ) async throws -> [AppendBatcher.Outcome] {
        if let writer = storage.sqliteWriter { return try await SQLiteAppend.commit(batch, storage: storage, writer: writer, sealer: sealer) }
        return try await storage.writeSQL { sql in
            let order = CommitPlan.conversations(of: batch)
            // Row locks in id order: another node appending to the same
            // conversations waits here, and two nodes never deadlock.
            var read = sql.select().columns("id", "last_seq", "open").from("conversations").where("id", .in, order)
            if storage.kind == .postgres { read = read.orderBy("id").for(.update) }
            var state: [UUID: CommitPlan.Conversation] = [:]
            for row in try await read.all() {
                let c = try row.decode(column: "id", as: UUID.self)
                guard let key = try await keys(c, sql) else { continue }
                state[c] = .init(
                    last: try row.decode(column: "last_seq", as: Int64.self), open: try row.decode(column: "open", as: Bool.self), key: key)
            }
            // Retries of messages already stored keep their seq.
            var known: [UUID: [UUID: StoredMessage]] = [:]
            let stored = sql.select().columns(Self.messageColumns).from("messages")
                .where("conversation_id", .in, order).where("client_id", .in, batch.map(\.clientID))
            for row in try await stored.all() {
                let c = try row.decode(column: "conversation_id", as: UUID.self)
                guard let key = state[c]?.key else { continue }
                let m = try message(row, conversation: c, sealer: sealer, key: key)
                known[c, default: [:]][m.clientID] = m
            }
            let plan = try CommitPlan(batch: batch, state: state, known: known, sealer: sealer)
            if !plan.moved.isEmpty {
                var insert = sql.insert(into: "messages")
                    .columns(
                        "conversation_id", "seq", "client_id", "sender_kind", "sender_id", "sender_name", "sender_role", "body", "key_id", "at_ms")
                for row in plan.rows {
                    let m = row.message
                    insert = insert.values(
                        SQLBind(m.conversation), SQLBind(m.seq), SQLBind(m.clientID), SQLBind(m.senderIdentity.kind.rawValue),
                        SQLBind(m.senderIdentity.id),
                        SQLBind(m.from.name), SQLBind(m.from.role.rawValue), SQLBind(row.sealed), SQLBind(dataKeyID), SQLBind(m.atMs))
                }
                let update = sql.update("conversations").set(SQLIdentifier("last_seq"), to: LastSeqCase(values: plan.moved))
                    .where("id", .in, plan.moved.map(\.0))
                guard storage.kind == .postgres else {
                    try await insert.run()
                    try await update.run()
                    return plan.outcomes
                }
                // On PostgreSQL the insert, the move of the last seqs and the
                // announcement are one statement (data-modifying WITHs run to the
                // end whatever the outer query reads): two round trips fewer in
                // every commit, which each message waits for. Other nodes hear of
                // it only if it commits: NOTIFY is delivered at commit, one
                // notification for the batch (`PostgresBroadcaster.messagePayloads`).
                var statement: SQLQueryString = "WITH i AS (\(insert.insert)), u AS (\(update.update)) "
                if let node {
                    let payloads = PostgresBroadcaster.messagePayloads(node: node, plan.moved)
                    statement += "SELECT pg_notify(\(bind: PostgresBroadcaster.channel), p) FROM unnest(\(bind: payloads)::text[]) AS t(p)"
                } else {
                    statement += "SELECT 1"
                }
                try await sql.raw(statement).run()
            }
            return plan.outcomes
        }
    }

    package static func message(_ row: any SQLRow, conversation: UUID, clientID: UUID? = nil, sealer: Sealer, key: SymmetricKey?) throws
        -> StoredMessage
    {
        guard let key else { throw StoreError.noSuchConversation }
        return try stored(
            conversation: conversation, seq: try row.decode(column: "seq", as: Int64.self),
            clientID: try clientID ?? row.decode(column: "client_id", as: UUID.self),
            senderKind: try row.decode(column: "sender_kind", as: String.self), senderID: try row.decode(column: "sender_id", as: UUID.self),
            from: Sender(
                name: try row.decode(column: "sender_name", as: String.self),
                role: .init(stored: try row.decode(column: "sender_role", as: String.self))),
            sealed: try row.decode(column: "body", as: Data.self), removed: try row.decode(column: "removed", as: Bool.self),
            atMs: try row.decode(column: "at_ms", as: Int64.self), sealer: sealer, key: key)
    }

    /// A stored row as a message, whichever connection read it: a removed
    /// one has no body left to open.
    package static func stored(
        conversation: UUID, seq: Int64, clientID: UUID, senderKind: String, senderID: UUID, from: Sender,
        sealed: Data, removed: Bool, atMs: Int64, sealer: Sealer, key: SymmetricKey
    ) throws -> StoredMessage {
        StoredMessage(
            conversation: conversation, seq: seq, clientID: clientID,
            senderIdentity: Identity(kind: senderKind, id: senderID) ?? .client(UUID()), from: from,
            body: removed ? "" : try sealer.open(sealed, key: key, conversation: conversation, seq: seq),
            atMs: atMs, removed: removed)
    }

    package func messages(conversation: UUID, after: Int64, limit: Int) async throws -> [StoredMessage] {
        let sql = self.sql
        let rows = try await sql.select().columns(Self.messageColumns)
            .from("messages").where("conversation_id", .equal, conversation).where("seq", .greaterThan, after)
            .orderBy("seq").limit(limit).all()
        guard !rows.isEmpty else { return [] }
        let key = try await dataKey(conversation, on: sql)
        return try rows.map { try Self.message($0, conversation: conversation, sealer: sealer, key: key) }
    }

    /// One statement: each span an `OR`ed range of the primary key, so each
    /// is an index range scan however long its conversation.
    package func messages(in spans: [MessageSpan]) async throws -> [StoredMessage] {
        let spans = spans.filter { $0.upTo > $0.after }
        guard !spans.isEmpty else { return [] }
        let sql = self.sql
        let rows = try await sql.select().columns(Self.messageColumns).from("messages")
            .where { group in
                for span in spans {
                    group.orWhere { range in
                        range.where("conversation_id", .equal, span.conversation).where("seq", .greaterThan, span.after)
                            .where("seq", .lessThanOrEqual, span.upTo)
                    }
                }
                return group
            }
            .orderBy("conversation_id").orderBy("seq").all()
        var out: [StoredMessage] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            // The key comes from the sealer's cache after its first read.
            let c = try row.decode(column: "conversation_id", as: UUID.self)
            out.append(try Self.message(row, conversation: c, sealer: sealer, key: try await dataKey(c, on: sql)))
        }
        return out
    }

    package func lastSeq(conversation: UUID) async throws -> Int64? {
        try await sql.select().column("last_seq").from("conversations").where("id", .equal, conversation).first()?
            .decode(column: "last_seq", as: Int64.self)
    }

    package func kind(conversation: UUID) async throws -> ConversationKind? {
        try await sql.select().column("kind").from("conversations").where("id", .equal, conversation).first()
            .map { ConversationKind(rawValue: try $0.decode(column: "kind", as: String.self)) } ?? nil
    }

    package func isOpen(conversation: UUID) async throws -> Bool? {
        try await sql.select().column("open").from("conversations").where("id", .equal, conversation).first()?
            .decode(column: "open", as: Bool.self)
    }

    /// Closing takes every participant's right to send (and to type);
    /// opening again (a group's next scheduled time) gives it back to those
    /// still in it.
    package func setOpen(conversation: UUID, _ open: Bool) async throws {
        try await storage.writeSQL { sql in try await Self.setOpen(conversation, open, sql) }
    }

    /// `setOpen` in the caller's transaction: a feature that decides
    /// inside it whether to open (a group's schedule, `SQLGroupRepository.applyRoom`).
    package static func setOpen(_ conversation: UUID, _ open: Bool, _ sql: any SQLDatabase) async throws {
        try await sql.update("conversations").set("open", to: open).where("id", .equal, conversation).run()
        try await sql.update("participants").set("can_send", to: open).where("conversation_id", .equal, conversation)
            .where("active", .equal, true).run()
    }

    /// Whether the conversation is open (nil: no such conversation), its row
    /// locked on PostgreSQL until the caller's transaction ends, so deciders
    /// of its state take turns on every node (on SQLite the write gate does).
    package static func lockedIsOpen(_ conversation: UUID, _ sql: any SQLDatabase, postgres: Bool) async throws -> Bool? {
        var read = sql.select().column("open").from("conversations").where("id", .equal, conversation)
        if postgres { read = read.for(.update) }
        return try await read.first()?.decode(column: "open", as: Bool.self)
    }

    package func removeAll(conversation: UUID, sender: Identity) async throws -> [Int64] {
        try await storage.writeSQL { sql in
            let seqs = try await sql.select().column("seq").from("messages").where("conversation_id", .equal, conversation)
                .where("sender_kind", .equal, sender.kind.rawValue).where("sender_id", .equal, sender.id).where("removed", .equal, false).all()
                .map { try $0.decode(column: "seq", as: Int64.self) }
            try await sql.update("messages").set("removed", to: true).set("body", to: Data()).set("sender_name", to: "")
                .where("conversation_id", .equal, conversation).where("sender_kind", .equal, sender.kind.rawValue).where(
                    "sender_id", .equal, sender.id
                ).run()
            try await sql.delete(from: "participants").where("conversation_id", .equal, conversation)
                .where("identity_kind", .equal, sender.kind.rawValue).where("identity_id", .equal, sender.id).run()
            return seqs
        }
    }

    /// The rows stay, emptied: seqs have no gaps (the protocol promises it,
    /// and a client that finds a hole syncs again from below it), so an
    /// expired message is answered like a removed one. The seqs are picked
    /// and emptied in one transaction, a batch at a time, so a large first run
    /// does not hold the database for long.
    package func expire(conversation: UUID, before: Int64, limit: Int) async throws -> [Int64] {
        try await storage.writeSQL { sql in
            let seqs = try await sql.select().column("seq").from("messages").where("conversation_id", .equal, conversation)
                .where("removed", .equal, false).where("at_ms", .lessThan, before).orderBy("seq").limit(limit).all()
                .map { try $0.decode(column: "seq", as: Int64.self) }
            guard !seqs.isEmpty else { return [] }
            try await sql.update("messages").set("removed", to: true).set("body", to: Data()).set("sender_name", to: "")
                .where("conversation_id", .equal, conversation).where("seq", .in, seqs).run()
            return seqs
        }
    }

    package func remove(conversation: UUID, seq: Int64) async throws -> StoredMessage? {
        guard let before = try await messages(conversation: conversation, after: seq - 1, limit: 1).first, before.seq == seq else { return nil }
        try await storage.writeSQL { sql in
            try await sql.update("messages").set("removed", to: true).set("body", to: Data())
                .where("conversation_id", .equal, conversation).where("seq", .equal, seq).run()
        }
        return before
    }

    package func participants(conversation: UUID) async throws -> [Participant] {
        try await sql.select().columns("identity_kind", "identity_id", "name", "role", "can_send", "muted_until_ms").from("participants")
            .where("conversation_id", .equal, conversation).where("active", .equal, true).all()
            .compactMap { row in
                guard
                    let identity = Identity(
                        kind: try row.decode(column: "identity_kind", as: String.self), id: try row.decode(column: "identity_id", as: UUID.self))
                else { return nil }
                return Participant(
                    identity: identity,
                    sender: Sender(
                        name: try row.decode(column: "name", as: String.self), role: .init(stored: try row.decode(column: "role", as: String.self))),
                    canSend: try row.decode(column: "can_send", as: Bool.self),
                    mutedUntilMs: try row.decode(column: "muted_until_ms", as: Int64?.self))
            }
    }

    static func upsert(_ sql: any SQLDatabase, _ conversation: UUID, _ p: Participant) async throws {
        try await sql.delete(from: "participants").where("conversation_id", .equal, conversation)
            .where("identity_kind", .equal, p.identity.kind.rawValue).where("identity_id", .equal, p.identity.id).run()
        try await sql.insert(into: "participants")
            .columns("conversation_id", "identity_kind", "identity_id", "name", "role", "can_send", "active", "read_seq", "muted_until_ms")
            .values(
                SQLBind(conversation), SQLBind(p.identity.kind.rawValue), SQLBind(p.identity.id), SQLBind(p.sender.name),
                SQLBind(p.sender.role.rawValue),
                SQLBind(p.canSend), SQLBind(true), SQLBind(Int64(0)), SQLBind(p.mutedUntilMs)
            )
            .run()
    }

    package func upsertParticipant(conversation: UUID, _ participant: Participant) async throws {
        try await storage.writeSQL { sql in try await Self.upsert(sql, conversation, participant) }
    }

    package func removeParticipant(conversation: UUID, identity: Identity) async throws {
        try await storage.writeSQL { sql in
            try await sql.update("participants").set("active", to: false).set("can_send", to: false)
                .where("conversation_id", .equal, conversation).where("identity_kind", .equal, identity.kind.rawValue)
                .where("identity_id", .equal, identity.id).run()
        }
    }

    /// One reader's position: the rooms' statement with one reader in it.
    package func setRead(conversation: UUID, identity: Identity, seq: Int64) async throws {
        try await setReads([ReadPosition(conversation: conversation, identity: identity, seq: seq)])
    }

    package func setReads(_ reads: [ReadPosition]) async throws {
        guard !reads.isEmpty else { return }
        // In a room most readers of a second have read up to the same last
        // message: one statement for each conversation, seq and kind of
        // identity, not one for each reader (500 in a room of 500), so the
        // write holds the database for a moment, not while messages wait.
        struct Key: Hashable {
            var conversation: UUID, seq: Int64, kind: String
        }
        let groups = Dictionary(grouping: reads) { Key(conversation: $0.conversation, seq: $0.seq, kind: $0.identity.kind.rawValue) }
        try await storage.writeSQL { sql in
            for (key, group) in groups {
                for chunk in stride(from: 0, to: group.count, by: 500).map({ Array(group[$0..<min($0 + 500, group.count)]) }) {
                    try await sql.update("participants").set("read_seq", to: key.seq)
                        .where("conversation_id", .equal, key.conversation).where("identity_kind", .equal, key.kind)
                        .where("identity_id", .in, chunk.map(\.identity.id)).where("read_seq", .lessThan, key.seq).run()
                }
            }
        }
    }

    package func readers(conversation: UUID, atLeast seq: Int64) async throws -> [Identity] {
        try await sql.select().column("identity_kind").column("identity_id").from("participants")
            .where("conversation_id", .equal, conversation).where("active", .equal, true).where("read_seq", .greaterThanOrEqual, seq)
            .all()
            .compactMap {
                Identity(kind: try $0.decode(column: "identity_kind", as: String.self), id: try $0.decode(column: "identity_id", as: UUID.self))
            }
    }

    package func conversations(of identity: Identity) async throws -> [UUID] {
        try await sql.select().column("conversation_id").from("participants")
            .where("identity_kind", .equal, identity.kind.rawValue).where("identity_id", .equal, identity.id).where("active", .equal, true).all()
            .map { try $0.decode(column: "conversation_id", as: UUID.self) }
    }

    /// One statement for all of them: per kind, `identity_kind = … AND
    /// identity_id IN (…)`, so the `participants_by_identity` index serves it.
    package func conversations(ofAny identities: [Identity]) async throws -> Set<UUID> {
        let byKind = Dictionary(grouping: Set(identities), by: \.kind)
        guard !byKind.isEmpty else { return [] }
        let rows = try await sql.select().distinct().column("conversation_id").from("participants")
            .where { group in
                for (kind, people) in byKind.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    group.orWhere { $0.where("identity_kind", .equal, kind.rawValue).where("identity_id", .in, people.map(\.id)) }
                }
                return group
            }
            .where("active", .equal, true).all()
        return Set(try rows.map { try $0.decode(column: "conversation_id", as: UUID.self) })
    }

    /// Files go in the same transaction, after the key row: a file being
    /// saved holds that row (`ConversationFiles.save`), so it is either
    /// refused or deleted here.
    package func erase(conversation: UUID) async throws {
        try await storage.writeSQL { sql in
            for table in ["messages", "conversation_keys", ConversationFiles.table, "participants"] {
                try await sql.delete(from: table).where("conversation_id", .equal, conversation).run()
            }
            try await sql.update("conversations").set("open", to: false).where("id", .equal, conversation).run()
        }
        sealer.forget(conversation)
    }
}

/// A conversation's data key, from memory or unwrapped from its row.
struct DataKeys: Sendable {
    let sealer: Sealer
    @Sendable func key(_ conversation: UUID, _ sql: any SQLDatabase) async throws -> SymmetricKey? {
        if let key = sealer.cachedKey(conversation) { return key }
        guard
            let row = try await sql.select().column("wrapped").from("conversation_keys")
                .where("conversation_id", .equal, conversation).where("key_id", .equal, SQLMessageStore.dataKeyID).first()
        else { return nil }
        let key = try sealer.unwrap(try row.decode(column: "wrapped", as: Data.self))
        sealer.remember(key, for: conversation)
        return key
    }
}

/// `CASE id WHEN … THEN … END`: every conversation's new last seq in one UPDATE.
struct LastSeqCase: SQLExpression {
    let values: [(UUID, Int64)]
    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CASE ")
        SQLIdentifier("id").serialize(to: &serializer)
        for (id, seq) in values {
            serializer.write(" WHEN ")
            SQLBind(id).serialize(to: &serializer)
            serializer.write(" THEN ")
            SQLBind(seq).serialize(to: &serializer)
        }
        serializer.write(" END")
    }
}
