import FluentKit
import KohtaamoBase
import SQLKit

/// Free times, weekly patterns and appointments. No foreign key to the
/// features' tables (services, staff, members): this layer sits below them,
/// and an appointment keeps its time and place when its slot is deleted.
struct CreateBookingSchema: AsyncMigration {
    var name: String { "booking.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema("booking_slots")
            .field("id", .uuid, .identifier(auto: false))
            .field("scope_id", .uuid, .required)
            .field("host_id", .uuid, .required)
            .field("start_ms", .int64, .required)
            .field("minutes", .int, .required)
            .field("place", .string, .required)
            .field("pattern_id", .uuid)
            .field("created_ms", .int64, .required)
            // A pattern's refresh may run on two nodes at once: one time per start.
            .unique(on: "host_id", "start_ms")
            .create()
        try await db.schema("booking_patterns")
            .field("id", .uuid, .identifier(auto: false))
            .field("scope_id", .uuid, .required)
            .field("host_id", .uuid, .required)
            .field("weekday", .int, .required)
            .field("start_minute", .int, .required)
            .field("minutes", .int, .required)
            .field("place", .string, .required)
            .field("from_day", .string, .required)
            .field("until_day", .string)
            /// The skipped days, `YYYY-MM-DD` separated by commas.
            .field("skipping", .string, .required)
            .field("created_ms", .int64, .required)
            .create()
        try await db.schema("booking_appointments")
            .field("id", .uuid, .identifier(auto: false))
            .field("scope_id", .uuid, .required)
            .field("host_id", .uuid, .required)
            .field("guest_id", .uuid, .required)
            .field("slot_id", .uuid, .required)
            .field("start_ms", .int64, .required)
            .field("minutes", .int, .required)
            .field("place", .string, .required)
            .field("status", .string, .required)
            .field("sequence", .int, .required)
            .field("created_ms", .int64, .required)
            .field("changed_ms", .int64, .required)
            .create()
        let sql = Storage.sql(db)
        // The rule "one booked appointment per slot" lives here, in the
        // database, so no two requests (or nodes) can both win the last time.
        try await sql.raw("CREATE UNIQUE INDEX booking_one_booked_per_slot ON booking_appointments (slot_id) WHERE status = 'booked'").run()
        try await sql.raw("CREATE INDEX booking_slots_by_scope ON booking_slots (scope_id, start_ms)").run()
        try await sql.raw("CREATE INDEX booking_patterns_by_host ON booking_patterns (host_id)").run()
        try await sql.raw("CREATE INDEX booking_appointments_by_guest ON booking_appointments (guest_id)").run()
        try await sql.raw("CREATE INDEX booking_appointments_by_host ON booking_appointments (host_id, start_ms)").run()
        try await sql.raw("CREATE INDEX booking_appointments_by_scope ON booking_appointments (scope_id, start_ms)").run()
    }

    func revert(on db: any Database) async throws {
        for schema in ["booking_appointments", "booking_patterns", "booking_slots"] { try await db.schema(schema).delete() }
    }
}

/// The migrations of the booking layer, for the app's list.
package enum BookingMigrations {
    package static let all: [any Migration] = [CreateBookingSchema()]
}

extension Booking {
    /// The same list as `BookingMigrations.all`.
    package static var migrations: [any Migration] { BookingMigrations.all }
}
