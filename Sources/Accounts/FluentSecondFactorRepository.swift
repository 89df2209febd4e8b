import FluentKit
import Foundation
import KohtaamoBase
import SQLKit

/// The second-factor part of `AccountRepository` on Fluent (SQLite and PostgreSQL).
extension FluentAccountRepository {
    /// Data keys `kohtaamo rotate-key` re-wraps.
    package static let wrappedKeys = WrappedKeyTable(table: SecondFactorModel.schema, wrappedColumn: "wrapped_key", idColumns: ["staff_id"])

    package func secondFactor(staffID: UUID) async throws -> StoredSecondFactor? {
        try await SecondFactorModel.find(staffID, on: db()).map {
            StoredSecondFactor(sealed: $0.secretSealed, wrappedKey: $0.wrappedKey, confirmed: $0.confirmedAt != nil, lastStep: $0.lastStep)
        }
    }

    package func withSecondFactor(_ staff: [UUID]) async throws -> Set<UUID> {
        guard !staff.isEmpty else { return [] }
        return Set(try await SecondFactorModel.query(on: db()).filter(\.$id ~~ staff).filter(\.$confirmedAt != nil).all().compactMap(\.id))
    }

    package func saveSecondFactor(staffID: UUID, sealed: Data, wrappedKey: Data, masterKeyID: String, at: Date) async throws {
        try await write { tx in
            // A confirmed factor is never replaced here: it is turned off first.
            try await SecondFactorModel.query(on: tx).filter(\.$id == staffID).filter(\.$confirmedAt == nil).delete()
            let f = SecondFactorModel()
            f.id = staffID
            f.secretSealed = sealed
            f.wrappedKey = wrappedKey
            f.masterKeyID = masterKeyID
            f.lastStep = 0
            f.createdAt = at
            try await f.create(on: tx)
        }
    }

    package func confirmSecondFactor(staffID: UUID, step: Int64, recoveryHashes: [String], at: Date) async throws {
        try await write { tx in
            try await SecondFactorModel.query(on: tx).filter(\.$id == staffID)
                .set(\.$confirmedAt, to: at).set(\.$lastStep, to: step).update()
            try await Self.replaceCodes(staffID: staffID, hashes: recoveryHashes, on: tx)
        }
    }

    package func useStep(staffID: UUID, step: Int64) async throws -> Bool {
        // One conditional update: two requests with the same code, one wins.
        try await storage.sql.update(SecondFactorModel.schema).set("last_step", to: step)
            .where("staff_id", .equal, staffID).where("last_step", .lessThan, step).where("confirmed_at", .isNot, SQLLiteral.null)
            .returning("staff_id").all().count == 1
    }

    package func useRecoveryCode(staffID: UUID, hash: String, at: Date) async throws -> Bool {
        try await storage.sql.update(RecoveryCodeModel.schema).set("used_at", to: at)
            .where("staff_id", .equal, staffID).where("code_hash", .equal, hash).where("used_at", .is, SQLLiteral.null)
            .returning("id").all().count == 1
    }

    package func replaceRecoveryCodes(staffID: UUID, hashes: [String]) async throws {
        try await write { tx in try await Self.replaceCodes(staffID: staffID, hashes: hashes, on: tx) }
    }

    private static func replaceCodes(staffID: UUID, hashes: [String], on db: any Database) async throws {
        try await RecoveryCodeModel.query(on: db).filter(\.$staffID == staffID).delete()
        for hash in hashes {
            let c = RecoveryCodeModel()
            c.staffID = staffID
            c.codeHash = hash
            try await c.create(on: db)
        }
    }

    package func unusedRecoveryCodes(staffID: UUID) async throws -> Int {
        try await RecoveryCodeModel.query(on: db()).filter(\.$staffID == staffID).filter(\.$usedAt == nil).count()
    }

    package func deleteSecondFactor(staffID: UUID) async throws {
        try await write { tx in
            try await RecoveryCodeModel.query(on: tx).filter(\.$staffID == staffID).delete()
            try await SecondFactorModel.query(on: tx).filter(\.$id == staffID).delete()
        }
    }

    package func secondFactorRequired(organisation: UUID) async throws -> Bool {
        try await SecondFactorPolicyModel.find(organisation, on: db())?.required ?? false
    }

    package func setSecondFactorRequired(organisation: UUID, _ required: Bool) async throws {
        try await write { tx in
            try await SecondFactorPolicyModel.query(on: tx).filter(\.$id == organisation).delete()
            let p = SecondFactorPolicyModel()
            p.id = organisation
            p.required = required
            try await p.create(on: tx)
        }
    }

    package func createChallenge(staffID: UUID, tokenHash: String, expiresAt: Date) async throws {
        // A new sign-in replaces the person's earlier unfinished one.
        try await SignInChallengeModel.query(on: db()).filter(\.$staffID == staffID).delete()
        let c = SignInChallengeModel()
        c.staffID = staffID
        c.tokenHash = tokenHash
        c.expiresAt = expiresAt
        try await c.create(on: db())
    }

    package func challenge(tokenHash: String, now: Date) async throws -> UUID? {
        try await SignInChallengeModel.query(on: db()).filter(\.$tokenHash == tokenHash).filter(\.$expiresAt > now).first()?.staffID
    }

    package func deleteChallenge(tokenHash: String) async throws -> Bool {
        try await storage.sql.delete(from: SignInChallengeModel.schema).where("token_hash", .equal, tokenHash)
            .returning("id").all().count == 1
    }
}
