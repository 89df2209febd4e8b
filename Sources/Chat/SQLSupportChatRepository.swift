import FluentKit
import Foundation
import KohtaamoBase
import KohtaamoRealtime
import SQLKit

/// `SupportChatRepository` in SQL (SQLKit), the same on SQLite and PostgreSQL.
package struct SQLSupportChatRepository: SupportChatRepository {
    package let storage: Storage
    /// Seals feedback comments (each under a key of its own, wrapped by the master key).
    package let sealer: Sealer
    /// Where the feedback answers' data keys are kept wrapped (for `rotate-key`).
    package static let wrappedKeys = WrappedKeyTable(table: "chat_feedback", wrappedColumn: "wrapped_key", idColumns: ["id"])
    package init(storage: Storage, sealer: Sealer) {
        self.storage = storage
        self.sealer = sealer
    }
    private var sql: any SQLDatabase { storage.sql }
    package static let columns = [
        "conversation_id", "service_id", "client_id", "nickname", "status", "waiting_since_ms", "worker_id", "taken_ms", "notes_conversation_id",
        "language",
    ]

    package func createClient(tokenHash: String, at: Int64) async throws -> UUID {
        let id = UUID()
        try await storage.writeSQL { sql in
            try await sql.insert(into: "anonymous_clients").columns("id", "token_hash", "created_ms")
                .values(SQLBind(id), SQLBind(tokenHash), SQLBind(at)).run()
        }
        return id
    }

    package func client(tokenHash: String) async throws -> UUID? {
        try await sql.select().column("id").from("anonymous_clients").where("token_hash", .equal, tokenHash).first()?
            .decode(column: "id", as: UUID.self)
    }

    package func insert(_ c: SupportChat) async throws {
        try await storage.writeSQL { sql in
            try await sql.insert(into: "support_chats")
                .columns(
                    "conversation_id", "service_id", "client_id", "nickname", "status", "waiting_since_ms", "topics", "feedback_given", "language"
                )
                .values(
                    SQLBind(c.conversation), SQLBind(c.service), SQLBind(c.client), SQLBind(c.nickname), SQLBind(c.status.rawValue),
                    SQLBind(c.waitingSinceMs), SQLBind(""), SQLBind(false), SQLBind(c.language)
                )
                .run()
        }
    }

    package static func chat(_ row: any SQLRow) throws -> SupportChat {
        SupportChat(
            conversation: try row.decode(column: "conversation_id", as: UUID.self), service: try row.decode(column: "service_id", as: UUID.self),
            client: try row.decode(column: "client_id", as: UUID.self), nickname: try row.decode(column: "nickname", as: String.self),
            status: SupportChat.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .closed,
            waitingSinceMs: try row.decode(column: "waiting_since_ms", as: Int64.self),
            worker: try row.decode(column: "worker_id", as: UUID?.self), takenMs: try row.decode(column: "taken_ms", as: Int64?.self),
            notes: try row.decode(column: "notes_conversation_id", as: UUID?.self),
            language: try row.decode(column: "language", as: String.self))
    }

    package func chat(_ conversation: UUID) async throws -> SupportChat? {
        try await sql.select().columns(Self.columns).from("support_chats").where("conversation_id", .equal, conversation).first().map(Self.chat)
    }

    package func waiting(services: [UUID]) async throws -> [SupportChat] {
        guard !services.isEmpty else { return [] }
        return try await sql.select().columns(Self.columns).from("support_chats").where("status", .equal, "waiting")
            .where("service_id", .in, services).orderBy("waiting_since_ms").all().map(Self.chat)
    }

    package func chats(client: UUID) async throws -> [SupportChat] {
        try await sql.select().columns(Self.columns).from("support_chats").where("client_id", .equal, client)
            .orderBy("waiting_since_ms", .descending).limit(20).all().map(Self.chat)
    }

    package func take(_ conversation: UUID, worker: UUID, limit: Int, at: Int64) async throws -> Bool? {
        let postgres = storage.kind == .postgres
        return try await storage.writeSQL { sql in
            // One worker's takes run one at a time (SQLite writes already do),
            // so two at once cannot both pass the limit.
            if postgres { try await sql.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: worker.uuidString), 0))").run() }
            let active =
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("support_chats")
                .where("worker_id", .equal, worker).where("status", .equal, "active").first()?.decode(column: "n", as: Int.self) ?? 0
            guard active < limit else { return false }
            // One conditional update: of two workers taking at once, one gets the row.
            let taken =
                try await sql.update("support_chats").set("status", to: "active").set("worker_id", to: worker).set("taken_ms", to: at)
                .where("conversation_id", .equal, conversation).where("status", .equal, "waiting")
                .returning("conversation_id").all().count == 1
            return taken ? true : nil
        }
    }

    package func close(_ conversation: UUID, worker: UUID, topics: [String], at: Int64) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.update("support_chats").set("status", to: "closed").set("closed_ms", to: at)
                .set("topics", to: topics.joined(separator: ","))
                .where("conversation_id", .equal, conversation).where("status", .equal, "active").where("worker_id", .equal, worker)
                .returning("conversation_id").all().count == 1
        }
    }

    package func setNotes(_ conversation: UUID, notes: UUID) async throws {
        try await storage.writeSQL { sql in
            try await sql.update("support_chats").set("notes_conversation_id", to: notes).where("conversation_id", .equal, conversation).run()
        }
    }

    package func reassign(_ conversation: UUID, from: UUID, to: UUID, at: Int64) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.update("support_chats").set("worker_id", to: to).set("taken_ms", to: at)
                .where("conversation_id", .equal, conversation).where("status", .equal, "active").where("worker_id", .equal, from)
                .returning("conversation_id").all().count == 1
        }
    }

    package func requeue(_ conversation: UUID, from: UUID, service: UUID, at: Int64) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.update("support_chats").set("status", to: "waiting").set("service_id", to: service)
                .set(SQLIdentifier("worker_id"), to: SQLLiteral.null).set(SQLIdentifier("taken_ms"), to: SQLLiteral.null).set(
                    "waiting_since_ms", to: at
                )
                .where("conversation_id", .equal, conversation).where("status", .equal, "active").where("worker_id", .equal, from)
                .returning("conversation_id").all().count == 1
        }
    }

    package func markDeleted(_ conversation: UUID, at: Int64) async throws {
        try await storage.writeSQL { sql in
            try await sql.update("support_chats").set("status", to: "deleted").set("closed_ms", to: at)
                .set("nickname", to: "").where("conversation_id", .equal, conversation).run()
        }
    }

    package func activeCount(worker: UUID) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("support_chats")
            .where("worker_id", .equal, worker).where("status", .equal, "active").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    package func recentHandlingTimes(service: UUID, since: Int64, limit: Int) async throws -> [Int64] {
        // A chat erased by retention or by its client keeps its times; one
        // closed unanswered has no `taken_ms` and says nothing about handling.
        try await sql.select().columns("taken_ms", "closed_ms").from("support_chats")
            .where("status", .in, ["closed", "deleted", "expired"]).where("service_id", .equal, service)
            .where("closed_ms", .greaterThan, since).where("taken_ms", .isNot, SQLLiteral.null)
            .orderBy("closed_ms", .descending).limit(limit).all()
            .map { try $0.decode(column: "closed_ms", as: Int64.self) - $0.decode(column: "taken_ms", as: Int64.self) }
    }

    package func startedCount(client: UUID, since: Int64) async throws -> Int {
        try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("support_chats")
            .where("client_id", .equal, client).where("waiting_since_ms", .greaterThan, since).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    package func active(worker: UUID) async throws -> [SupportChat] {
        try await sql.select().columns(Self.columns).from("support_chats").where("worker_id", .equal, worker)
            .where("status", .equal, "active").orderBy("taken_ms").all().map(Self.chat)
    }

    package func active(services: [UUID]) async throws -> [SupportChat] {
        guard !services.isEmpty else { return [] }
        return try await sql.select().columns(Self.columns).from("support_chats").where("status", .equal, "active")
            .where("service_id", .in, services).orderBy("taken_ms").all().map(Self.chat)
    }

    package func saveFeedback(_ conversation: UUID, service: UUID, score: Int, comment: String, at: Int64) async throws -> Bool {
        try await storage.writeSQL { sql in
            // Once per chat: the flag is set in the same transaction.
            guard
                try await sql.update("support_chats").set("feedback_given", to: true).where("conversation_id", .equal, conversation)
                    .where("feedback_given", .equal, false).returning("conversation_id").all().count == 1
            else { return false }
            // Only the day is kept, so an answer cannot be matched to a chat by its time.
            let id = UUID()
            let (sealed, wrapped, masterKeyID) = try sealFeedback(comment, id: id)
            try await sql.insert(into: "chat_feedback").columns(
                "id", "service_id", "score", "comment", "comment_sealed", "wrapped_key", "master_key_id", "day"
            )
            .values(
                SQLBind(id), SQLBind(service), SQLBind(score), SQLBind(""), SQLBind(sealed), SQLBind(wrapped), SQLBind(masterKeyID),
                SQLBind(ServerFrame.timestamp(at).prefix(10).description)
            )
            .run()
            return true
        }
    }

    /// A comment sealed under a new data key bound to its row; the key itself
    /// wrapped by the master key. No key is shared with a conversation, so
    /// nothing links the answer to the chat.
    func sealFeedback(_ comment: String, id: UUID) throws -> (sealed: Data, wrapped: Data, masterKeyID: String) {
        let (key, wrapped, masterKeyID) = try sealer.newDataKey()
        return (try sealer.seal(comment, key: key, conversation: id, seq: 0), wrapped, masterKeyID)
    }

    /// Comments written before they were sealed (chat.v5) are sealed now,
    /// and their plaintext emptied; run at every start, usually finding none.
    package func sealLegacyFeedback() async throws {
        let rows = try await sql.select().columns("id", "comment").from("chat_feedback").where("comment", .notEqual, "").all()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let (sealed, wrapped, masterKeyID) = try sealFeedback(try row.decode(column: "comment", as: String.self), id: id)
            try await storage.writeSQL { sql in
                try await sql.update("chat_feedback").set("comment", to: "").set("comment_sealed", to: sealed)
                    .set("wrapped_key", to: wrapped).set("master_key_id", to: masterKeyID).where("id", .equal, id).run()
            }
        }
    }

    package func feedback(service: UUID) async throws -> [(score: Int, comment: String, day: String)] {
        try await sql.select().columns("id", "score", "comment_sealed", "wrapped_key", "day").from("chat_feedback").where(
            "service_id", .equal, service
        )
        .orderBy("day").all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            // No key: retention erased the comment; the score stays.
            let comment =
                try row.decode(column: "wrapped_key", as: Data?.self).map { wrapped in
                    try sealer.open(
                        try row.decode(column: "comment_sealed", as: Data.self), key: try sealer.unwrap(wrapped), conversation: id, seq: 0)
                } ?? ""
            return (try row.decode(column: "score", as: Int.self), comment, try row.decode(column: "day", as: String.self))
        }
    }

    package func setShifts(staff: UUID, services: [UUID], at: Int64) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "shifts").where("staff_id", .equal, staff).run()
            for service in Set(services) {
                try await sql.insert(into: "shifts").columns("staff_id", "service_id", "since_ms").values(
                    SQLBind(staff), SQLBind(service), SQLBind(at)
                ).run()
            }
        }
    }

    package func shifts(staff: UUID) async throws -> [UUID] {
        try await sql.select().column("service_id").from("shifts").where("staff_id", .equal, staff).all().map {
            try $0.decode(column: "service_id", as: UUID.self)
        }
    }

    package func onShift(service: UUID) async throws -> [UUID] {
        try await sql.select().column("staff_id").from("shifts").where("service_id", .equal, service).all().map {
            try $0.decode(column: "staff_id", as: UUID.self)
        }
    }

    package func maxChats(staff: UUID) async throws -> Int {
        try await sql.select().column("max_chats").from("chat_worker_settings").where("staff_id", .equal, staff).first()?
            .decode(column: "max_chats", as: Int.self) ?? 3
    }

    package func setMaxChats(staff: UUID, _ max: Int) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "chat_worker_settings").where("staff_id", .equal, staff).run()
            try await sql.insert(into: "chat_worker_settings").columns("staff_id", "max_chats").values(SQLBind(staff), SQLBind(max)).run()
        }
    }

    package func topics(service: UUID) async throws -> [ChatTopic] {
        try await sql.select().columns("id", "service_id", "label_fi", "label_sv", "label_en", "archived").from("chat_topics")
            .where("service_id", .equal, service).orderBy("created_ms").orderBy("label_fi").all().map { row in
                ChatTopic(
                    id: try row.decode(column: "id", as: UUID.self), service: try row.decode(column: "service_id", as: UUID.self),
                    labels: LocalizedText(
                        fi: try row.decode(column: "label_fi", as: String.self), sv: try row.decode(column: "label_sv", as: String.self),
                        en: try row.decode(column: "label_en", as: String.self)),
                    archived: try row.decode(column: "archived", as: Bool.self))
            }
    }

    package func addTopic(_ t: ChatTopic, at: Int64) async throws {
        try await storage.writeSQL { sql in
            try await sql.insert(into: "chat_topics").columns("id", "service_id", "label_fi", "label_sv", "label_en", "archived", "created_ms")
                .values(
                    SQLBind(t.id), SQLBind(t.service), SQLBind(t.labels.fi), SQLBind(t.labels.sv), SQLBind(t.labels.en), SQLBind(t.archived),
                    SQLBind(at)
                )
                .run()
        }
    }

    package func archiveTopic(_ id: UUID, service: UUID) async throws -> Bool {
        try await storage.writeSQL { sql in
            try await sql.update("chat_topics").set("archived", to: true).where("id", .equal, id).where("service_id", .equal, service)
                .returning("id").all().count == 1
        }
    }

    package func retentionDays(service: UUID) async throws -> Int? {
        try await sql.select().column("days").from("chat_retention").where("service_id", .equal, service).first()?.decode(
            column: "days", as: Int.self)
    }

    package func setRetentionDays(service: UUID, _ days: Int) async throws {
        try await storage.writeSQL { sql in
            try await sql.delete(from: "chat_retention").where("service_id", .equal, service).run()
            try await sql.insert(into: "chat_retention").columns("service_id", "days").values(SQLBind(service), SQLBind(days)).run()
        }
    }

    package func servicesWithRetainedData() async throws -> [UUID] {
        let chats = try await sql.select().distinct().column("service_id").from("support_chats")
            .where("status", .in, ["closed", "waiting"]).all()
        let comments = try await sql.select().distinct().column("service_id").from("chat_feedback")
            .where("wrapped_key", .isNot, SQLLiteral.null).all()
        return Array(Set(try (chats + comments).map { try $0.decode(column: "service_id", as: UUID.self) }))
    }

    package func closeUnanswered(service: UUID, waitingBefore: Int64) async throws -> Int {
        try await storage.writeSQL { sql in
            // Only while still waiting: a chat taken meanwhile is left alone.
            try await sql.update("support_chats").set("status", to: "closed").set(SQLIdentifier("closed_ms"), to: SQLIdentifier("waiting_since_ms"))
                .where("service_id", .equal, service).where("status", .equal, "waiting").where("waiting_since_ms", .lessThan, waitingBefore)
                .returning("conversation_id").all().count
        }
    }

    package func eraseFeedbackComments(service: UUID, before day: String) async throws -> Int {
        try await storage.writeSQL { sql in
            try await sql.update("chat_feedback").set("comment", to: "")
                .set(SQLIdentifier("comment_sealed"), to: SQLLiteral.null).set(SQLIdentifier("wrapped_key"), to: SQLLiteral.null)
                .set(SQLIdentifier("master_key_id"), to: SQLLiteral.null)
                .where("service_id", .equal, service).where("day", .lessThan, day).where("wrapped_key", .isNot, SQLLiteral.null)
                .returning("id").all().count
        }
    }

    package func closed(service: UUID, before: Int64, limit: Int) async throws -> [SupportChat] {
        try await sql.select().columns(Self.columns).from("support_chats").where("service_id", .equal, service).where("status", .equal, "closed")
            .where("closed_ms", .lessThan, before).orderBy("closed_ms").limit(limit).all().map(Self.chat)
    }

    package func deleteIdleClients(createdBefore: Int64) async throws -> Int {
        // One statement, so a client cannot gain a chat between the check and the delete.
        try await storage.writeSQL { sql in
            try await sql.raw(
                """
                DELETE FROM anonymous_clients WHERE created_ms < \(bind: createdBefore)
                AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.identity_kind = \(bind: "client") AND p.identity_id = anonymous_clients.id)
                AND NOT EXISTS (SELECT 1 FROM support_chats s WHERE s.client_id = anonymous_clients.id
                                AND s.status IN (\(bind: "waiting"), \(bind: "active"), \(bind: "closed")))
                RETURNING id
                """
            ).all().count
        }
    }

    package func markExpired(_ conversation: UUID, at: Int64) async throws {
        try await storage.writeSQL { sql in
            try await sql.update("support_chats").set("status", to: "expired").set("nickname", to: "")
                .set("client_id", to: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
                .where("conversation_id", .equal, conversation).run()
        }
    }
}
