import FluentKit
import Foundation
import KohtaamoBase

/// A member as the product sees them.
package struct MemberRecord: Sendable, Equatable {
    package var id: UUID
    package var nickname: String
    package var email: String?
    package var createdAt: Date
}

/// Registered clients: sign-up with a nickname and password, sign-in (with
/// the staff sign-in's lock-out rules), sessions, and erasing the account.
package struct MemberService: Sendable {
    package let storage: Storage
    package func db() -> any Database { storage.database }
    /// Transactions run through `Storage.write`: on SQLite one at a time, so
    /// a read-then-write never meets another writer's commit (busy snapshot).
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T { try await storage.write(body) }
    package let accounts: AccountService
    /// Told when a member's sign-in ends (one session, or all when nil), so their sockets close.
    package let sessionEnded: @Sendable (_ member: UUID, _ session: UUID?) async -> Void
    package static let cookieName = "k_member"
    package static let sessionLifetime: TimeInterval = 30 * 24 * 3600

    package init(
        storage: Storage, accounts: AccountService,
        sessionEnded: @escaping @Sendable (_ member: UUID, _ session: UUID?) async -> Void = { _, _ in }
    ) {
        self.storage = storage
        self.accounts = accounts
        self.sessionEnded = sessionEnded
    }

    package static func key(_ nickname: String) -> String { nickname.trimmingCharacters(in: .whitespaces).lowercased() }

    /// Nickname: 2–30 characters of plain text. Returns a catalogue key or nil.
    package static func nicknameProblem(_ nickname: String) -> String? {
        let n = nickname.trimmingCharacters(in: .whitespaces)
        return Validate.length(n, 2...30) && Validate.plainLine(n) ? nil : "error_member_nickname"
    }

    package enum SignUpResult: Sendable { case created(token: String, member: MemberRecord), nicknameTaken }

    package func signUp(nickname raw: String, password: String, email: String?) async throws -> SignUpResult {
        let nickname = raw.trimmingCharacters(in: .whitespaces)
        let m = MemberModel()
        m.nickname = nickname
        m.nicknameKey = Self.key(nickname)
        m.passwordHash = try await accounts.hash(password)
        m.email = email.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        m.createdAt = accounts.clock.now
        let taken = try await write { tx -> Bool in
            if try await MemberModel.query(on: tx).filter(\.$nicknameKey == m.nicknameKey).count() > 0 { return true }
            try await m.create(on: tx)
            return false
        }
        if taken { return .nicknameTaken }
        return .created(token: try await startSession(m.id!), member: Self.record(m))
    }

    /// A demo member with a ready password hash and a session (the room benchmark makes hundreds).
    package func makeDemoMember(nickname: String, passwordHash: String) async throws -> (id: UUID, token: String) {
        let m = MemberModel()
        m.nickname = nickname
        m.nicknameKey = Self.key(nickname)
        m.passwordHash = passwordHash
        m.createdAt = accounts.clock.now
        try await m.create(on: db())
        return (m.id!, try await startSession(m.id!))
    }

    package enum SignInResult: Sendable { case success(token: String), invalid, locked(retryAfter: Int) }

    package func signIn(nickname: String, password: String) async throws -> SignInResult {
        let key = Tokens.hash("member:" + Self.key(nickname))
        if case .locked(let after)? = try await accounts.lockedFor(key: key, nil) { return .locked(retryAfter: after) }
        let m = try await MemberModel.query(on: db()).filter(\.$nicknameKey == Self.key(nickname)).first()
        let matches = try await accounts.verify(password, hash: m?.passwordHash)
        guard let m, matches else {
            if case .locked(let after) = try await accounts.failed(key: key, nil, "", .invalid) { return .locked(retryAfter: after) }
            return .invalid
        }
        try await accounts.clearThrottle(key: key)
        return .success(token: try await startSession(m.id!))
    }

    private func startSession(_ member: UUID) async throws -> String {
        let token = Tokens.random()
        let s = MemberSessionModel()
        s.tokenHash = Tokens.hash(token)
        s.memberID = member
        s.expiresAt = accounts.clock.now.addingTimeInterval(Self.sessionLifetime)
        try await s.create(on: db())
        return token
    }

    package func session(token: String) async throws -> (sessionID: UUID, member: MemberRecord)? {
        guard token.count < 200,
            let s = try await MemberSessionModel.query(on: db()).filter(\.$tokenHash == Tokens.hash(token)).filter(\.$expiresAt > accounts.clock.now)
                .first(),
            let m = try await MemberModel.find(s.memberID, on: db())
        else { return nil }
        return (s.id!, Self.record(m))
    }

    package func member(id: UUID) async throws -> MemberRecord? { try await MemberModel.find(id, on: db()).map(Self.record) }

    package func checkPassword(member: UUID, _ password: String) async throws -> Bool {
        guard let m = try await MemberModel.find(member, on: db()) else { return false }
        return try await accounts.verify(password, hash: m.passwordHash)
    }

    package func signOut(member: UUID, session: UUID) async throws {
        try await MemberSessionModel.query(on: db()).filter(\.$id == session).delete()
        await sessionEnded(member, session)
    }

    /// How long a member's session has left (nil: none).
    package func remaining(session: UUID) async throws -> TimeInterval? {
        try await MemberSessionModel.find(session, on: db()).map { $0.expiresAt.timeIntervalSince(accounts.clock.now) }
    }

    /// The account and its sessions go; what features kept is erased first by the caller.
    package func erase(member: UUID) async throws {
        try await write { tx in
            try await MemberSessionModel.query(on: tx).filter(\.$memberID == member).delete()
            try await MemberModel.query(on: tx).filter(\.$id == member).delete()
        }
        await sessionEnded(member, nil)
    }

    static func record(_ m: MemberModel) -> MemberRecord {
        MemberRecord(id: m.id!, nickname: m.nickname, email: m.email, createdAt: m.createdAt)
    }
}
