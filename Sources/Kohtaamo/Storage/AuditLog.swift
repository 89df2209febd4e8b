import FluentKit
import Foundation
import SQLKit

/// Append-only record of staff acts that touch clients' data (who, when,
/// what, which, why). Nothing in the product edits or deletes it.
public struct AuditLog: Sendable {
    let storage: Storage
    public init(storage: Storage) { self.storage = storage }

    public struct Entry: Sendable {
        public var atMs: Int64
        public var staffID: UUID
        public var staffName: String
        public var organisationID: UUID
        /// e.g. `transcript.open`
        public var action: String
        public var target: String
        public var reason: String
    }

    public func record(_ e: Entry) async throws {
        try await storage.write { db in
            try await (db as! any SQLDatabase).insert(into: "audit_log")
                .columns("id", "at_ms", "staff_id", "staff_name", "organisation_id", "action", "target", "reason")
                .values(SQLBind(UUID()), SQLBind(e.atMs), SQLBind(e.staffID), SQLBind(e.staffName), SQLBind(e.organisationID),
                        SQLBind(e.action), SQLBind(e.target), SQLBind(e.reason))
                .run()
        }
    }

    /// The newest entries of the organisations given.
    public func entries(organisations: [UUID], limit: Int = 200) async throws -> [Entry] {
        guard !organisations.isEmpty else { return [] }
        return try await storage.sql.select().columns("at_ms", "staff_id", "staff_name", "organisation_id", "action", "target", "reason")
            .from("audit_log").where("organisation_id", .in, organisations).orderBy("at_ms", .descending).limit(limit).all()
            .map { row in
                Entry(atMs: try row.decode(column: "at_ms", as: Int64.self), staffID: try row.decode(column: "staff_id", as: UUID.self),
                      staffName: try row.decode(column: "staff_name", as: String.self), organisationID: try row.decode(column: "organisation_id", as: UUID.self),
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

public enum AuditMigrations {
    public static let all: [any Migration] = [CreateAuditLog()]
}
