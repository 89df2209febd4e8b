import FluentKit
import KohtaamoBase

/// The needs mapping's tables. A questionnaire's questions and rules are
/// one JSON text per version (read back whole, never queried inside); a
/// mapping's answers and scores likewise. A goal's text is sealed under the
/// row's own data key.
struct CreateMappingSchema: AsyncMigration {
    var name: String { "digital.mapping.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("digital_questionnaires")
            .field("network_id", .uuid, .required)
            .field("version", .int, .required)
            .field("body", .string, .required)
            .field("saved_by", .uuid, .required)
            .field("saved_ms", .int64, .required)
            .unique(on: "network_id", "version")
            .create()
        try await db.schema("digital_mappings")
            .field("id", .uuid, .identifier(auto: false))
            .field("member_id", .uuid, .required)
            .field("organisation_id", .uuid)
            .field("network_id", .uuid)
            .field("version", .int, .required)
            .field("answers", .string, .required)
            .field("scores", .string, .required)
            .field("profile", .string, .required)
            .field("filled_by", .uuid)
            .field("created_ms", .int64, .required)
            .create()
        try await db.schema("digital_goals")
            .field("id", .uuid, .identifier(auto: false))
            .field("member_id", .uuid, .required)
            .field("organisation_id", .uuid)
            .field("theme", .string, .required)
            .field("done", .bool, .required)
            .field("added_by", .uuid)
            .field("created_ms", .int64, .required)
            .field("done_ms", .int64)
            .field("text_sealed", .data, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            .create()
        let sql = Storage.sql(db)
        try await sql.raw("CREATE INDEX digital_mappings_by_member ON digital_mappings (member_id, created_ms)").run()
        try await sql.raw("CREATE INDEX digital_mappings_by_organisation ON digital_mappings (organisation_id, created_ms)").run()
        try await sql.raw("CREATE INDEX digital_goals_by_member ON digital_goals (member_id, created_ms)").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["digital_goals", "digital_mappings", "digital_questionnaires"] { try await db.schema(table).delete() }
    }
}

/// A goal may carry one client material of the bank (by id, not sealed: it
/// names a page anyone may open, nothing of the person).
let addGoalMaterial = AddColumn("digital.mapping.goal_material.v1", table: "digital_goals", column: "material_id", type: .uuid)
