import FluentKit
import KohtaamoBase
import SQLKit

/// Anonymous clients (a token hash, nothing else), support chats, shifts
/// and per-worker chat limits.
struct CreateChatSchema: AsyncMigration {
    var name: String { "chat.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("anonymous_clients")
            .id()
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("created_ms", .int64, .required)
            .create()
        try await db.schema("support_chats")
            .field("conversation_id", .uuid, .identifier(auto: false), .references("conversations", .id, onDelete: .cascade))
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("client_id", .uuid, .required)
            .field("nickname", .string, .required)
            /// waiting, active, closed, deleted
            .field("status", .string, .required)
            .field("waiting_since_ms", .int64, .required)
            .field("worker_id", .uuid)
            .field("taken_ms", .int64)
            .field("closed_ms", .int64)
            .field("topics", .string, .required)
            .field("feedback_given", .bool, .required)
            .create()
        try await db.schema("chat_feedback")
            .id()
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("score", .int, .required)
            .field("comment", .string, .required)
            .field("day", .string, .required)
            .create()
        try await db.schema("shifts")
            .field("staff_id", .uuid, .required, .references("staff", .id, onDelete: .cascade))
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("since_ms", .int64, .required)
            .compositeIdentifier(over: "staff_id", "service_id")
            .create()
        try await db.schema("chat_worker_settings")
            .field("staff_id", .uuid, .identifier(auto: false), .references("staff", .id, onDelete: .cascade))
            .field("max_chats", .int, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX support_chats_queue ON support_chats (status, service_id, waiting_since_ms)").run()
            try await sql.raw("CREATE INDEX support_chats_worker ON support_chats (worker_id, status)").run()
            try await sql.raw("CREATE INDEX support_chats_client ON support_chats (client_id, waiting_since_ms)").run()
        }
    }

    func revert(on db: any Database) async throws {
        for schema in ["chat_feedback", "chat_worker_settings", "shifts", "support_chats", "anonymous_clients"] {
            try await db.schema(schema).delete()
        }
    }
}

/// Internal notes: each support chat gets a staff-only conversation.
let addChatNotes = AddColumn("chat.v2", table: "support_chats", column: "notes_conversation_id", type: .uuid)

/// The chat's language (for ready-made replies), topic tags per service
/// and ready-made replies (per service and personal).
struct AddChatToolkit: AsyncMigration {
    var name: String { "chat.v3" }
    func prepare(on db: any Database) async throws {
        try await db.schema("support_chats").field("language", .string, .required, .sql(.default("fi"))).update()
        try await db.schema("chat_topics")
            .id()
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("label_fi", .string, .required)
            .field("label_sv", .string, .required)
            .field("label_en", .string, .required)
            /// Removed from the list; kept so closed chats keep their label.
            .field("archived", .bool, .required)
            .field("created_ms", .int64, .required)
            .create()
        try await TextCardStore.createTable(ChatFeature.replyTable, on: db)
    }
    func revert(on db: any Database) async throws {
        try await db.schema(ChatFeature.replyTable).delete()
        try await db.schema("chat_topics").delete()
        try await db.schema("support_chats").deleteField("language").update()
    }
}

/// How long each service keeps closed transcripts.
struct AddChatRetention: AsyncMigration {
    var name: String { "chat.v4" }
    func prepare(on db: any Database) async throws {
        try await db.schema("chat_retention")
            .field("service_id", .uuid, .identifier(auto: false), .references("services", .id, onDelete: .cascade))
            .field("days", .int, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX support_chats_closed ON support_chats (status, service_id, closed_ms)").run()
        }
    }
    func revert(on db: any Database) async throws {
        try await db.schema("chat_retention").delete()
        if let sql = db as? any SQLDatabase { try await sql.raw("DROP INDEX support_chats_closed").run() }
    }
}

/// Feedback comments sealed (the plaintext column stays empty).
struct SealFeedbackComments: AsyncMigration {
    var name: String { "chat.v5" }
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        for (name, type) in [("comment_sealed", DatabaseSchema.DataType.data), ("wrapped_key", .data), ("master_key_id", .string)] {
            try await db.schema("chat_feedback").field(.definition(name: .key(.string(name)), dataType: type, constraints: [])).update()
        }
    }
    func revert(on db: any Database) async throws {
        for name in ["comment_sealed", "wrapped_key", "master_key_id"] { try await db.schema("chat_feedback").deleteField(.string(name)).update() }
    }
}

/// The statistics read chats by service and arrival, and answers by
/// service and day (`ChatFigures`): a year of a network's chats in one read.
struct AddChatFigureIndexes: AsyncMigration {
    var name: String { "chat.v6" }
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX support_chats_arrival ON support_chats (service_id, waiting_since_ms)").run()
        try await sql.raw("CREATE INDEX chat_feedback_day ON chat_feedback (service_id, day)").run()
    }
    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX support_chats_arrival").run()
        try await sql.raw("DROP INDEX chat_feedback_day").run()
    }
}

package enum ChatMigrations {
    package static let all: [any Migration] = [
        CreateChatSchema(), addChatNotes, AddChatToolkit(), AddChatRetention(), SealFeedbackComments(),
        AddChatFigureIndexes(),
    ]
}
