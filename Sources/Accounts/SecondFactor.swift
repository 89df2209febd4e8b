import Foundation
import HummingbirdOTP
import KohtaamoBase

/// The staff second factor: TOTP codes (RFC 6238, 30-second steps, six
/// digits, as every authenticator app makes them) and one-time recovery codes.
extension AccountService {
    package static let issuer = "Kohtaamo"
    package static let recoveryCodeCount = 10
    package static let challengeLifetime: TimeInterval = 10 * 60
    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    /// No 0/o, 1/l/i: recovery codes are read off paper.
    static let recoveryAlphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// What the setup page shows: the secret for typing in, and the link the QR code carries.
    package struct SecondFactorSetup: Sendable {
        /// Base32, as authenticator apps take it, in groups of four.
        package var typedSecret: String
        package var url: String
    }

    /// The person's unconfirmed secret, or a new one: reloading the setup
    /// page keeps the secret already scanned.
    package func startSecondFactor(staff: StaffRecord) async throws -> SecondFactorSetup? {
        let secret: String
        if let stored = try await repository.secondFactor(staffID: staff.id) {
            if stored.confirmed { return nil }
            secret = try open(stored, staffID: staff.id)
        } else {
            var generator = SystemRandomNumberGenerator()
            secret = String((0..<20).map { _ in Self.secretAlphabet.randomElement(using: &generator)! })
            let (key, wrapped, masterKeyID) = try sealer.newDataKey()
            try await repository.saveSecondFactor(
                staffID: staff.id, sealed: try sealer.seal(secret, key: key, conversation: staff.id, seq: 0),
                wrappedKey: wrapped, masterKeyID: masterKeyID, at: clock.now)
        }
        let url = TOTP(secret: secret).createAuthenticatorURL(label: "\(Self.issuer):\(staff.email)", issuer: Self.issuer)
        let base32 = URLComponents(string: url)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
        let grouped = stride(from: 0, to: base32.count, by: 4).map { i -> String in
            let start = base32.index(base32.startIndex, offsetBy: i)
            return String(base32[start..<(base32.index(start, offsetBy: 4, limitedBy: base32.endIndex) ?? base32.endIndex)])
        }
        return SecondFactorSetup(typedSecret: grouped.joined(separator: " "), url: url)
    }

    private func open(_ stored: StoredSecondFactor, staffID: UUID) throws -> String {
        try sealer.open(stored.sealed, key: try sealer.unwrap(stored.wrappedKey), conversation: staffID, seq: 0)
    }

    /// The 30-second step whose code matches, within one step either way
    /// (phone clocks drift), or nil.
    func matchingStep(secret: String, code: String) -> Int64? {
        guard code.count == 6, let value = Int(code) else { return nil }
        let totp = TOTP(secret: secret)
        let now = clock.now
        for offset in [0, -1, 1] {
            let at = now.addingTimeInterval(Double(offset * 30))
            if totp.compute(date: at) == value { return Int64(at.timeIntervalSince1970 / 30) }
        }
        return nil
    }

    /// Turns the second factor on with the first right code; the recovery
    /// codes come back to be shown once. Nil: wrong code.
    package func confirmSecondFactor(staff: StaffRecord, code: String) async throws -> [String]? {
        guard let stored = try await repository.secondFactor(staffID: staff.id), !stored.confirmed,
            let step = matchingStep(secret: try open(stored, staffID: staff.id), code: Self.digits(code))
        else { return nil }
        let codes = Self.makeRecoveryCodes()
        try await repository.confirmSecondFactor(
            staffID: staff.id, step: step, recoveryHashes: codes.map { Self.recoveryHash($0, staff.id) }, at: clock.now)
        try await record(staff, "second_factor.on")
        return codes
    }

    package func newRecoveryCodes(staff: StaffRecord) async throws -> [String] {
        let codes = Self.makeRecoveryCodes()
        try await repository.replaceRecoveryCodes(staffID: staff.id, hashes: codes.map { Self.recoveryHash($0, staff.id) })
        try await record(staff, "second_factor.recovery_codes")
        return codes
    }

    /// Off by the person themselves, or (`by` another) by a coordinator when
    /// the phone and the codes are lost; the person's sign-ins end then.
    package func removeSecondFactor(staff: StaffRecord, by coordinator: StaffPrincipal? = nil) async throws {
        try await repository.deleteSecondFactor(staffID: staff.id)
        if let coordinator {
            try await endSessions(staffID: staff.id)
            try await audit?.record(
                .init(
                    at: clock.now, staffID: coordinator.staffID, staffName: coordinator.workName,
                    organisationID: staff.organisationID, action: "second_factor.removed", target: staff.workName))
        } else {
            try await record(staff, "second_factor.off")
        }
    }

    /// A code from the app (each step once) or an unused recovery code.
    func acceptCode(_ raw: String, staff: StaffRecord) async throws -> Bool {
        guard let stored = try await repository.secondFactor(staffID: staff.id), stored.confirmed else { return false }
        let digits = Self.digits(raw)
        if digits.count == 6 {
            guard let step = matchingStep(secret: try open(stored, staffID: staff.id), code: digits) else { return false }
            return try await repository.useStep(staffID: staff.id, step: step)
        }
        let code = Self.normalisedRecovery(raw)
        guard code.count == 10, try await repository.useRecoveryCode(staffID: staff.id, hash: Self.recoveryHash(code, staff.id), at: clock.now) else {
            return false
        }
        try await record(staff, "signin.recovery_code")
        return true
    }

    /// Whether a sign-in of this person must pass a second step, and which.
    func secondStep(for staff: StaffRecord) async throws -> SignInStep? {
        if try await repository.secondFactor(staffID: staff.id)?.confirmed == true { return .code }
        if try await repository.secondFactorRequired(organisation: staff.organisationID) { return .setUp }
        return nil
    }

    package enum SignInStep: Sendable { case code, setUp }

    package static func digits(_ s: String) -> String { s.filter { !$0.isWhitespace } }

    static func normalisedRecovery(_ s: String) -> String { s.lowercased().filter { $0 != "-" && !$0.isWhitespace } }

    static func recoveryHash(_ code: String, _ staff: UUID) -> String {
        Tokens.hash("recovery:\(staff.uuidString):\(normalisedRecovery(code))")
    }

    /// Ten codes of ten characters, shown as `abcde-fghjk`.
    static func makeRecoveryCodes() -> [String] {
        var generator = SystemRandomNumberGenerator()
        return (0..<recoveryCodeCount).map { _ in
            let chars = (0..<10).map { _ in recoveryAlphabet.randomElement(using: &generator)! }
            return String(chars[0..<5]) + "-" + String(chars[5...])
        }
    }
}
