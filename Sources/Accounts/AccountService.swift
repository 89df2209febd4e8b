import Foundation
import HummingbirdBcrypt
import KohtaamoBase
import NIOPosix

/// Sign-in, sessions, password links and the lock-out: the rules of staff
/// accounts, apart from how they are stored and shown.
package struct AccountService: Sendable {
    /// Controllers ask the service (the thin reads at the end), not this;
    /// package for the app's setup and its staff directory (Sources/Kohtaamo/App).
    package let repository: any AccountRepository
    package let clock: AppClock
    /// bcrypt work factor: 12 in production, lower in tests.
    package let bcryptCost: UInt8
    package let sessionLifetime: TimeInterval
    /// Sign-ins, failed ones and lock-outs of staff accounts are recorded here.
    package let audit: AuditLog?
    /// Seals the second factor's secrets under the master key.
    package let sealer: Sealer
    /// Told when sign-ins end (a session, or every session of a person when
    /// nil), so their open sockets close too.
    package let sessionEnded: @Sendable (_ staff: UUID, _ session: UUID?) async -> Void

    /// Five wrong passwords within 15 minutes lock the email for 15 minutes.
    package static let maxFailures = 5
    package static let window: TimeInterval = 15 * 60
    package static let lockDuration: TimeInterval = 15 * 60
    package static let resetLifetime: TimeInterval = 72 * 3600
    package static let minPasswordLength = 10

    package init(
        repository: any AccountRepository, sealer: Sealer, clock: AppClock, bcryptCost: UInt8 = 12, sessionLifetime: TimeInterval = 12 * 3600,
        audit: AuditLog? = nil, sessionEnded: @escaping @Sendable (_ staff: UUID, _ session: UUID?) async -> Void = { _, _ in }
    ) {
        self.repository = repository
        self.sealer = sealer
        self.audit = audit
        self.sessionEnded = sessionEnded
        self.clock = clock
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
    }

    package enum SignInResult: Sendable {
        case success(token: String, staff: StaffRecord)
        /// Wrong email or password: the same answer whether or not the account exists.
        case invalid
        /// The password was right; a code from the person's app is needed.
        /// `challenge` carries the sign-in to its second step.
        case needsCode(challenge: String)
        /// The password was right, but the organisation requires a second
        /// factor and the person has none yet: they set it up first.
        case needsSetup(challenge: String, staff: StaffRecord)
        /// The second factor's code was wrong, used already, or the sign-in ran out.
        case invalidCode
        /// Too many failures; try again after this many seconds.
        case locked(retryAfter: Int)
    }

    static func throttleKey(_ email: String) -> String { Tokens.hash("signin:" + email) }

    /// Signs in with email and password, and the second factor's `code`
    /// when it is on (the JSON sign-in sends all at once; the form asks for
    /// the code on a page of its own, through the challenge).
    package func signIn(email rawEmail: String, password: String, code: String? = nil) async throws -> SignInResult {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let key = Self.throttleKey(email)
        let staff = try await repository.staff(email: email)
        if let locked = try await lockedFor(key: key, staff) { return locked }
        let hash = staff.flatMap { $0.passwordHash.isEmpty ? nil : $0.passwordHash }
        let matches = try await verify(password, hash: hash)
        guard let staff, staff.active, !staff.passwordHash.isEmpty, matches else {
            return try await failed(key: key, staff, "signin.failed", .invalid)
        }
        switch try await secondStep(for: staff) {
        case .code?:
            guard let code, !code.isEmpty else { return .needsCode(challenge: try await makeChallenge(staff)) }
            guard try await acceptCode(code, staff: staff) else { return try await failed(key: key, staff, "signin.code_failed", .invalidCode) }
        case .setUp?:
            return .needsSetup(challenge: try await makeChallenge(staff), staff: staff)
        case nil:
            break
        }
        return try await startSession(staff)
    }

    /// The second step of a form sign-in: the code for the challenge.
    package func signIn(challenge: String, code: String) async throws -> SignInResult {
        guard let staffID = try await repository.challenge(tokenHash: Tokens.hash(challenge), now: clock.now),
            let staff = try await repository.staff(id: staffID), staff.active
        else { return .invalidCode }
        let key = Self.throttleKey(staff.email)
        if let locked = try await lockedFor(key: key, staff) {
            _ = try await repository.deleteChallenge(tokenHash: Tokens.hash(challenge))
            return locked
        }
        guard try await acceptCode(code, staff: staff) else {
            let result = try await failed(key: key, staff, "signin.code_failed", .invalidCode)
            if case .locked = result { _ = try await repository.deleteChallenge(tokenHash: Tokens.hash(challenge)) }
            return result
        }
        guard try await repository.deleteChallenge(tokenHash: Tokens.hash(challenge)) else { return .invalidCode }
        return try await startSession(staff)
    }

    /// The person of a live challenge whose next step is setting up the second factor.
    package func challengedStaff(_ challenge: String) async throws -> StaffRecord? {
        guard let id = try await repository.challenge(tokenHash: Tokens.hash(challenge), now: clock.now),
            let staff = try await repository.staff(id: id), staff.active
        else { return nil }
        return staff
    }

    /// Ends a challenge whose second factor was just set up with a session.
    package func completeSetUp(challenge: String, staff: StaffRecord) async throws -> SignInResult {
        guard try await repository.deleteChallenge(tokenHash: Tokens.hash(challenge)) else { return .invalidCode }
        return try await startSession(staff)
    }

    private func makeChallenge(_ staff: StaffRecord) async throws -> String {
        let token = Tokens.random()
        try await repository.createChallenge(
            staffID: staff.id, tokenHash: Tokens.hash(token), expiresAt: clock.now.addingTimeInterval(Self.challengeLifetime))
        return token
    }

    private func startSession(_ staff: StaffRecord) async throws -> SignInResult {
        let now = clock.now
        try await repository.clearThrottle(key: Self.throttleKey(staff.email))
        let token = Tokens.random()
        _ = try await repository.createSession(
            staffID: staff.id, tokenHash: Tokens.hash(token), at: now, expiresAt: now.addingTimeInterval(sessionLifetime))
        try await record(staff, "signin")
        return .success(token: token, staff: staff)
    }

    func lockedFor(key: String, _ staff: StaffRecord?) async throws -> SignInResult? {
        let now = clock.now
        guard let t = try await repository.throttle(key: key), let until = t.lockedUntil, until > now else { return nil }
        try await record(staff, "signin.locked")
        return .locked(retryAfter: Int(until.timeIntervalSince(now).rounded(.up)))
    }

    /// A wrong password or code: counted per email, the fifth in the window locks it.
    package func failed(key: String, _ staff: StaffRecord?, _ action: String, _ result: SignInResult) async throws -> SignInResult {
        let now = clock.now
        var t = try await repository.throttle(key: key) ?? SignInThrottle(failures: 0, windowStart: now, lockedUntil: nil)
        if now.timeIntervalSince(t.windowStart) > Self.window { t = SignInThrottle(failures: 0, windowStart: now, lockedUntil: nil) }
        t.failures += 1
        if t.failures >= Self.maxFailures {
            t.lockedUntil = now.addingTimeInterval(Self.lockDuration)
            try await repository.saveThrottle(key: key, t)
            try await record(staff, "signin.locked")
            return .locked(retryAfter: Int(Self.lockDuration))
        }
        try await repository.saveThrottle(key: key, t)
        try await record(staff, action)
        return result
    }

    /// A sign-in event of an existing account (an unknown email belongs to no
    /// organisation's log). Never an address: the product does not know it.
    package func record(_ staff: StaffRecord?, _ action: String) async throws {
        guard let audit, let staff else { return }
        try await audit.record(
            .init(
                at: clock.now, staffID: staff.id, staffName: staff.workName, organisationID: staff.organisationID,
                action: action, target: staff.workName))
    }

    package func signOut(staffID: UUID, sessionID: UUID) async throws {
        try await repository.deleteSession(id: sessionID)
        await sessionEnded(staffID, sessionID)
    }

    /// Ends every sign-in of the person (deactivated, new password).
    package func endSessions(staffID: UUID) async throws {
        try await repository.deleteSessions(staffID: staffID)
        await sessionEnded(staffID, nil)
    }

    package func session(token: String) async throws -> (sessionID: UUID, staff: StaffRecord)? {
        try await repository.session(tokenHash: Tokens.hash(token), now: clock.now)
    }

    /// How long a session has left by this service's clock (nil: none).
    package func remaining(session: UUID) async throws -> TimeInterval? {
        try await repository.sessionExpiry(id: session).map { $0.timeIntervalSince(clock.now) }
    }

    /// Makes a one-time link token for setting a password; only its hash is stored.
    package func makeResetToken(staffID: UUID, createdBy: UUID?) async throws -> String {
        let token = Tokens.random()
        try await repository.createReset(
            staffID: staffID, tokenHash: Tokens.hash(token), createdBy: createdBy,
            expiresAt: clock.now.addingTimeInterval(Self.resetLifetime))
        return token
    }

    /// Sets a new password from a reset link; ends the person's other
    /// sessions and lifts a lock-out. False if the link is no longer valid.
    package func completeReset(token: String, newPassword: String) async throws -> Bool {
        let tokenHash = Tokens.hash(token)
        guard let staff = try await repository.reset(tokenHash: tokenHash, now: clock.now),
            try await repository.useReset(tokenHash: tokenHash, at: clock.now)
        else { return false }
        try await repository.setPassword(staffID: staff.id, hash: try await hash(newPassword))
        try await endSessions(staffID: staff.id)
        try await repository.clearThrottle(key: Self.throttleKey(staff.email))
        return true
    }

    /// bcrypt is slow on purpose; it runs on its own threads (`PasswordHashing`).
    package func hash(_ password: String) async throws -> String {
        try await PasswordHashing.hash(password, cost: bcryptCost)
    }

    /// A nil `hash` (no such person) is checked against a dummy, taking as long.
    func verify(_ password: String, hash: String?) async throws -> Bool {
        try await PasswordHashing.verify(password, hash: hash)
    }

    /// Password rule: at least 10 characters, at most 200. Returns a catalogue key or nil.
    package static func passwordProblem(_ password: String) -> String? {
        if password.unicodeScalars.count < minPasswordLength { return "error_password_short" }
        if password.unicodeScalars.count > 200 { return "error_password_long" }
        return nil
    }
}

// What the pages read and set besides the rules above: each asks the
// repository as it is, so controllers need nothing but the service.
extension AccountService {
    package func staff(id: UUID) async throws -> StaffRecord? { try await repository.staff(id: id) }
    package func staff(inOrganisations ids: [UUID]) async throws -> [StaffRecord] { try await repository.staff(inOrganisations: ids) }
    /// Fails with `AccountError.emailTaken` when the email is in use.
    package func createStaff(
        organisationID: UUID, email: String, passwordHash: String, role: Role, workName: String, workingHours: String, at: Date
    ) async throws -> StaffRecord {
        try await repository.createStaff(
            organisationID: organisationID, email: email, passwordHash: passwordHash, role: role, workName: workName, workingHours: workingHours,
            at: at)
    }
    package func updateStaff(id: UUID, organisationID: UUID, role: Role, active: Bool) async throws {
        try await repository.updateStaff(id: id, organisationID: organisationID, role: role, active: active)
    }
    package func setPassword(staffID: UUID, hash: String) async throws { try await repository.setPassword(staffID: staffID, hash: hash) }
    package func updateWorkProfile(staffID: UUID, workName: String, workingHours: String) async throws {
        try await repository.updateWorkProfile(staffID: staffID, workName: workName, workingHours: workingHours)
    }
    /// The staff member of an unused, unexpired reset link.
    package func reset(tokenHash: String, now: Date) async throws -> StaffRecord? { try await repository.reset(tokenHash: tokenHash, now: now) }
    package func clearThrottle(key: String) async throws { try await repository.clearThrottle(key: key) }
    package func secondFactor(staffID: UUID) async throws -> StoredSecondFactor? { try await repository.secondFactor(staffID: staffID) }
    /// Staff among these whose second factor is on (confirmed).
    package func withSecondFactor(_ staff: [UUID]) async throws -> Set<UUID> { try await repository.withSecondFactor(staff) }
    package func unusedRecoveryCodes(staffID: UUID) async throws -> Int { try await repository.unusedRecoveryCodes(staffID: staffID) }
    package func secondFactorRequired(organisation: UUID) async throws -> Bool {
        try await repository.secondFactorRequired(organisation: organisation)
    }
    package func setSecondFactorRequired(organisation: UUID, _ required: Bool) async throws {
        try await repository.setSecondFactorRequired(organisation: organisation, required)
    }
}
