import FluentKit

import struct Foundation.Data
import struct Foundation.Date
import struct Foundation.UUID

/// A staff member's TOTP secret (RFC 6238). The secret is sealed under its
/// own data key, wrapped by the master key like every other data key, so a
/// copied database cannot make codes. Unconfirmed until the first right code.
final class SecondFactorModel: Model, @unchecked Sendable {
    static let schema = "second_factors"
    @ID(custom: "staff_id", generatedBy: .user) var id: UUID?
    @Field(key: "secret_sealed") var secretSealed: Data
    @Field(key: "wrapped_key") var wrappedKey: Data
    @Field(key: "master_key_id") var masterKeyID: String
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    /// The newest 30-second step a code was accepted for: a code works once.
    @Field(key: "last_step") var lastStep: Int64
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// One-time codes for when the phone is lost; only their hashes are kept.
final class RecoveryCodeModel: Model, @unchecked Sendable {
    static let schema = "recovery_codes"
    @ID(key: .id) var id: UUID?
    @Field(key: "staff_id") var staffID: UUID
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}

/// A sign-in whose password was right and whose second step (a code, or
/// setting up the second factor) is still to come. Lives 10 minutes.
final class SignInChallengeModel: Model, @unchecked Sendable {
    static let schema = "sign_in_challenges"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "staff_id") var staffID: UUID
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
}

/// An organisation's rule that everyone in it signs in with a second factor.
final class SecondFactorPolicyModel: Model, @unchecked Sendable {
    static let schema = "second_factor_policies"
    @ID(custom: "organisation_id", generatedBy: .user) var id: UUID?
    @Field(key: "required") var required: Bool
    init() {}
}

struct CreateSecondFactorSchema: AsyncMigration {
    var name: String { "accounts.v2" }

    func prepare(on db: any Database) async throws {
        try await db.schema(SecondFactorModel.schema)
            .field("staff_id", .uuid, .identifier(auto: false), .references(StaffModel.schema, .id, onDelete: .cascade))
            .field("secret_sealed", .data, .required)
            .field("wrapped_key", .data, .required)
            .field("master_key_id", .string, .required)
            .field("confirmed_at", .datetime)
            .field("last_step", .int64, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(RecoveryCodeModel.schema)
            .id()
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, .id, onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .unique(on: "staff_id", "code_hash")
            .create()
        try await db.schema(SignInChallengeModel.schema)
            .id()
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("staff_id", .uuid, .required, .references(StaffModel.schema, .id, onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .create()
        try await db.schema(SecondFactorPolicyModel.schema)
            .field("organisation_id", .uuid, .identifier(auto: false), .references("organisations", .id, onDelete: .cascade))
            .field("required", .bool, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in [SecondFactorPolicyModel.schema, SignInChallengeModel.schema, RecoveryCodeModel.schema, SecondFactorModel.schema] {
            try await db.schema(schema).delete()
        }
    }
}
