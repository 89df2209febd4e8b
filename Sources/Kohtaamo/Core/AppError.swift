import Hummingbird

/// A refusal the user can understand: a stable `code` for programs and a
/// catalogue key for the human message in the user's language.
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    /// Key in the language catalogues; the message is looked up at render time.
    public var messageKey: String
    public var headers: HTTPFields
    /// Where a page that needs signing in sends the browser (staff or members).
    public var signInPath = "/signin"

    public init(_ status: HTTPResponse.Status, code: String, messageKey: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.messageKey = messageKey ?? "error_\(code)"
        self.headers = headers
    }

    public static let notFound = AppError(.notFound, code: "not_found")
    public static let badRequest = AppError(.badRequest, code: "bad_request")
    public static let forbidden = AppError(.forbidden, code: "forbidden")
    public static let unauthorized = AppError(.unauthorized, code: "unauthorized")
    /// A registered client's page without their sign-in: pages lead to the members' sign-in.
    public static let memberUnauthorized: AppError = {
        var e = AppError(.unauthorized, code: "unauthorized")
        e.signInPath = "/account/signin"
        return e
    }()
    public static let csrf = AppError(.forbidden, code: "csrf_failed")
    public static let badOrigin = AppError(.forbidden, code: "bad_origin")
    public static let unsupportedMediaType = AppError(.unsupportedMediaType, code: "unsupported_media_type")
    public static let tooLarge = AppError(.contentTooLarge, code: "too_large")
    public static let unavailable = AppError(.serviceUnavailable, code: "unavailable")
    /// `/metrics` without its bearer token.
    public static let metricsUnauthorized = AppError(.unauthorized, code: "unauthorized", headers: [.wwwAuthenticate: "Bearer"])

    public static func tooMany(retryAfterSeconds: Int) -> AppError {
        AppError(.tooManyRequests, code: "too_many_attempts", headers: [.retryAfter: String(retryAfterSeconds)])
    }
}
