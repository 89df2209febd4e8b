import KohtaamoBase

/// Setting up the authenticator app (`second_factor_setup.mustache`).
struct SecondFactorSetupPage: PageModel {
    /// The QR code as inline SVG.
    let qr: String
    let secret: String
    /// Part of a sign-in (the organisation requires it), not a choice on the profile.
    let required: Bool
    let challenge: String
    let next: String
    let action: String
}

/// Recovery codes, shown once (`recovery_codes.mustache`).
struct RecoveryCodesPage: PageModel {
    let codes: [String]
    let next: String
}

/// The second factor's state on the profile (`second_factor.mustache`).
struct SecondFactorPage: PageModel {
    let codesLeft: Int
    let required: Bool
    /// The text of what was just saved.
    let saved: String?
}
