import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// `AccountRepository` on Fluent: the same code for SQLite and PostgreSQL.
package struct FluentAccountRepository: AccountRepository {
    package let storage: Storage
    package func db() -> any Database { storage.database }
    /// Transactions run through `Storage.write`: on SQLite one at a time, so
    /// a read-then-write never meets another writer's commit (busy snapshot).
    package func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T { try await storage.write(body) }

    package init(storage: Storage) { self.storage = storage }

    private func record(_ s: StaffModel, _ p: WorkProfileModel?) -> StaffRecord {
        StaffRecord(
            id: s.id!, organisationID: s.organisationID, email: s.email, passwordHash: s.passwordHash,
            role: s.roleValue, active: s.active, workName: p?.workName ?? "", workingHours: p?.workingHours ?? "")
    }

    private func withProfiles(_ staff: [StaffModel]) async throws -> [StaffRecord] {
        let ids = staff.compactMap(\.id)
        let profiles = ids.isEmpty ? [] : try await WorkProfileModel.query(on: db()).filter(\.$staffID ~~ ids).all()
        let byStaff = Dictionary(profiles.map { ($0.staffID, $0) }, uniquingKeysWith: { a, _ in a })
        return staff.map { record($0, byStaff[$0.id!]) }
    }

    package func staff(email: String) async throws -> StaffRecord? {
        guard let s = try await StaffModel.query(on: db()).filter(\.$email == email.lowercased()).first() else { return nil }
        return try await withProfiles([s]).first
    }

    package func staff(id: UUID) async throws -> StaffRecord? {
        guard let s = try await StaffModel.find(id, on: db()) else { return nil }
        return try await withProfiles([s]).first
    }

    package func staff(inOrganisations ids: [UUID]) async throws -> [StaffRecord] {
        guard !ids.isEmpty else { return [] }
        let list = try await StaffModel.query(on: db()).filter(\.$organisationID ~~ ids).sort(\.$email).all()
        return try await withProfiles(list)
    }

    package func countStaff() async throws -> Int { try await StaffModel.query(on: db()).count() }

    package func createStaff(organisationID: UUID, email: String, passwordHash: String, role: Role, workName: String, workingHours: String, at: Date)
        async throws -> StaffRecord
    {
        let email = email.lowercased()
        return try await write { tx in
            if try await StaffModel.query(on: tx).filter(\.$email == email).count() > 0 { throw AccountError.emailTaken }
            let s = StaffModel()
            s.organisationID = organisationID
            s.email = email
            s.passwordHash = passwordHash
            s.role = role.rawValue
            s.active = true
            s.createdAt = at
            try await s.create(on: tx)
            let p = WorkProfileModel()
            p.staffID = s.id!
            p.workName = workName
            p.workingHours = workingHours
            try await p.create(on: tx)
            return record(s, p)
        }
    }

    package func updateStaff(id: UUID, organisationID: UUID, role: Role, active: Bool) async throws {
        try await StaffModel.query(on: db()).filter(\.$id == id)
            .set(\.$organisationID, to: organisationID).set(\.$role, to: role.rawValue).set(\.$active, to: active).update()
    }

    package func setPassword(staffID: UUID, hash: String) async throws {
        try await StaffModel.query(on: db()).filter(\.$id == staffID).set(\.$passwordHash, to: hash).update()
    }

    package func updateWorkProfile(staffID: UUID, workName: String, workingHours: String) async throws {
        try await WorkProfileModel.query(on: db()).filter(\.$staffID == staffID)
            .set(\.$workName, to: workName).set(\.$workingHours, to: workingHours).update()
    }

    package func createSession(staffID: UUID, tokenHash: String, at: Date, expiresAt: Date) async throws -> UUID {
        let s = SessionModel()
        s.staffID = staffID
        s.tokenHash = tokenHash
        s.createdAt = at
        s.expiresAt = expiresAt
        try await s.create(on: db())
        return s.id!
    }

    package func session(tokenHash: String, now: Date) async throws -> (sessionID: UUID, staff: StaffRecord)? {
        guard let s = try await SessionModel.query(on: db()).filter(\.$tokenHash == tokenHash).filter(\.$expiresAt > now).first(),
            let staff = try await staff(id: s.staffID), staff.active
        else { return nil }
        return (s.id!, staff)
    }

    package func sessionExpiry(id: UUID) async throws -> Date? {
        try await SessionModel.query(on: db()).filter(\.$id == id).first()?.expiresAt
    }

    package func deleteSession(id: UUID) async throws {
        try await SessionModel.query(on: db()).filter(\.$id == id).delete()
    }

    package func deleteSessions(staffID: UUID) async throws {
        try await SessionModel.query(on: db()).filter(\.$staffID == staffID).delete()
    }

    package func createReset(staffID: UUID, tokenHash: String, createdBy: UUID?, expiresAt: Date) async throws {
        let r = PasswordResetModel()
        r.staffID = staffID
        r.tokenHash = tokenHash
        r.createdBy = createdBy
        r.expiresAt = expiresAt
        try await r.create(on: db())
    }

    package func reset(tokenHash: String, now: Date) async throws -> StaffRecord? {
        guard
            let r = try await PasswordResetModel.query(on: db()).filter(\.$tokenHash == tokenHash)
                .filter(\.$expiresAt > now).filter(\.$usedAt == nil).first()
        else { return nil }
        return try await staff(id: r.staffID)
    }

    package func useReset(tokenHash: String, at: Date) async throws -> Bool {
        // One conditional update: of two concurrent uses only one gets the row back.
        let sql = storage.sql
        let rows = try await sql.update(PasswordResetModel.schema)
            .set("used_at", to: at)
            .where("token_hash", .equal, tokenHash)
            .where("used_at", .is, SQLLiteral.null)
            .returning("id")
            .all()
        return rows.count == 1
    }

    package func throttle(key: String) async throws -> SignInThrottle? {
        guard let t = try await SignInThrottleModel.find(key, on: db()) else { return nil }
        return SignInThrottle(failures: t.failures, windowStart: t.windowStart, lockedUntil: t.lockedUntil)
    }

    package func saveThrottle(key: String, _ value: SignInThrottle) async throws {
        func update() async throws {
            try await SignInThrottleModel.query(on: db()).filter(\.$id == key)
                .set(\.$failures, to: value.failures).set(\.$windowStart, to: value.windowStart)
                .set(\.$lockedUntil, to: value.lockedUntil).update()
        }
        guard try await SignInThrottleModel.find(key, on: db()) == nil else { return try await update() }
        let t = SignInThrottleModel()
        t.id = key
        t.failures = value.failures
        t.windowStart = value.windowStart
        t.lockedUntil = value.lockedUntil
        do {
            try await t.create(on: db())
        } catch {
            // Two first failures at once: the other request made the row.
            try await update()
        }
    }

    package func clearThrottle(key: String) async throws {
        try await SignInThrottleModel.query(on: db()).filter(\.$id == key).delete()
    }
}
