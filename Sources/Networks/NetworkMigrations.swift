import FluentKit
import KohtaamoBase
import SQLKit

/// Networks, organisations, services and their opening hours.
struct CreateNetworkSchema: AsyncMigration {
    var name: String { "network.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema(NetworkModel.schema)
            .id()
            .field("slug", .string, .required).unique(on: "slug")
            .field("name_fi", .string, .required)
            .field("name_sv", .string, .required)
            .field("name_en", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(OrganisationModel.schema)
            .id()
            .field("network_id", .uuid, .required, .references(NetworkModel.schema, .id, onDelete: .restrict))
            .field("name_fi", .string, .required)
            .field("name_sv", .string, .required)
            .field("name_en", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(ServiceModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id, onDelete: .restrict))
            .field("slug", .string, .required).unique(on: "slug")
            .field("kind", .string, .required)
            .field("name_fi", .string, .required)
            .field("name_sv", .string, .required)
            .field("name_en", .string, .required)
            .field("description_fi", .string, .required)
            .field("description_sv", .string, .required)
            .field("description_en", .string, .required)
            .field("languages", .string, .required)
            .field("is_public", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(ServiceShareModel.schema)
            .id()
            .field("service_id", .uuid, .required, .references(ServiceModel.schema, .id, onDelete: .cascade))
            .field("organisation_id", .uuid, .required, .references(OrganisationModel.schema, .id, onDelete: .cascade))
            .unique(on: "service_id", "organisation_id")
            .create()
        try await db.schema(OpeningHoursModel.schema)
            .id()
            .field("service_id", .uuid, .required, .references(ServiceModel.schema, .id, onDelete: .cascade))
            .field("weekday", .int, .required)
            .field("opens", .int, .required)
            .field("closes", .int, .required)
            .create()
        try await db.schema(OpeningExceptionModel.schema)
            .id()
            .field("service_id", .uuid, .required, .references(ServiceModel.schema, .id, onDelete: .cascade))
            .field("day", .string, .required)
            .field("opens", .int)
            .field("closes", .int)
            .field("note", .string, .required)
            .unique(on: "service_id", "day")
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in [
            OpeningExceptionModel.schema, OpeningHoursModel.schema, ServiceShareModel.schema,
            ServiceModel.schema, OrganisationModel.schema, NetworkModel.schema,
        ] {
            try await db.schema(schema).delete()
        }
    }
}

/// Referral cards per service.
struct CreateReferralCards: AsyncMigration {
    var name: String { "network.v2" }
    func prepare(on db: any Database) async throws { try await TextCardStore.createTable(NetworkFeature.referralTable, on: db) }
    func revert(on db: any Database) async throws { try await db.schema(NetworkFeature.referralTable).delete() }
}

/// A service only staff may see (a network's working group): never public.
struct AddServiceStaffOnly: AsyncMigration {
    var name: String { "network.v3" }
    func prepare(on db: any Database) async throws {
        try await Storage.sql(db).raw("ALTER TABLE services ADD COLUMN only_for_staff BOOLEAN NOT NULL DEFAULT FALSE").run()
    }
    func revert(on db: any Database) async throws { try await db.schema(ServiceModel.schema).deleteField("only_for_staff").update() }
}

package enum NetworkMigrations {
    package static let all: [any Migration] = [CreateNetworkSchema(), CreateReferralCards(), AddServiceStaffOnly()]
}
