import FluentKit
import KohtaamoBase

import struct Foundation.Date
import struct Foundation.UUID

/// A staff account. The email and password are for signing in only; clients
/// see the work profile, never these.
package final class StaffModel: Model, @unchecked Sendable {
    package static let schema = "staff"
    @ID(key: .id) package var id: UUID?
    @Field(key: "organisation_id") package var organisationID: UUID
    /// Stored lower-cased.
    @Field(key: "email") package var email: String
    /// bcrypt; empty until the person sets a password from their link.
    @Field(key: "password_hash") package var passwordHash: String
    @Field(key: "role") package var role: String
    @Field(key: "active") package var active: Bool
    @Field(key: "created_at") package var createdAt: Date
    package init() {}
    package var roleValue: Role { Role(rawValue: role) ?? .volunteer }
}

/// How a staff member appears to clients: a work name and working hours.
package final class WorkProfileModel: Model, @unchecked Sendable {
    package static let schema = "work_profiles"
    @ID(key: .id) package var id: UUID?
    @Field(key: "staff_id") package var staffID: UUID
    @Field(key: "work_name") package var workName: String
    /// Free text such as "Mon–Thu 9–15", shown to clients.
    @Field(key: "working_hours") package var workingHours: String
    package init() {}
}

/// A signed-in browser. Only a hash of the cookie's token is kept.
package final class SessionModel: Model, @unchecked Sendable {
    package static let schema = "sessions"
    @ID(key: .id) package var id: UUID?
    @Field(key: "token_hash") package var tokenHash: String
    @Field(key: "staff_id") package var staffID: UUID
    @Field(key: "created_at") package var createdAt: Date
    @Field(key: "expires_at") package var expiresAt: Date
    package init() {}
}

/// A one-time link to set a password, made by a coordinator.
package final class PasswordResetModel: Model, @unchecked Sendable {
    package static let schema = "password_resets"
    @ID(key: .id) package var id: UUID?
    @Field(key: "token_hash") package var tokenHash: String
    @Field(key: "staff_id") package var staffID: UUID
    @Field(key: "created_by") package var createdBy: UUID?
    @Field(key: "expires_at") package var expiresAt: Date
    @OptionalField(key: "used_at") package var usedAt: Date?
    package init() {}
}

/// Failed sign-ins per email (hashed), kept whether or not the account
/// exists, so the lock-out reveals nothing about who has an account.
package final class SignInThrottleModel: Model, @unchecked Sendable {
    package static let schema = "sign_in_throttle"
    @ID(custom: "key", generatedBy: .user) package var id: String?
    @Field(key: "failures") package var failures: Int
    @Field(key: "window_start") package var windowStart: Date
    @OptionalField(key: "locked_until") package var lockedUntil: Date?
    package init() {}
}

struct CreateAccountsSchema: AsyncMigration {
    var name: String { "accounts.v1" }

    func prepare(on db: any Database) async throws {
        try await db.schema(StaffModel.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references("organisations", .id, onDelete: .restrict))
            .field("email", .string, .required).unique(on: "email")
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(WorkProfileModel.schema)
            .id()
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, .id, onDelete: .cascade))
            .field("work_name", .string, .required)
            .field("working_hours", .string, .required)
            .unique(on: "staff_id")
            .create()
        try await db.schema(SessionModel.schema)
            .id()
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
        try await db.schema(PasswordResetModel.schema)
            .id()
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, .id, onDelete: .cascade))
            .field("created_by", .uuid)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .create()
        try await db.schema(SignInThrottleModel.schema)
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("window_start", .datetime, .required)
            .field("locked_until", .datetime)
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in [SignInThrottleModel.schema, PasswordResetModel.schema, SessionModel.schema, WorkProfileModel.schema, StaffModel.schema] {
            try await db.schema(schema).delete()
        }
    }
}

package enum AccountMigrations {
    package static let all: [any Migration] = [CreateAccountsSchema(), CreateSecondFactorSchema(), CreateMemberSchema()]
}
