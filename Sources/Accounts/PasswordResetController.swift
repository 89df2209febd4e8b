import Foundation
import Hummingbird
import KohtaamoBase

/// The one-time link a coordinator hands to a staff member to set a password
/// (no mail server needed).
struct PasswordResetController {
    let accounts: AccountService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/reset/{token}", use: page)
        router.post("/reset/{token}", use: submit)
    }

    private func render(
        _ request: Request, _ context: AppRequestContext, email: String?, errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) -> Response {
        return views.page(
            .resetForm, title: views.title(views.localizer.t("reset_title", context.language)), request: request, context: context,
            status: status, model: PasswordResetPage(email: email ?? "", valid: email != nil), errors: errors)
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let staff = try await accounts.reset(tokenHash: Tokens.hash(token), now: accounts.clock.now)
        return render(request, context, email: staff?.email, status: staff == nil ? .notFound : .ok)
    }

    func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let token = context.parameters.get("token") ?? ""
        guard let staff = try await accounts.reset(tokenHash: Tokens.hash(token), now: accounts.clock.now) else {
            return render(request, context, email: nil, status: .notFound)
        }
        let new = form.pairs.first { $0.0 == "new" }?.1 ?? ""
        var errors = FieldErrors()
        if let problem = AccountService.passwordProblem(new) { errors.add("new", problem) }
        if new != (form.pairs.first { $0.0 == "repeat" }?.1 ?? "") { errors.add("repeat", "error_password_repeat") }
        guard errors.isEmpty else { return render(request, context, email: staff.email, errors: errors, status: .badRequest) }
        guard try await accounts.completeReset(token: token, newPassword: new) else {
            return render(request, context, email: nil, status: .notFound)
        }
        return Views.redirect("/signin?reset=1")
    }
}
