import Foundation
import Hummingbird
import KohtaamoBase

/// Signing in and out: the sign-in page, its form, and the JSON entry points
/// `POST /api/session` and `DELETE /api/session`.
struct SessionController {
    let accounts: AccountService
    let views: Views
    let secureCookies: Bool
    static let cookieName = "k_session"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/signin", use: signInPage)
        router.post("/signin", use: signInForm)
        router.post("/signout", use: signOutForm)
        router.post("/api/session", use: signInJSON)
        router.group("/api/session", context: StaffContext.self).delete(use: signOutJSON)
    }

    func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.principal != nil { return Views.redirect(home(for: context.principal)) }
        return render(request, context, email: "", next: request.uri.queryParameters["next"].map(String.init))
    }

    private func render(
        _ request: Request, _ context: AppRequestContext, email: String, next: String?,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) -> Response {
        Self.signInPage(views, request, context, email: email, next: next, errors: errors, status: status)
    }

    static func signInPage(
        _ views: Views, _ request: Request, _ context: AppRequestContext, email: String, next: String?,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) -> Response {
        return views.page(
            .signinForm, title: views.title(views.localizer.t("signin_title", context.language)), request: request, context: context,
            status: status, model: SignInPage(email: email, next: Cookies.safeNext(next) ?? ""), errors: errors)
    }

    private var secondFactor: SecondFactorController { SecondFactorController(accounts: accounts, views: views, secureCookies: secureCookies) }

    func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let email = form["email"], password = form.pairs.first { $0.0 == "password" }?.1 ?? ""
        var errors = FieldErrors()
        if email.isEmpty { errors.add("email", "error_email_missing") }
        if password.isEmpty { errors.add("password", "error_password_missing") }
        guard errors.isEmpty else { return render(request, context, email: email, next: form["next"], errors: errors, status: .badRequest) }
        switch try await accounts.signIn(email: email, password: password) {
        case .success(let token, let staff):
            var response = Views.redirect(Cookies.safeNext(form["next"]) ?? (staff.role.canAdminister ? "/admin" : "/profile"))
            response.setCookie(Cookies.make(Self.cookieName, token, secure: secureCookies))
            return response
        case .needsCode(let challenge):
            return secondFactor.codePage(request, context, challenge: challenge, next: form["next"])
        case .needsSetup(let challenge, let staff):
            return try await secondFactor.setUpPage(request, context, staff: staff, challenge: challenge, next: form["next"])
        case .invalid, .invalidCode:
            errors.add("email", "error_invalid_credentials")
            return render(request, context, email: email, next: form["next"], errors: errors, status: .unauthorized)
        case .locked(let retryAfter):
            errors.add("email", "error_too_many_attempts")
            var response = render(request, context, email: email, next: form["next"], errors: errors, status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
    }

    func signOutForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        if let p = context.principal { try await accounts.signOut(staffID: p.staffID, sessionID: p.sessionID) }
        var response = Views.redirect("/")
        response.setCookie(Cookies.expire(Self.cookieName, secure: secureCookies))
        return response
    }

    struct Credentials: Decodable {
        let email: String
        let password: String
        let code: String?
    }

    func signInJSON(_ request: Request, context: AppRequestContext) async throws -> Response {
        let credentials = try await JSONBody.require(Credentials.self, request, context: context)
        guard (credentials.code?.count ?? 0) <= 40 else { throw AppError(.badRequest, code: "bad_code") }
        switch try await accounts.signIn(email: credentials.email, password: credentials.password, code: credentials.code) {
        case .success(let token, _):
            var response = Response(status: .noContent)
            response.setCookie(Cookies.make(Self.cookieName, token, secure: secureCookies))
            return response
        case .invalid:
            throw AppError(.unauthorized, code: "invalid_credentials")
        case .needsCode:
            throw AppError(.unauthorized, code: "code_required")
        case .invalidCode:
            throw AppError(.unauthorized, code: "invalid_code")
        case .needsSetup:
            // Setting it up needs the QR code page: the web sign-in leads there.
            throw AppError(.forbidden, code: "second_factor_setup_required")
        case .locked(let retryAfter):
            throw AppError.tooMany(retryAfterSeconds: retryAfter)
        }
    }

    func signOutJSON(_ request: Request, context: StaffContext) async throws -> Response {
        let p = context.staff
        try await accounts.signOut(staffID: p.staffID, sessionID: p.sessionID)
        var response = Response(status: .noContent)
        response.setCookie(Cookies.expire(Self.cookieName, secure: secureCookies))
        return response
    }

    private func home(for principal: StaffPrincipal?) -> String {
        principal?.role.canAdminister == true ? "/admin" : "/profile"
    }
}
