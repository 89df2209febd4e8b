import FluentKit
import KohtaamoBase
import SQLKit

/// The finder's tables. Nothing in them is about a person: help points are
/// public by nature, so nothing is sealed.
struct CreateFinderSchema: AsyncMigration {
    var name: String { "finder.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("finder_municipalities")
            .field("slug", .string, .identifier(auto: false))
            .field("name_fi", .string, .required)
            .field("name_sv", .string, .required)
            .field("name_en", .string, .required)
            .create()
        try await db.schema("finder_points")
            .field("id", .uuid, .identifier(auto: false))
            .field("organisation_id", .uuid, .required)
            .field("municipality", .string, .required, .references("finder_municipalities", "slug"))
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("place", .string, .required)
            .field("address", .string, .required)
            .field("postal_code", .string, .required)
            .field("city", .string, .required)
            // Codes joined by commas: a municipality has tens of points, filtered in memory.
            .field("themes", .string, .required)
            .field("languages", .string, .required)
            .field("access", .string, .required)
            .field("phone", .string, .required)
            .field("email", .string, .required)
            .field("url", .string, .required)
            .field("chat_service", .string)
            .field("updated_ms", .int64, .required)
            .create()
        try await db.schema("finder_hours")
            .field("point_id", .uuid, .required, .references("finder_points", "id", onDelete: .cascade))
            .field("weekday", .int, .required)
            .field("opens", .int, .required)
            .field("closes", .int, .required)
            .create()
        try await db.schema("finder_exceptions")
            .field("point_id", .uuid, .required, .references("finder_points", "id", onDelete: .cascade))
            .field("day", .string, .required)
            .field("opens", .int)
            .field("closes", .int)
            .field("note", .string, .required)
            .unique(on: "point_id", "day")
            .create()
        let sql = Storage.sql(db)
        try await sql.raw("CREATE INDEX finder_points_by_municipality ON finder_points (municipality)").run()
        try await sql.raw("CREATE INDEX finder_points_by_organisation ON finder_points (organisation_id)").run()
        try await sql.raw("CREATE INDEX finder_hours_by_point ON finder_hours (point_id)").run()
    }

    func revert(on db: any Database) async throws {
        for table in ["finder_exceptions", "finder_hours", "finder_points", "finder_municipalities"] { try await db.schema(table).delete() }
    }
}

package enum FinderMigrations {
    package static let all: [any Migration] = [CreateFinderSchema(), CreateFinderVisits()]
}

/// Visits of the public finder: a count per Helsinki day and organisation,
/// nothing of the visitor (no address, no cookie, no time of day).
struct CreateFinderVisits: AsyncMigration {
    var name: String { "finder.visits.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("finder_visits")
            .field("day", .string, .required)
            .field("organisation_id", .uuid, .required)
            .field("visits", .int64, .required)
            .unique(on: "day", "organisation_id")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX finder_visits_by_organisation ON finder_visits (organisation_id, day)").run()
        }
    }

    func revert(on db: any Database) async throws { try await db.schema("finder_visits").delete() }
}
