import FluentKit

import struct Foundation.Date
import struct Foundation.UUID

/// A registered client ("member"): a nickname and a password, an email only
/// if they want one. Nothing else is asked, so nothing else can leak.
final class MemberModel: Model, @unchecked Sendable {
    static let schema = "members"
    @ID(key: .id) var id: UUID?
    @Field(key: "nickname") var nickname: String
    /// Lower-cased nickname: two people cannot sign in as "Aino" and "aino".
    @Field(key: "nickname_key") var nicknameKey: String
    @Field(key: "password_hash") var passwordHash: String
    @OptionalField(key: "email") var email: String?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// A member's signed-in browser; only the token's hash is kept.
final class MemberSessionModel: Model, @unchecked Sendable {
    static let schema = "member_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "member_id") var memberID: UUID
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
}

struct CreateMemberSchema: AsyncMigration {
    var name: String { "accounts.v3" }

    func prepare(on db: any Database) async throws {
        try await db.schema(MemberModel.schema)
            .id()
            .field("nickname", .string, .required)
            .field("nickname_key", .string, .required).unique(on: "nickname_key")
            .field("password_hash", .string, .required)
            .field("email", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(MemberSessionModel.schema)
            .id()
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("member_id", .uuid, .required, .references(MemberModel.schema, .id, onDelete: .cascade))
            .field("expires_at", .datetime, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(MemberSessionModel.schema).delete()
        try await db.schema(MemberModel.schema).delete()
    }
}
