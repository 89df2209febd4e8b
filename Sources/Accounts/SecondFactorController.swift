import Foundation
import Hummingbird
import KohtaamoBase

/// The second factor's pages: setting it up (from the profile, or in the
/// middle of a sign-in when the organisation requires it), the code step of
/// a sign-in, recovery codes, and turning it off.
struct SecondFactorController {
    let accounts: AccountService
    let views: Views
    let secureCookies: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/signin/code", use: signInCode)
        router.post("/signin/setup", use: signInSetUp)
        let own = router.group("/profile/second-factor", context: StaffContext.self)
        own.get(use: page)
        own.post(use: confirm)
        own.post("recovery", use: newRecoveryCodes)
        own.post("off", use: turnOff)
    }

    private func t(_ context: some PageContext) -> [String: String] { views.localizer.catalogue(context.language) }

    // MARK: sign-in steps

    /// The code page of a sign-in whose password was right.
    func codePage(
        _ request: Request, _ context: some PageContext, challenge: String, next: String?,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) -> Response {
        views.page(
            .signinCodeForm, title: views.title(views.localizer.t("second_factor_code_title", context.language)), request: request, context: context,
            status: status, model: SignInCodePage(challenge: challenge, next: Cookies.safeNext(next) ?? ""), errors: errors)
    }

    func signInCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let challenge = form["challenge"]
        guard !challenge.isEmpty, challenge.count < 100, form["code"].count <= 40 else { throw AppError.badRequest }
        guard try await accounts.challengedStaff(challenge) != nil else { return expired(request, context) }
        var errors = FieldErrors()
        if form["code"].isEmpty {
            errors.add("code", "error_code_missing")
            return codePage(request, context, challenge: challenge, next: form["next"], errors: errors, status: .badRequest)
        }
        switch try await accounts.signIn(challenge: challenge, code: form["code"]) {
        case .success(let token, let staff):
            return signedIn(token: token, staff: staff, next: form["next"])
        case .locked(let retryAfter):
            var response = SessionController.signInPage(
                views, request, context, email: "", next: form["next"],
                errors: FieldErrors("email", "error_too_many_attempts"), status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        default:
            errors.add("code", "error_invalid_code")
            return codePage(request, context, challenge: challenge, next: form["next"], errors: errors, status: .unauthorized)
        }
    }

    /// A challenge that ran out (10 minutes) or was used: start again.
    private func expired(_ request: Request, _ context: AppRequestContext) -> Response {
        SessionController.signInPage(
            views, request, context, email: "", next: nil,
            errors: FieldErrors("email", "error_signin_expired"), status: .unauthorized)
    }

    private func signedIn(token: String, staff: StaffRecord, next: String?) -> Response {
        var response = Views.redirect(Cookies.safeNext(next) ?? (staff.role.canAdminister ? "/admin" : "/profile"))
        response.setCookie(Cookies.make(SessionController.cookieName, token, secure: secureCookies))
        return response
    }

    /// The set-up page: QR code, the secret as text, and the first code.
    /// `challenge` is set when this is a sign-in's step (no session yet).
    func setUpPage(
        _ request: Request, _ context: some PageContext, staff: StaffRecord, challenge: String?, next: String? = nil,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let setup = try await accounts.startSecondFactor(staff: staff) else { return Views.redirect("/profile/second-factor") }
        let qr = QRCode(setup.url)?.svg(label: views.localizer.t("second_factor_qr_label", context.language)) ?? ""
        let required = challenge != nil
        return views.page(
            .secondFactorSetup, title: views.title(views.localizer.t("second_factor_setup_title", context.language)), request: request,
            context: context,
            status: status,
            model: SecondFactorSetupPage(
                qr: qr, secret: setup.typedSecret, required: required, challenge: challenge ?? "",
                next: Cookies.safeNext(next) ?? "", action: required ? "/signin/setup" : "/profile/second-factor"),
            errors: errors)
    }

    func signInSetUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let challenge = form["challenge"]
        guard !challenge.isEmpty, challenge.count < 100, form["code"].count <= 40 else { throw AppError.badRequest }
        guard let staff = try await accounts.challengedStaff(challenge) else { return expired(request, context) }
        guard let codes = try await accounts.confirmSecondFactor(staff: staff, code: form["code"]) else {
            return try await setUpPage(
                request, context, staff: staff, challenge: challenge, next: form["next"],
                errors: FieldErrors("code", form["code"].isEmpty ? "error_code_missing" : "error_invalid_code"), status: .badRequest)
        }
        guard case .success(let token, _) = try await accounts.completeSetUp(challenge: challenge, staff: staff) else {
            return expired(request, context)
        }
        var response = codesPage(
            request, context, codes: codes, next: Cookies.safeNext(form["next"]) ?? (staff.role.canAdminister ? "/admin" : "/profile"))
        response.setCookie(Cookies.make(SessionController.cookieName, token, secure: secureCookies))
        return response
    }

    /// Recovery codes are shown once, right after they are made.
    private func codesPage(_ request: Request, _ context: some PageContext, codes: [String], next: String) -> Response {
        views.page(
            .recoveryCodes, title: views.title(views.localizer.t("recovery_codes_title", context.language)), request: request, context: context,
            model: RecoveryCodesPage(codes: codes, next: next))
    }

    // MARK: profile

    private func me(_ context: StaffContext) async throws -> StaffRecord { try await ProfileController.signedIn(accounts, context) }

    private func statusPage(
        _ request: Request, _ context: some PageContext, staff: StaffRecord, saved: String? = nil,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let t = t(context)
        let left = try await accounts.unusedRecoveryCodes(staffID: staff.id)
        let required = try await accounts.secondFactorRequired(organisation: staff.organisationID)
        return views.page(
            .secondFactor, title: views.title(views.localizer.t("second_factor_title", context.language)), request: request, context: context,
            status: status,
            model: SecondFactorPage(codesLeft: left, required: required, saved: saved.map { t[$0] ?? $0 }), errors: errors)
    }

    func page(_ request: Request, context: StaffContext) async throws -> Response {
        let staff = try await me(context)
        if try await accounts.secondFactor(staffID: staff.id)?.confirmed == true {
            return try await statusPage(request, context, staff: staff)
        }
        return try await setUpPage(request, context, staff: staff, challenge: nil)
    }

    func confirm(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let staff = try await me(context)
        guard form["code"].count <= 40 else { throw AppError.badRequest }
        guard let codes = try await accounts.confirmSecondFactor(staff: staff, code: form["code"]) else {
            if try await accounts.secondFactor(staffID: staff.id)?.confirmed == true { return Views.redirect("/profile/second-factor") }
            return try await setUpPage(
                request, context, staff: staff, challenge: nil,
                errors: FieldErrors("code", form["code"].isEmpty ? "error_code_missing" : "error_invalid_code"), status: .badRequest)
        }
        return codesPage(request, context, codes: codes, next: "/profile")
    }

    /// New recovery codes (the old ones stop working) and turning the factor
    /// off both ask for the password again: a browser left open is not enough.
    private func checkedPassword(_ form: Form, _ staff: StaffRecord) async throws -> Bool {
        try await accounts.verify(form.pairs.first { $0.0 == "password" }?.1 ?? "", hash: staff.passwordHash)
    }

    func newRecoveryCodes(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let staff = try await me(context)
        guard try await accounts.secondFactor(staffID: staff.id)?.confirmed == true else {
            return Views.redirect("/profile/second-factor")
        }
        guard try await checkedPassword(form, staff) else {
            return try await statusPage(
                request, context, staff: staff, errors: FieldErrors("password", "error_current_password"), status: .badRequest)
        }
        return codesPage(request, context, codes: try await accounts.newRecoveryCodes(staff: staff), next: "/profile")
    }

    func turnOff(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let staff = try await me(context)
        guard try await accounts.secondFactor(staffID: staff.id)?.confirmed == true else {
            return Views.redirect("/profile/second-factor")
        }
        if try await accounts.secondFactorRequired(organisation: staff.organisationID) {
            return try await statusPage(
                request, context, staff: staff, errors: FieldErrors("offPassword", "error_second_factor_required"), status: .conflict)
        }
        guard try await checkedPassword(form, staff) else {
            return try await statusPage(
                request, context, staff: staff, errors: FieldErrors("offPassword", "error_current_password"), status: .badRequest)
        }
        try await accounts.removeSecondFactor(staff: staff)
        return Views.redirect("/profile?saved=second_factor_off")
    }
}
