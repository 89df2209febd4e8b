import Foundation
import HTTPTypes
import Hummingbird
import KohtaamoBase

/// Routes that belong to no feature: health, metrics, static files, the
/// language switch and the coordinators' start page.
struct SystemController {
    let storage: Storage
    let views: Views
    let secureCookies: Bool
    let metricsToken: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/metrics", use: metrics)
        // Browsers ask for it on pages without a <link rel="icon"> (JSON, files): the same icon.
        router.get("/favicon.ico") { request, _ in
            try views.assets.response(hash: "", name: "icon.svg", acceptEncoding: request.headers[.acceptEncoding])
        }
        router.get("/static/{hash}/{name}") { request, context in
            try views.assets.response(
                hash: context.parameters.get("hash") ?? "", name: context.parameters.get("name") ?? "",
                acceptEncoding: request.headers[.acceptEncoding])
        }
        router.get("/lang/{code}", use: switchLanguage)
        router.group("/admin", context: CoordinatorContext.self).get(use: adminHome)
    }

    func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ok = await storage.isHealthy()
        let body = #"{"status":"\#(ok ? "ok" : "unavailable")","database":"\#(storage.kind.rawValue)"}"#
        return Response(
            status: ok ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Prometheus text. With `KOHTAAMO_METRICS_TOKEN` set, only for
    /// `Authorization: Bearer <token>`; without it, only for a request from
    /// this machine that did not come through a proxy (a proxy on the same
    /// machine makes every request look local, so it must say it forwarded:
    /// the shipped nginx.conf does, and also refuses /metrics itself).
    func metrics(_ request: Request, context: AppRequestContext) async throws -> String {
        if let metricsToken {
            let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
            guard Tokens.constantTimeEquals(given, metricsToken) else { throw AppError.metricsUnauthorized }
        } else {
            let proxied = [HTTPField.Name.forwarded, .xForwardedFor, .xForwardedProto, .xRealIP].contains { request.headers[$0] != nil }
            guard context.peerIsLoopback, !proxied else { throw AppError.notFound }
        }
        return AppMetrics.text()
    }

    /// Remembers the choice for a year (a preference, not an identity) and
    /// goes back to the page the person was on.
    func switchLanguage(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let lang = context.parameters.get("code").flatMap(Language.init(rawValue:)) else { throw AppError.notFound }
        var response = Views.redirect(Cookies.safeNext(request.uri.queryParameters["next"].map(String.init)) ?? "/")
        response.setCookie(Cookies.make(LanguageMiddleware.cookieName, lang.rawValue, secure: secureCookies, maxAge: 365 * 86_400))
        return response
    }

    func adminHome(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let lang = context.language
        return views.page(
            .adminHome, title: views.title(views.localizer.t("admin_title", lang)), request: request,
            context: context, model: AdminHomePage(isNetworkCoordinator: me.role == .networkCoordinator))
    }
}
