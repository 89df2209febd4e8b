import KohtaamoBase

import struct Foundation.Data
import struct Foundation.Date
import struct Foundation.UUID

/// A staff member as the rest of the product sees them.
package struct StaffRecord: Sendable, Equatable {
    package var id: UUID
    package var organisationID: UUID
    package var email: String
    package var passwordHash: String
    package var role: Role
    package var active: Bool
    package var workName: String
    package var workingHours: String
}

package struct SignInThrottle: Sendable {
    package var failures: Int
    package var windowStart: Date
    package var lockedUntil: Date?
}

/// Storage of staff accounts, sessions, reset links, the sign-in throttle
/// and second factors: every concern below, as one Fluent type implements
/// them (`FluentAccountRepository`). A part that needs one concern asks for that protocol.
package typealias AccountRepository = StaffRepository & StaffSessionRepository & PasswordResetRepository & SignInThrottleRepository
    & SecondFactorRepository

/// Staff members and their work profiles.
package protocol StaffRepository: Sendable {
    func staff(email: String) async throws -> StaffRecord?
    func staff(id: UUID) async throws -> StaffRecord?
    func staff(inOrganisations ids: [UUID]) async throws -> [StaffRecord]
    func countStaff() async throws -> Int
    /// Fails with `AccountError.emailTaken` when the email is in use.
    func createStaff(organisationID: UUID, email: String, passwordHash: String, role: Role, workName: String, workingHours: String, at: Date)
        async throws -> StaffRecord
    func updateStaff(id: UUID, organisationID: UUID, role: Role, active: Bool) async throws
    func setPassword(staffID: UUID, hash: String) async throws
    func updateWorkProfile(staffID: UUID, workName: String, workingHours: String) async throws
}

/// Signed-in staff.
package protocol StaffSessionRepository: Sendable {
    func createSession(staffID: UUID, tokenHash: String, at: Date, expiresAt: Date) async throws -> UUID
    /// The live session with this token hash and its (active) staff member.
    func session(tokenHash: String, now: Date) async throws -> (sessionID: UUID, staff: StaffRecord)?
    /// When the session runs out (nil: no such session).
    func sessionExpiry(id: UUID) async throws -> Date?
    func deleteSession(id: UUID) async throws
    func deleteSessions(staffID: UUID) async throws
}

/// Links that set a password.
package protocol PasswordResetRepository: Sendable {
    func createReset(staffID: UUID, tokenHash: String, createdBy: UUID?, expiresAt: Date) async throws
    /// The staff member of an unused, unexpired reset link.
    func reset(tokenHash: String, now: Date) async throws -> StaffRecord?
    /// Marks the link used; false if it was used meanwhile (one wins).
    func useReset(tokenHash: String, at: Date) async throws -> Bool
}

/// Failed sign-ins per key, and the lock they lead to.
package protocol SignInThrottleRepository: Sendable {
    func throttle(key: String) async throws -> SignInThrottle?
    func saveThrottle(key: String, _ value: SignInThrottle) async throws
    func clearThrottle(key: String) async throws
}

/// Second factor (TOTP), its recovery codes, the organisations' rule and
/// the sign-in challenge between password and code.
package protocol SecondFactorRepository: Sendable {
    func secondFactor(staffID: UUID) async throws -> StoredSecondFactor?
    /// Staff among these whose second factor is on (confirmed).
    func withSecondFactor(_ staff: [UUID]) async throws -> Set<UUID>
    /// A new unconfirmed secret in place of any earlier unconfirmed one.
    func saveSecondFactor(staffID: UUID, sealed: Data, wrappedKey: Data, masterKeyID: String, at: Date) async throws
    /// Turns it on, with its first accepted step and a fresh set of recovery codes.
    func confirmSecondFactor(staffID: UUID, step: Int64, recoveryHashes: [String], at: Date) async throws
    /// Accepts a code's step once: false if this step or a later one was used.
    func useStep(staffID: UUID, step: Int64) async throws -> Bool
    /// Marks an unused recovery code used; false if there was none (one wins).
    func useRecoveryCode(staffID: UUID, hash: String, at: Date) async throws -> Bool
    func replaceRecoveryCodes(staffID: UUID, hashes: [String]) async throws
    func unusedRecoveryCodes(staffID: UUID) async throws -> Int
    func deleteSecondFactor(staffID: UUID) async throws
    func secondFactorRequired(organisation: UUID) async throws -> Bool
    func setSecondFactorRequired(organisation: UUID, _ required: Bool) async throws

    func createChallenge(staffID: UUID, tokenHash: String, expiresAt: Date) async throws
    /// The staff member of a live challenge, without using it up.
    func challenge(tokenHash: String, now: Date) async throws -> UUID?
    /// Removes the challenge; false if it was already gone (one wins).
    func deleteChallenge(tokenHash: String) async throws -> Bool
}

/// A stored TOTP secret, still sealed.
package struct StoredSecondFactor: Sendable {
    package var sealed: Data
    package var wrappedKey: Data
    package var confirmed: Bool
    package var lastStep: Int64
}

package enum AccountError: Error, Sendable {
    case emailTaken
}
