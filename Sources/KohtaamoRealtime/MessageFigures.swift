@preconcurrency import Crypto
import Foundation
import KohtaamoBase
import SQLKit

/// Messages in numbers, for the statistics: counted in the database (a
/// year of a busy group is tens of thousands of rows, never read one by
/// one) and written in bulk for sampled activity. Bodies are never read.
package struct MessageFigures: Sendable {
    let storage: Storage
    let sealer: Sealer

    /// How many messages one sender wrote in one conversation within one range.
    package struct Count: Sendable, Hashable {
        package var conversation: UUID
        /// Index into the ranges asked.
        package var range: Int
        package var sender: Identity
        package var count: Int
        package init(conversation: UUID, range: Int, sender: Identity, count: Int) {
            (self.conversation, self.range, self.sender, self.count) = (conversation, range, sender, count)
        }
    }

    /// The messages of these conversations written within `ranges` (each
    /// `[start, end)` in ms, sorted and not overlapping, a gap between them
    /// allowed), by conversation, range and sender. A removed message counts:
    /// it was written.
    package func counts(conversations: [UUID], ranges: [(start: Int64, end: Int64)]) async throws -> [Count] {
        guard !conversations.isEmpty, !ranges.isEmpty else { return [] }
        var found: [Count] = []
        // Ranges a statement, so that the binds stay few whatever the year.
        for offset in stride(from: 0, to: ranges.count, by: 400) {
            let part = Array(ranges[offset..<min(offset + 400, ranges.count)])
            let rows = try await storage.sql.rangeCounts(
                from: "messages", at: "at_ms", ranges: part, offset: offset, by: ["conversation_id", "sender_kind", "sender_id"],
                where: "conversation_id IN (\(binds: conversations))")
            for row in rows {
                guard
                    let sender = Identity(
                        kind: try row.decode(column: "sender_kind", as: String.self), id: try row.decode(column: "sender_id", as: UUID.self))
                else { continue }
                found.append(
                    Count(
                        conversation: try row.decode(column: "conversation_id", as: UUID.self), range: try row.decode(column: "r", as: Int.self),
                        sender: sender, count: try row.decode(column: "n", as: Int.self)))
            }
        }
        return found
    }

    /// One message of a sampled stretch of activity.
    package struct Sampled: Sendable {
        package var conversation: UUID
        package var sender: Identity
        package var from: Sender
        package var body: String
        package var atMs: Int64
        package init(conversation: UUID, sender: Identity, from: Sender, body: String, atMs: Int64) {
            (self.conversation, self.sender, self.from, self.body, self.atMs) = (conversation, sender, from, body, atMs)
        }
    }

    /// Writes many messages at once, sealed as any other: each
    /// conversation's go after its last, in the order given.
    package func add(_ messages: [Sampled]) async throws {
        let byConversation = Dictionary(grouping: messages, by: \.conversation)
        let sealer = sealer
        try await storage.writeSQL { sql in
            for (conversation, list) in byConversation {
                guard let key = try await DataKeys(sealer: sealer).key(conversation, sql),
                    let row = try await sql.select().column("last_seq").from("conversations").where("id", .equal, conversation).first()
                else { throw StoreError.noSuchConversation }
                var seq = try row.decode(column: "last_seq", as: Int64.self)
                var rows: [[SQLBind]] = []
                for m in list {
                    seq += 1
                    rows.append([
                        SQLBind(conversation), SQLBind(seq), SQLBind(UUID()), SQLBind(m.sender.kind.rawValue), SQLBind(m.sender.id),
                        SQLBind(m.from.name), SQLBind(m.from.role.rawValue),
                        SQLBind(try sealer.seal(m.body, key: key, conversation: conversation, seq: seq)), SQLBind(SQLMessageStore.dataKeyID),
                        SQLBind(m.atMs),
                    ])
                }
                try await sql.insertRows(
                    into: "messages",
                    columns: [
                        "conversation_id", "seq", "client_id", "sender_kind", "sender_id", "sender_name", "sender_role", "body", "key_id", "at_ms",
                    ],
                    rows: rows)
                try await sql.update("conversations").set("last_seq", to: seq).where("id", .equal, conversation).run()
            }
        }
    }
}

extension Realtime {
    /// Messages in numbers; throws `unavailable` over a store that is not SQL (a test's stand-in).
    package var messageFigures: MessageFigures {
        get throws {
            guard let sql = (store as? SQLMessageStore) ?? ((store as? DeadlineStore)?.store as? SQLMessageStore) else {
                throw AppError.unavailable
            }
            return MessageFigures(storage: sql.storage, sealer: sql.sealer)
        }
    }
}

extension MessageFigures {
    /// What `counts` finds in these messages, without a database: a
    /// sampler's own account of what it wrote, to hold against the reading.
    package static func counts(of messages: [Sampled], ranges: [(start: Int64, end: Int64)]) -> [Count] {
        var found: [Count: Int] = [:]
        for m in messages {
            guard let r = ranges.firstIndex(where: { m.atMs >= $0.start && m.atMs < $0.end }) else { continue }
            found[Count(conversation: m.conversation, range: r, sender: m.sender, count: 0), default: 0] += 1
        }
        return found.map { key, n in Count(conversation: key.conversation, range: key.range, sender: key.sender, count: n) }
    }
}
