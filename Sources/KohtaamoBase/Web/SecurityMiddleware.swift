import HTTPTypes
import Hummingbird

/// Security headers on every answer: a strict CSP without inline script
/// (but for the one `EarlySocket` script, allowed by its hash),
/// no referrer, no framing, no MIME sniffing. Dynamic pages are not stored
/// by the browser (`no-store`): a shared library computer keeps no copy.
package struct SecurityHeadersMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    static let csp = [
        "default-src 'self'", "script-src 'self' \(EarlySocket.cspSource)", "style-src 'self'", "img-src 'self' data:",
        "connect-src 'self'", "media-src 'self'", "form-action 'self'", "frame-ancestors 'none'",
        "base-uri 'none'", "object-src 'none'",
    ].joined(separator: "; ")

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let openerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
    static let permissionsPolicy = HTTPField.Name("Permissions-Policy")!

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        // A download sets its own, stricter policy (a sandbox): it stays.
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.csp }
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.openerPolicy] = "same-origin"
        response.headers[Self.permissionsPolicy] = "camera=(self), microphone=(self), geolocation=(), interest-cohort=()"
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }
}

/// Refuses state-changing requests from other sites: an `Origin` that is not
/// this server gets 403 `bad_origin`; a JSON entry point with a body must say
/// `application/json` (415), so a cross-site form cannot reach it.
package struct OriginCheckMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    package let ownOrigins: Set<String>

    package init(ownOrigins: Set<String>) { self.ownOrigins = ownOrigins }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let unsafe = [.post, .put, .patch, .delete].contains(request.method)
        // With `Referrer-Policy: no-referrer` browsers send `Origin: null` on
        // their own same-site form posts and fetches, so "null" counts as not
        // sent. Those requests are still covered: forms by the CSRF token, JSON
        // by the required content type, and cookies by SameSite=Lax.
        if unsafe, let origin = request.headers[.origin], origin != "null", !isOwn(origin, host: request.head.authority) {
            throw AppError.badOrigin
        }
        // A body of unknown length (chunked) is checked when read: JSONBody.read.
        // A raw file upload and a CSV file (the finder's import) are the other
        // types the API takes: a form on another site cannot send them, and a
        // script there must ask first (CORS), which this server never allows.
        if unsafe, request.uri.path.hasPrefix("/api/"), let length = request.headers[.contentLength].flatMap(Int.init), length > 0,
            !JSONBody.isJSON(request), !RawFileBody.isOctetStream(request), !Self.isCSV(request)
        {
            throw AppError.unsupportedMediaType
        }
        return try await next(request, context)
    }

    static func isCSV(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("text/csv") ?? false
    }

    /// For the socket: no `Origin`, `null`, this server's own, or a `ws:`
    /// one (sent by programs, never by a page in a browser, so not a cross-site risk).
    package func allows(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin], origin != "null" else { return true }
        if origin.hasPrefix("ws://") || origin.hasPrefix("wss://") { return true }
        return isOwn(origin, host: request.head.authority)
    }

    func isOwn(_ origin: String, host: String?) -> Bool {
        if ownOrigins.contains(origin) { return true }
        // Behind a proxy the Host header names the public address.
        if let host, origin == "http://\(host)" || origin == "https://\(host)" { return true }
        return false
    }

}
