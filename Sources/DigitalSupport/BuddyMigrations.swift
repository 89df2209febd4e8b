import FluentKit
import KohtaamoBase

/// The buddy course's tables. A module's links and quiz are JSON text (the
/// network's own course content, not people's data). Progress keeps only a
/// count of tries, never the answers. An assignment links a buddy (staff)
/// and a registered client of one organisation.
struct CreateBuddySchema: AsyncMigration {
    var name: String { "digital.buddies.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("buddy_modules")
            .field("id", .uuid, .identifier(auto: false))
            .field("network_id", .uuid, .required)
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("links", .string, .required)
            .field("quiz", .string, .required)
            .field("version", .int, .required)
            .field("updated_ms", .int64, .required)
            .create()
        try await db.schema("buddy_progress")
            .field("staff_id", .uuid, .required)
            .field("module_id", .uuid, .required, .references("buddy_modules", "id", onDelete: .cascade))
            .field("attempts", .int, .required)
            .field("last_attempt_ms", .int64, .required)
            .field("done_ms", .int64)
            .field("done_version", .int)
            .unique(on: "staff_id", "module_id")
            .create()
        try await db.schema("buddy_trained")
            .field("staff_id", .uuid, .identifier(auto: false))
            .field("network_id", .uuid, .required)
            .field("completed_ms", .int64, .required)
            .create()
        try await db.schema("buddy_assignments")
            .field("id", .uuid, .identifier(auto: false))
            .field("organisation_id", .uuid, .required)
            .field("buddy_id", .uuid, .required)
            .field("member_id", .uuid, .required)
            .field("assigned_by", .uuid, .required)
            .field("created_ms", .int64, .required)
            .unique(on: "buddy_id", "member_id")
            .create()
        let sql = Storage.sql(db)
        try await sql.raw("CREATE INDEX buddy_modules_by_network ON buddy_modules (network_id, position)").run()
        try await sql.raw("CREATE INDEX buddy_assignments_by_organisation ON buddy_assignments (organisation_id)").run()
        try await sql.raw("CREATE INDEX buddy_assignments_by_member ON buddy_assignments (member_id)").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["buddy_assignments", "buddy_trained", "buddy_progress", "buddy_modules"] { try await db.schema(table).delete() }
    }
}
