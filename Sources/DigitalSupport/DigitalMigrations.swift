import FluentKit
import KohtaamoBase

/// Digital support's tables. Events and sessions are public by nature and
/// kept in the clear; a worker's label for a person is sealed under the
/// row's own data key. Days are `YYYY-MM-DD` Helsinki days (they sort as text).
struct CreateDigitalSchema: AsyncMigration {
    var name: String { "digital.v1" }

    func prepare(on db: any Database) async throws {
        try await listed(db.schema("digital_events"))
            .field("day", .string, .required)
            .field("start_minute", .int, .required)
            .field("end_minute", .int, .required)
            .create()
        try await listed(db.schema("digital_sessions"))
            .field("online", .bool, .required)
            .field("seats", .int, .required)
            .create()
        try await db.schema("digital_meetings")
            .field("id", .uuid, .identifier(auto: false))
            .field("session_id", .uuid, .required, .references("digital_sessions", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("start_minute", .int, .required)
            .field("end_minute", .int, .required)
            .create()
        try await db.schema("digital_seats")
            .field("id", .uuid, .identifier(auto: false))
            .field("session_id", .uuid, .required, .references("digital_sessions", "id", onDelete: .cascade))
            .field("member_id", .uuid)
            .field("status", .string, .required)
            .field("rank", .int, .required)
            .field("added_by", .uuid)
            .field("created_ms", .int64, .required)
            .field("promoted_ms", .int64)
            .field("label_sealed", .data, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            // Arrival order is one per session, and a registered client is in a session once.
            .unique(on: "session_id", "rank")
            .unique(on: "session_id", "member_id")
            .create()
        let sql = Storage.sql(db)
        try await sql.raw("CREATE INDEX digital_events_by_organisation ON digital_events (organisation_id)").run()
        try await sql.raw("CREATE INDEX digital_events_by_municipality ON digital_events (municipality, day)").run()
        try await sql.raw("CREATE INDEX digital_sessions_by_organisation ON digital_sessions (organisation_id)").run()
        try await sql.raw("CREATE INDEX digital_meetings_by_session ON digital_meetings (session_id, day)").run()
        try await sql.raw("CREATE INDEX digital_meetings_by_day ON digital_meetings (day)").run()
        try await sql.raw("CREATE INDEX digital_seats_by_member ON digital_seats (member_id)").run()
    }

    /// The columns an event and a session share: who keeps it, what it says,
    /// where, which themes and languages, and its state (the sequence rises with every change).
    private func listed(_ schema: SchemaBuilder) -> SchemaBuilder {
        schema.field("id", .uuid, .identifier(auto: false))
            .field("organisation_id", .uuid, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("municipality_name", .string, .required)
            .field("municipality", .string, .required)
            .field("place", .string, .required)
            .field("address", .string, .required)
            .field("themes", .string, .required)
            .field("languages", .string, .required)
            .field("is_public", .bool, .required)
            .field("cancelled", .bool, .required)
            .field("sequence", .int, .required)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
    }

    func revert(on db: any Database) async throws {
        for table in ["digital_seats", "digital_meetings", "digital_sessions", "digital_events"] { try await db.schema(table).delete() }
    }
}

package enum DigitalMigrations {
    package static let all: [any Migration] = [CreateDigitalSchema(), CreateMappingSchema(), CreateBuddySchema(), addGoalMaterial]
}
