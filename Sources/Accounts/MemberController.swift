import Foundation
import Hummingbird
import KohtaamoBase

/// A registered client's own pages: making an account (nickname and
/// password; email only if they want), signing in and out, their page with
/// the download of all their data and erasing the account.
struct MemberController {
    let members: MemberService
    let views: Views
    let secureCookies: Bool
    let holders: [any MemberDataHolder]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account/new", use: signUpPage)
        router.post("/account/new", use: signUp)
        router.get("/account/signin", use: signInPage)
        router.post("/account/signin", use: signIn)
        router.post("/account/signout", use: signOut)
        let account = router.group("/account", context: MemberContext.self)
        account.get(use: home)
        account.get("data", use: download)
        account.post("erase", use: erase)
    }

    private func signedIn(_ token: String, next: String?) -> Response {
        var response = Views.redirect(Cookies.safeNext(next) ?? "/account")
        response.setCookie(Cookies.make(MemberService.cookieName, token, secure: secureCookies))
        return response
    }

    private func renderSignUp(
        _ request: Request, _ context: AppRequestContext, form: Form?, errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let next = form?["next"] ?? request.uri.queryParameters["next"].map(String.init)
        return views.page(
            .memberSignupForm, title: views.title(views.localizer.t("member_signup_title", context.language)), request: request, context: context,
            status: status,
            model: MemberSignUpPage(
                nickname: form?["nickname"] ?? "", email: form?["email"] ?? "",
                next: Cookies.safeNext(next) ?? "", nextQuery: Cookies.nextQuery(Cookies.safeNext(next) ?? "")),
            errors: errors)
    }

    func signUpPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        renderSignUp(request, context, form: nil)
    }

    func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let password = form.pairs.first { $0.0 == "password" }?.1 ?? ""
        var errors = FieldErrors()
        if let problem = MemberService.nicknameProblem(form["nickname"]) { errors.add("nickname", problem) }
        if let problem = AccountService.passwordProblem(password) { errors.add("password", problem) }
        if password != (form.pairs.first { $0.0 == "repeat" }?.1 ?? "") { errors.add("repeat", "error_password_repeat") }
        if !form["email"].isEmpty, !Validate.email(form["email"]) { errors.add("email", "error_email_invalid") }
        guard errors.isEmpty else { return renderSignUp(request, context, form: form, errors: errors, status: .badRequest) }
        switch try await members.signUp(nickname: form["nickname"], password: password, email: form["email"]) {
        case .created(let token, _): return signedIn(token, next: form["next"])
        case .nicknameTaken:
            return renderSignUp(request, context, form: form, errors: FieldErrors("nickname", "error_member_nickname_taken"), status: .conflict)
        }
    }

    private func renderSignIn(
        _ request: Request, _ context: AppRequestContext, nickname: String, next: String?,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) -> Response {
        views.page(
            .memberSigninForm, title: views.title(views.localizer.t("member_signin_title", context.language)), request: request, context: context,
            status: status,
            model: MemberSignInPage(
                nickname: nickname, next: Cookies.safeNext(next) ?? "", nextQuery: Cookies.nextQuery(Cookies.safeNext(next) ?? "")),
            errors: errors)
    }

    func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        renderSignIn(request, context, nickname: "", next: request.uri.queryParameters["next"].map(String.init))
    }

    func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let password = form.pairs.first { $0.0 == "password" }?.1 ?? ""
        guard !form["nickname"].isEmpty, !password.isEmpty, form["nickname"].count <= 100 else {
            return renderSignIn(
                request, context, nickname: form["nickname"], next: form["next"],
                errors: FieldErrors("nickname", "error_member_invalid_credentials"), status: .badRequest)
        }
        switch try await members.signIn(nickname: form["nickname"], password: password) {
        case .success(let token): return signedIn(token, next: form["next"])
        case .invalid:
            return renderSignIn(
                request, context, nickname: form["nickname"], next: form["next"],
                errors: FieldErrors("nickname", "error_member_invalid_credentials"), status: .unauthorized)
        case .locked(let retryAfter):
            var response = renderSignIn(
                request, context, nickname: form["nickname"], next: form["next"],
                errors: FieldErrors("nickname", "error_too_many_attempts"), status: .tooManyRequests)
            response.headers[.retryAfter] = String(retryAfter)
            return response
        }
    }

    func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        if let m = context.member { try await members.signOut(member: m.memberID, session: m.sessionID) }
        var response = Views.redirect("/")
        response.setCookie(Cookies.expire(MemberService.cookieName, secure: secureCookies))
        return response
    }

    private func renderHome(
        _ request: Request, _ context: MemberContext, errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let me = context.signedInMember
        guard let member = try await members.member(id: me.memberID) else { throw AppError.memberUnauthorized }
        return views.page(
            .memberHome, title: views.title(views.localizer.t("member_home_title", context.language)), request: request, context: context,
            status: status,
            model: MemberHomePage(nickname: member.nickname, email: Views.nonEmpty(member.email ?? "")), errors: errors)
    }

    func home(_ request: Request, context: MemberContext) async throws -> Response {
        try await renderHome(request, context)
    }

    /// Everything kept of the member, as one JSON file.
    func download(_ request: Request, context: MemberContext) async throws -> Response {
        let me = context.signedInMember
        guard let member = try await members.member(id: me.memberID) else { throw AppError.memberUnauthorized }
        var parts: [String: Any] = [
            "account": [
                "nickname": member.nickname, "email": member.email as Any? ?? NSNull(),
                "created": ISO8601DateFormatter().string(from: member.createdAt),
            ]
        ]
        for holder in holders {
            parts[holder.dataName] = try JSONSerialization.jsonObject(
                with: try await holder.export(member: me.memberID, language: context.language),
                options: [.fragmentsAllowed])
        }
        let body = try JSONSerialization.data(withJSONObject: parts, options: [.prettyPrinted, .sortedKeys])
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8",
                .contentDisposition: #"attachment; filename="kohtaamo-data.json""#,
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Erasing asks for the password again: a browser left open is not enough.
    func erase(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let me = context.signedInMember
        guard try await members.checkPassword(member: me.memberID, form.pairs.first { $0.0 == "password" }?.1 ?? "") else {
            return try await renderHome(request, context, errors: FieldErrors("password", "error_current_password"), status: .badRequest)
        }
        for holder in holders { try await holder.erase(member: me.memberID) }
        try await members.erase(member: me.memberID)
        var response = views.page(
            .memberErased, title: views.title(views.localizer.t("member_erased_title", context.language)), request: request, context: context)
        response.setCookie(Cookies.expire(MemberService.cookieName, secure: secureCookies))
        return response
    }
}
