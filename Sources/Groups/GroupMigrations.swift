import FluentKit
import KohtaamoBase
import SQLKit

/// Groups' own tables; the room is a realtime conversation.
struct CreateGroupSchema: AsyncMigration {
    var name: String { "groups.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("group_settings")
            .field("service_id", .uuid, .identifier(auto: false), .references("services", .id, onDelete: .cascade))
            .field("conversation_id", .uuid, .required)
            .field("style", .string, .required)
            .field("access", .string, .required)
            .field("volunteers_moderate", .bool, .required)
            .field("rules_fi", .string, .required)
            .field("rules_sv", .string, .required)
            .field("rules_en", .string, .required)
            .field("rules_version", .int, .required)
            .create()
        try await db.schema("group_members")
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("member_id", .uuid, .required)
            .field("nickname", .string, .required)
            .field("nickname_key", .string, .required)
            .field("rules_version", .int, .required)
            .field("status", .string, .required)
            .field("banned_until_ms", .int64)
            .field("ban_reason", .string, .required)
            .field("joined_ms", .int64, .required)
            .compositeIdentifier(over: "service_id", "member_id")
            .unique(on: "service_id", "nickname_key")
            .create()
        try await db.schema("group_reports")
            .id()
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("seq", .int64, .required)
            .field("reporter_id", .uuid, .required)
            .field("reason", .string, .required)
            .field("at_ms", .int64, .required)
            .field("handled", .bool, .required)
            .create()
        try await db.schema("group_invitations")
            .field("code_hash", .string, .identifier(auto: false))
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("expires_ms", .int64, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX group_members_by_member ON group_members (member_id)").run()
        }
    }

    func revert(on db: any Database) async throws {
        for schema in ["group_invitations", "group_reports", "group_members", "group_settings"] { try await db.schema(schema).delete() }
    }
}

/// A group's weekly programme.
struct AddGroupProgramme: AsyncMigration {
    var name: String { "groups.v3" }

    func prepare(on db: any Database) async throws {
        try await db.schema("group_events")
            .id()
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("weekday", .int, .required)
            .field("start_minute", .int, .required)
            .field("duration_minutes", .int, .required)
            .field("title_fi", .string, .required)
            .field("title_sv", .string, .required)
            .field("title_en", .string, .required)
            .field("link", .string, .required)
            .create()
        // Staff of any organisation of the network invited to a working group.
        try await db.schema("group_staff")
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("staff_id", .uuid, .required)
            .compositeIdentifier(over: "service_id", "staff_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("group_staff").delete()
        try await db.schema("group_events").delete()
    }
}

/// Q&A groups: questions and their answers, sealed under each question's own key.
struct AddGroupQuestions: AsyncMigration {
    var name: String { "groups.v4" }

    func prepare(on db: any Database) async throws {
        try await db.schema("group_questions")
            .id()
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("member_id", .uuid, .required)
            .field("nickname", .string, .required)
            .field("anonymous", .bool, .required)
            .field("body_sealed", .data, .required)
            .field("removed", .bool, .required)
            .field("created_ms", .int64, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            .create()
        try await db.schema("group_answers")
            .id()
            .field("question_id", .uuid, .required, .references("group_questions", .id, onDelete: .cascade))
            .field("staff_id", .uuid, .required)
            .field("name", .string, .required)
            .field("role", .string, .required)
            .field("body_sealed", .data, .required)
            .field("created_ms", .int64, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("group_answers").delete()
        try await db.schema("group_questions").delete()
    }
}

package enum GroupMigrations {
    package static let all: [any Migration] = [
        CreateGroupSchema(), AddGroupApplications(), AddGroupProgramme(), AddGroupQuestions(),
        AddGroupFacilitators(), MarkWorkingGroupsStaffOnly(), AddGroupRetention(),
    ]
}

/// Screened groups: the questions, and applications with sealed answers.
struct AddGroupApplications: AsyncMigration {
    var name: String { "groups.v2" }

    func prepare(on db: any Database) async throws {
        let sql = Storage.sql(db)
        for column in ["questions_fi", "questions_sv", "questions_en"] {
            try await sql.raw("ALTER TABLE group_settings ADD COLUMN \(unsafeRaw: column) TEXT NOT NULL DEFAULT ''").run()
        }
        try await db.schema("group_applications")
            .id()
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("member_id", .uuid, .required)
            .field("nickname", .string, .required)
            /// JSON of the questions and answers, sealed.
            .field("answers_sealed", .data, .required)
            .field("status", .string, .required)
            /// The worker's message to the applicant, sealed.
            .field("message_sealed", .data, .required)
            .field("rules_version", .int, .required)
            .field("created_ms", .int64, .required)
            .field("decided_ms", .int64)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            .create()
        try await sql.raw("CREATE INDEX group_applications_by_member ON group_applications (member_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("group_applications").delete()
    }
}

/// Facilitators the coordinator names per group: staff of the group's
/// organisations (volunteers too), who moderate it.
struct AddGroupFacilitators: AsyncMigration {
    var name: String { "groups.v5" }

    func prepare(on db: any Database) async throws {
        try await db.schema("group_facilitators")
            .field("service_id", .uuid, .required, .references("services", .id, onDelete: .cascade))
            .field("staff_id", .uuid, .required)
            .compositeIdentifier(over: "service_id", "staff_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("group_facilitators").delete()
    }
}

/// Working groups made before Network knew of staff-only services are marked so.
struct MarkWorkingGroupsStaffOnly: AsyncMigration {
    var name: String { "groups.v6" }

    func prepare(on db: any Database) async throws {
        try await Storage.sql(db).raw(
            """
            UPDATE services SET only_for_staff = \(bind: true), is_public = \(bind: false)
            WHERE id IN (SELECT service_id FROM group_settings WHERE access = 'staff')
            """
        ).run()
    }

    func revert(on db: any Database) async throws {}
}

/// Retention: how many days a group keeps its room's messages and its Q&A
/// (NULL: while the group exists), and when a report was handled, so that
/// handled reports can go a fixed time after.
struct AddGroupRetention: AsyncMigration {
    var name: String { "groups.v7" }

    func prepare(on db: any Database) async throws {
        // Nullable columns: rows that exist need no default. One column per statement (SQLite).
        try await db.schema("group_settings").field("retention_days", .int).update()
        try await db.schema("group_reports").field("handled_ms", .int64).update()
        // Reports handled before this knew no time: counted from when they were made (never later than the handling).
        try await Storage.sql(db).raw("UPDATE group_reports SET handled_ms = at_ms WHERE handled = \(bind: true)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("group_reports").deleteField("handled_ms").update()
        try await db.schema("group_settings").deleteField("retention_days").update()
    }
}
