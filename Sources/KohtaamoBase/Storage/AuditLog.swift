import FluentKit
import Foundation
import SQLKit

/// Append-only record of staff acts that touch clients' data (who, when,
/// what, which, why). Nothing in the product edits or deletes it.
package struct AuditLog: Sendable {
    package let storage: Storage
    package init(storage: Storage) { self.storage = storage }

    package struct Entry: Sendable {
        package var atMs: Int64
        package var staffID: UUID
        package var staffName: String
        package var organisationID: UUID
        /// e.g. `transcript.open`
        package var action: String
        package var target: String
        package var reason: String

        package init(atMs: Int64, staffID: UUID, staffName: String, organisationID: UUID, action: String, target: String, reason: String) {
            (self.atMs, self.staffID, self.staffName, self.organisationID) = (atMs, staffID, staffName, organisationID)
            (self.action, self.target, self.reason) = (action, target, reason)
        }

        package init(at: Date, staffID: UUID, staffName: String, organisationID: UUID, action: String, target: String, reason: String = "") {
            self.init(
                atMs: Int64(at.timeIntervalSince1970 * 1000), staffID: staffID, staffName: staffName, organisationID: organisationID,
                action: action, target: target, reason: reason)
        }
    }

    package func record(_ e: Entry) async throws {
        try await storage.writeSQL { sql in
            try await sql.insert(into: "audit_log")
                .columns("id", "at_ms", "staff_id", "staff_name", "organisation_id", "action", "target", "reason")
                .values(
                    SQLBind(UUID()), SQLBind(e.atMs), SQLBind(e.staffID), SQLBind(e.staffName), SQLBind(e.organisationID),
                    SQLBind(e.action), SQLBind(e.target), SQLBind(e.reason)
                )
                .run()
        }
    }

    /// The newest entries of the organisations given (older than `before`, for paging).
    package func entries(organisations: [UUID], before: Int64? = nil, limit: Int = 200) async throws -> [Entry] {
        guard !organisations.isEmpty else { return [] }
        var query = storage.sql.select().columns("at_ms", "staff_id", "staff_name", "organisation_id", "action", "target", "reason")
            .from("audit_log").where("organisation_id", .in, organisations)
        if let before { query = query.where("at_ms", .lessThan, before) }
        return try await query.orderBy("at_ms", .descending).limit(limit).all()
            .map { row in
                Entry(
                    atMs: try row.decode(column: "at_ms", as: Int64.self), staffID: try row.decode(column: "staff_id", as: UUID.self),
                    staffName: try row.decode(column: "staff_name", as: String.self),
                    organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    action: try row.decode(column: "action", as: String.self), target: try row.decode(column: "target", as: String.self),
                    reason: try row.decode(column: "reason", as: String.self))
            }
    }
}

struct CreateAuditLog: AsyncMigration {
    var name: String { "audit.v1" }
    func prepare(on db: any Database) async throws {
        try await db.schema("audit_log")
            .id()
            .field("at_ms", .int64, .required)
            .field("staff_id", .uuid, .required)
            .field("staff_name", .string, .required)
            .field("organisation_id", .uuid, .required)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("reason", .string, .required)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema("audit_log").delete() }
}

/// The database itself refuses to change or delete an entry, so no code
/// path (and no mistake in one) can rewrite the record.
struct AuditLogAppendOnly: AsyncMigration {
    var name: String { "audit.v2" }
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX audit_log_org_time ON audit_log (organisation_id, at_ms)").run()
        if sql.dialect.name == "sqlite" {
            for event in ["UPDATE", "DELETE"] {
                try await sql.raw(
                    """
                    CREATE TRIGGER audit_log_no_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: event) ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
                    """
                ).run()
            }
        } else {
            try await sql.raw(
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """
            ).run()
        }
    }
    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TRIGGER audit_log_no_update").run()
            try await sql.raw("DROP TRIGGER audit_log_no_delete").run()
        } else {
            try await sql.raw("DROP TRIGGER audit_log_append_only ON audit_log").run()
            try await sql.raw("DROP FUNCTION audit_log_append_only()").run()
        }
        try await sql.raw("DROP INDEX audit_log_org_time").run()
    }
}

package enum AuditMigrations {
    package static let all: [any Migration] = [CreateAuditLog(), AuditLogAppendOnly()]
}
