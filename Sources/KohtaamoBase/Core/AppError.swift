import Hummingbird

/// A refusal the user can understand: a stable `code` for programs and a
/// catalogue key for the human message in the user's language.
package struct AppError: Error, Sendable {
    package var status: HTTPResponse.Status
    package var code: String
    /// Key in the language catalogues; the message is looked up at render time.
    package var messageKey: String
    package var headers: HTTPFields
    /// Where a page that needs signing in sends the browser (staff or members).
    package var signInPath = "/signin"

    package init(_ status: HTTPResponse.Status, code: String, messageKey: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.messageKey = messageKey ?? "error_\(code)"
        self.headers = headers
    }

    package static let notFound = AppError(.notFound, code: "not_found")
    package static let badRequest = AppError(.badRequest, code: "bad_request")
    package static let forbidden = AppError(.forbidden, code: "forbidden")
    package static let unauthorized = AppError(.unauthorized, code: "unauthorized")
    /// A registered client's page without their sign-in: pages lead to the members' sign-in.
    package static let memberUnauthorized: AppError = {
        var e = AppError(.unauthorized, code: "unauthorized")
        e.signInPath = "/account/signin"
        return e
    }()
    package static let csrf = AppError(.forbidden, code: "csrf_failed")
    package static let badOrigin = AppError(.forbidden, code: "bad_origin")
    package static let unsupportedMediaType = AppError(.unsupportedMediaType, code: "unsupported_media_type")
    package static let tooLarge = AppError(.contentTooLarge, code: "too_large")
    package static let unavailable = AppError(.serviceUnavailable, code: "unavailable")
    /// Too much at once; the request did nothing and may be sent again in a second.
    package static let busy = AppError(.serviceUnavailable, code: "unavailable", headers: [.retryAfter: "1"])
    /// `/metrics` without its bearer token.
    package static let metricsUnauthorized = AppError(.unauthorized, code: "unauthorized", headers: [.wwwAuthenticate: "Bearer"])

    package static func tooMany(retryAfterSeconds: Int) -> AppError {
        AppError(.tooManyRequests, code: "too_many_attempts", headers: [.retryAfter: String(retryAfterSeconds)])
    }
}
