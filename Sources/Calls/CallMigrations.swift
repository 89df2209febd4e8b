import FluentKit
import KohtaamoBase
import SQLKit

/// The calls' own tables. A call's row goes with its conversation (erasure).
struct CreateCallSchema: AsyncMigration {
    var name: String { "calls.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("calls")
            .field("id", .uuid, .identifier(auto: false))
            .field("conversation_id", .uuid, .required, .references("conversations", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("media", .string, .required)
            .field("started_by", .string, .required)
            .field("started_ms", .int64, .required)
            .field("connected_ms", .int64)
            .field("ended_ms", .int64)
            .create()
        try await db.schema("call_members")
            .field("call_id", .uuid, .required, .references("calls", "id", onDelete: .cascade))
            .field("identity", .string, .required)
            .field("joined_ms", .int64, .required)
            .field("left_ms", .int64)
            .field("removed", .bool, .required)
            .field("hand", .bool, .required)
            .field("audio", .bool, .required)
            .field("video", .bool, .required)
            .compositeIdentifier(over: "call_id", "identity")
            .create()
        if let sql = db as? any SQLDatabase {
            // One call on at a time per conversation, held by the database
            // (two workers pressing "call" at once); and the signal check's read.
            try await sql.raw("CREATE UNIQUE INDEX calls_on ON calls (conversation_id) WHERE ended_ms IS NULL").run()
        }
    }

    func revert(on db: any Database) async throws {
        for schema in ["call_members", "calls"] { try await db.schema(schema).delete() }
    }
}

package enum CallMigrations {
    package static let all: [any Migration] = [CreateCallSchema()]
}
