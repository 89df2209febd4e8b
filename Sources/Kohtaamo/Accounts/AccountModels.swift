import FluentKit
import struct Foundation.Date
import struct Foundation.UUID

/// A staff account. The email and password are for signing in only; clients
/// see the work profile, never these.
public final class StaffModel: Model, @unchecked Sendable {
    public static let schema = "staff"
    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// Stored lower-cased.
    @Field(key: "email") public var email: String
    /// bcrypt; empty until the person sets a password from their link.
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: String
    @Field(key: "active") public var active: Bool
    @Field(key: "created_at") public var createdAt: Date
    public init() {}
    public var roleValue: Role { Role(rawValue: role) ?? .volunteer }
}

/// How a staff member appears to clients: a work name and working hours.
public final class WorkProfileModel: Model, @unchecked Sendable {
    public static let schema = "work_profiles"
    @ID(key: .id) public var id: UUID?
    @Field(key: "staff_id") public var staffID: UUID
    @Field(key: "work_name") public var workName: String
    /// Free text such as "Mon–Thu 9–15", shown to clients.
    @Field(key: "working_hours") public var workingHours: String
    public init() {}
}

/// A signed-in browser. Only a hash of the cookie's token is kept.
public final class SessionModel: Model, @unchecked Sendable {
    public static let schema = "sessions"
    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "staff_id") public var staffID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    public init() {}
}

/// A one-time link to set a password, made by a coordinator.
public final class PasswordResetModel: Model, @unchecked Sendable {
    public static let schema = "password_resets"
    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "staff_id") public var staffID: UUID
    @Field(key: "created_by") public var createdBy: UUID?
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?
    public init() {}
}

/// Failed sign-ins per email (hashed), kept whether or not the account
/// exists, so the lock-out reveals nothing about who has an account.
public final class SignInThrottleModel: Model, @unchecked Sendable {
    public static let schema = "sign_in_throttle"
    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "failures") public var failures: Int
    @Field(key: "window_start") public var windowStart: Date
    @OptionalField(key: "locked_until") public var lockedUntil: Date?
    public init() {}
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

public enum AccountMigrations {
    public static let all: [any Migration] = [CreateAccountsSchema(), CreateSecondFactorSchema(), CreateMemberSchema()]
}
