import FluentKit
import KohtaamoBase
import SQLKit

/// Conversations, their participants, their messages (sealed) and the
/// per-conversation data keys. Shared by every kind of conversation.
struct CreateRealtimeSchema: AsyncMigration {
    var name: String { "realtime.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("conversations")
            .id()
            .field("kind", .string, .required)
            /// The last seq given out; raised inside the committing transaction.
            .field("last_seq", .int64, .required)
            .field("open", .bool, .required)
            .field("created_ms", .int64, .required)
            .create()
        try await db.schema("participants")
            .field("conversation_id", .uuid, .required, .references("conversations", .id, onDelete: .cascade))
            .field("identity_kind", .string, .required)
            .field("identity_id", .uuid, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("can_send", .bool, .required)
            .field("active", .bool, .required)
            .field("read_seq", .int64, .required)
            .compositeIdentifier(over: "conversation_id", "identity_kind", "identity_id")
            .create()
        try await db.schema("messages")
            .field("conversation_id", .uuid, .required, .references("conversations", .id, onDelete: .cascade))
            .field("seq", .int64, .required)
            .field("client_id", .uuid, .required)
            .field("sender_kind", .string, .required)
            .field("sender_id", .uuid, .required)
            .field("sender_name", .string, .required)
            .field("sender_role", .string, .required)
            /// AES-GCM sealed UTF-8 body (nonce + ciphertext + tag).
            .field("body", .data, .required)
            .field("key_id", .int, .required)
            .field("at_ms", .int64, .required)
            .compositeIdentifier(over: "conversation_id", "seq")
            .unique(on: "conversation_id", "client_id")
            .create()
        try await db.schema("conversation_keys")
            .field("conversation_id", .uuid, .required, .references("conversations", .id, onDelete: .cascade))
            .field("key_id", .int, .required)
            .field("master_key_id", .string, .required)
            /// The data key sealed with the master key.
            .field("wrapped", .data, .required)
            .compositeIdentifier(over: "conversation_id", "key_id")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX participants_by_identity ON participants (identity_kind, identity_id)").run()
        }
    }

    func revert(on db: any Database) async throws {
        for schema in ["conversation_keys", "messages", "participants", "conversations"] {
            try await db.schema(schema).delete()
        }
    }
}

/// Moderation: a participant muted for a while, a message removed.
struct AddModerationColumns: AsyncMigration {
    var name: String { "realtime.v2" }

    func prepare(on db: any Database) async throws {
        try await db.schema("participants").field("muted_until_ms", .int64).update()
        let sql = Storage.sql(db)
        // Fluent cannot add a required column to rows that exist: a default does.
        try await sql.raw("ALTER TABLE messages ADD COLUMN removed BOOLEAN NOT NULL DEFAULT FALSE").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("participants").deleteField("muted_until_ms").update()
        try await db.schema("messages").deleteField("removed").update()
    }
}

/// Files kept in a conversation (`ConversationFiles`): the name and the
/// bytes sealed with the conversation's data key.
struct CreateConversationFiles: AsyncMigration {
    var name: String { "realtime.v3" }

    func prepare(on db: any Database) async throws {
        try await db.schema("conversation_files")
            .id()
            .field("conversation_id", .uuid, .required, .references("conversations", .id, onDelete: .cascade))
            .field("name_sealed", .data, .required)
            /// `FileKind`'s raw value, read from the bytes at upload.
            .field("kind", .string, .required)
            /// Bytes of the file before sealing.
            .field("size", .int64, .required)
            /// `staff:<uuid>` or `client:<uuid>` (`Identity`).
            .field("uploader", .string, .required)
            .field("at_ms", .int64, .required)
            .field("content_sealed", .data, .required)
            .create()
        try await Storage.sql(db).raw("CREATE INDEX conversation_files_by_conversation ON conversation_files (conversation_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("conversation_files").delete()
    }
}

package enum RealtimeMigrations {
    package static let all: [any Migration] = [CreateRealtimeSchema(), AddModerationColumns(), CreateConversationFiles()]
}
