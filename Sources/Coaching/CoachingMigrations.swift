import FluentKit
import KohtaamoBase
import SQLKit

/// Coaching's own tables. A coachee's tasks are sealed (each row under its
/// own data key); their thread is a conversation of the realtime core.
struct CreateCoachingSchema: AsyncMigration {
    var name: String { "coaching.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("coaching_settings")
            .field("service_id", .uuid, .identifier(auto: false))
            .field("change_limit_hours", .int, .required)
            .field("file_max_bytes", .int64, .required)
            .field("file_groups", .string, .required)
            .create()
        try await db.schema("coaching_coaches")
            .field("service_id", .uuid, .required)
            .field("staff_id", .uuid, .required)
            .compositeIdentifier(over: "service_id", "staff_id")
            .create()
        try await db.schema("coachees")
            .field("service_id", .uuid, .required)
            .field("member_id", .uuid, .required)
            .field("nickname", .string, .required)
            .field("coach_id", .uuid, .required)
            .field("conversation_id", .uuid, .required)
            .field("status", .string, .required)
            .field("joined_ms", .int64, .required)
            .compositeIdentifier(over: "service_id", "member_id")
            .create()
        try await db.schema("coaching_groups")
            .field("id", .uuid, .identifier(auto: false))
            .field("service_id", .uuid, .required)
            .field("coach_id", .uuid, .required)
            .field("name", .string, .required)
            .field("conversation_id", .uuid, .required)
            .field("created_ms", .int64, .required)
            .create()
        try await db.schema("coaching_group_members")
            .field("group_id", .uuid, .required, .references("coaching_groups", "id", onDelete: .cascade))
            .field("member_id", .uuid, .required)
            .compositeIdentifier(over: "group_id", "member_id")
            .create()
        try await db.schema("coaching_invitations")
            .field("code_hash", .string, .identifier(auto: false))
            .field("service_id", .uuid, .required)
            .field("coach_id", .uuid, .required)
            .field("group_id", .uuid)
            .field("expires_ms", .int64, .required)
            .field("used_ms", .int64)
            .create()
        try await db.schema("coaching_tasks")
            .field("id", .uuid, .identifier(auto: false))
            .field("service_id", .uuid, .required)
            .field("coach_id", .uuid, .required)
            .field("coachee_id", .uuid, .required)
            .field("group_task", .uuid)
            .field("status", .string, .required)
            .field("due_ms", .int64)
            .field("created_ms", .int64, .required)
            .field("changed_ms", .int64, .required)
            .field("content_sealed", .data, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            .create()
        try await db.schema("coaching_templates")
            .field("id", .uuid, .identifier(auto: false))
            .field("service_id", .uuid, .required)
            .field("coach_id", .uuid, .required)
            .field("content", .string, .required)
            .field("created_ms", .int64, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX coachees_by_member ON coachees (member_id)").run()
            try await sql.raw("CREATE INDEX coaching_tasks_by_coachee ON coaching_tasks (coachee_id, service_id)").run()
            try await sql.raw("CREATE INDEX coachees_by_thread ON coachees (conversation_id)").run()
            try await sql.raw("CREATE INDEX coaching_group_members_by_member ON coaching_group_members (member_id)").run()
        }
    }

    func revert(on db: any Database) async throws {
        for schema in [
            "coaching_templates", "coaching_tasks", "coaching_invitations", "coaching_group_members", "coaching_groups", "coachees",
            "coaching_coaches", "coaching_settings",
        ] {
            try await db.schema(schema).delete()
        }
    }
}

package enum CoachingMigrations {
    package static let all: [any Migration] = [CreateCoachingSchema()]
}
