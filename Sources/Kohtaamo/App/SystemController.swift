import Foundation
import Hummingbird

/// Routes that belong to no feature: health, metrics, static files, the
/// language switch and the coordinators' start page.
struct SystemController {
    let storage: Storage
    let views: Views
    let secureCookies: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/metrics") { _, _ in AppMetrics.text() }
        router.get("/static/{hash}/{name}") { request, context in
            try views.assets.response(hash: context.parameters.get("hash") ?? "", name: context.parameters.get("name") ?? "",
                                      acceptEncoding: request.headers[.acceptEncoding])
        }
        router.get("/lang/{code}", use: switchLanguage)
        router.get("/admin", use: adminHome)
    }

    func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ok = await storage.isHealthy()
        let body = #"{"status":"\#(ok ? "ok" : "unavailable")","database":"\#(storage.kind.rawValue)"}"#
        return Response(status: ok ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Remembers the choice for a year (a preference, not an identity) and
    /// goes back to the page the person was on.
    func switchLanguage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let lang = context.parameters.get("code").flatMap(Language.init(rawValue:)) else { throw AppError.notFound }
        var response = Views.redirect(Cookies.safeNext(request.uri.queryParameters["next"].map(String.init)) ?? "/")
        response.setCookie(Cookies.make(LanguageMiddleware.cookieName, lang.rawValue, secure: secureCookies, maxAge: 365 * 86_400))
        return response
    }

    func adminHome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let me = try context.requireAdministrator()
        let lang = context.language
        return views.page("admin_home", title: views.title(views.localizer.t("admin_title", lang)), request: request,
                          context: context, data: ["isNetworkCoordinator": me.role == .networkCoordinator])
    }
}
