import FluentKit
import KohtaamoBase
import SQLKit

/// Reach-out's own tables. What workers write of a person (the label, the
/// notes) is sealed, each row under its own data key; days are `YYYY-MM-DD`
/// Helsinki days, which sort as text.
struct CreateReachoutSchema: AsyncMigration {
    var name: String { "reachout.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("reachout_plans")
            .field("id", .uuid, .identifier(auto: false))
            .field("organisation_id", .uuid, .required)
            .field("member_id", .uuid)
            .field("rhythm", .string, .required)
            .field("starts", .string, .required)
            .field("until", .string)
            .field("minute", .int, .required)
            .field("escalation_minute", .int, .required)
            .field("channel", .string, .required)
            .field("owner_id", .uuid, .required)
            .field("backup_id", .uuid)
            .field("skip_holidays", .bool, .required)
            .field("ended_on", .string)
            .field("conversation_id", .uuid)
            .field("created_ms", .int64, .required)
            .field("content_sealed", .data, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            .create()
        try await db.schema("reachout_outcomes")
            .field("id", .uuid, .identifier(auto: false))
            .field("plan_id", .uuid, .required, .references("reachout_plans", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("kind", .string, .required)
            .field("referral_id", .uuid)
            .field("by_id", .uuid, .required)
            .field("at_ms", .int64, .required)
            .field("note_sealed", .data, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            .create()
        try await db.schema("reachout_absences")
            .field("id", .uuid, .identifier(auto: false))
            .field("organisation_id", .uuid, .required)
            .field("staff_id", .uuid, .required)
            .field("from_day", .string, .required)
            .field("to_day", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_ms", .int64, .required)
            .create()
        try await db.schema("reachout_escalations")
            .field("id", .uuid, .identifier(auto: false))
            .field("plan_id", .uuid, .required, .references("reachout_plans", "id", onDelete: .cascade))
            .field("organisation_id", .uuid, .required)
            .field("day", .string, .required)
            .field("repeated", .bool, .required)
            .field("created_ms", .int64, .required)
            .field("closed_ms", .int64)
            .field("closed_by", .uuid)
            .field("note_sealed", .data, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            // One escalation per plan and day, however many sweeps run at once.
            .unique(on: "plan_id", "day")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX reachout_plans_by_organisation ON reachout_plans (organisation_id)").run()
            try await sql.raw("CREATE INDEX reachout_plans_by_member ON reachout_plans (member_id)").run()
            try await sql.raw("CREATE INDEX reachout_outcomes_by_plan ON reachout_outcomes (plan_id, day)").run()
            try await sql.raw("CREATE INDEX reachout_absences_by_organisation ON reachout_absences (organisation_id, to_day)").run()
            try await sql.raw("CREATE INDEX reachout_escalations_by_organisation ON reachout_escalations (organisation_id, day)").run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["reachout_escalations", "reachout_absences", "reachout_outcomes", "reachout_plans"] {
            try await db.schema(table).delete()
        }
    }
}

package enum ReachoutMigrations {
    package static let all: [any Migration] = [CreateReachoutSchema()]
}
