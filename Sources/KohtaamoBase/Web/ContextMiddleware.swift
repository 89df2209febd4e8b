import Hummingbird

/// Sets the reader's language from the remembered choice or `Accept-Language`.
package struct LanguageMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    package static let cookieName = "k_lang"
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.language = Language.negotiate(
            cookie: request.cookies[Self.cookieName]?.value,
            acceptLanguage: request.headers[.acceptLanguage]
        )
        return try await next(request, context)
    }
}

/// Reads the CSRF cookie into the context and sets it on the answer when a
/// page issued a new token.
package struct CSRFCookieMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    package static let cookieName = "k_csrf"
    package let secure: Bool

    package init(secure: Bool) { self.secure = secure }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.csrf.load(fromCookie: request.cookies[Self.cookieName]?.value)
        var response = try await next(request, context)
        if context.csrf.needsCookie, let value = context.csrf.cookieValue {
            response.setCookie(.init(name: Self.cookieName, value: value, path: "/", secure: secure, httpOnly: true, sameSite: .lax))
        }
        return response
    }
}

/// Logs each request by its route pattern (never the raw path, which may hold
/// a reset token, and never an address), status and duration.
package struct RequestLogMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, start: start)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, start: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, start: ContinuousClock.Instant) {
        let ms = (ContinuousClock.now - start).components.attoseconds / 1_000_000_000_000_000
        context.logger.info(
            "\(request.method) \(context.endpointPath ?? "-") \(status) \((ContinuousClock.now - start).components.seconds * 1000 + ms)ms")
    }
}
