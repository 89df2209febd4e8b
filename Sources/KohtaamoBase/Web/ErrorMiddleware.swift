import AsyncKit
import Foundation
import Hummingbird

/// Turns every refusal into an answer in the reader's language: JSON
/// `{"code","message"}` for `/api/…`, an error page otherwise. Unknown
/// errors become a 500 without details; bad input never should.
package struct ErrorMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    package let views: Views

    package init(views: Views) { self.views = views }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let appError = Self.appError(for: error)
            if appError.status == .internalServerError {
                context.logger.error("unhandled error on \(context.endpointPath ?? "-"): \(String(reflecting: type(of: error)))")
            }
            return render(appError, request: request, context: context)
        }
    }

    package static func appError(for error: any Error) -> AppError {
        if let e = error as? AppError { return e }
        if let e = error as? any HTTPResponseError {
            switch e.status {
            case .notFound: return .notFound
            case .contentTooLarge: return .tooLarge
            case .unsupportedMediaType: return .unsupportedMediaType
            case .methodNotAllowed: return AppError(.methodNotAllowed, code: "method_not_allowed")
            case .unauthorized: return .unauthorized
            case .forbidden: return .forbidden
            case .internalServerError: return AppError(.internalServerError, code: "internal")
            default:
                return e.status.code < 500 ? AppError(e.status, code: "bad_request") : AppError(.internalServerError, code: "internal")
            }
        }
        if error is DecodingError { return AppError(.badRequest, code: "bad_json") }
        // Every database connection stayed busy past the pool's wait (a
        // starved CPU, a burst): the server is overloaded, not broken. A 503
        // with Retry-After tells a program to try again; nothing was done.
        if error is ConnectionPoolTimeoutError { return .busy }
        return AppError(.internalServerError, code: "internal")
    }

    package func render(_ error: AppError, request: Request, context: Context) -> Response {
        let message = views.localizer.t(error.messageKey, context.language)
        var response: Response
        if request.uri.path.hasPrefix("/api/") || ["/socket", "/metrics"].contains(request.uri.path) {
            let body = (try? JSONEncoder().encode(["code": error.code, "message": message])) ?? Data()
            response = Response(
                status: error.status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        } else if error.status == .unauthorized {
            // A page that needs signing in sends the browser to the sign-in page.
            let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
            response = Views.redirect("\(error.signInPath)?next=\(next)")
        } else {
            let headingKey = "error_heading_\(error.status.code)"
            let t = views.localizer.catalogue(context.language)
            response = views.page(
                .error, title: views.title(t[headingKey] ?? t["error_heading"] ?? "Error"),
                request: request, context: context, status: error.status,
                model: ErrorPage(heading: t[headingKey] ?? t["error_heading"] ?? "", message: message, code: error.code))
        }
        for field in error.headers { response.headers.append(field) }
        return response
    }
}
