import Foundation
import Hummingbird

/// JSON request bodies of the API: `application/json` or nothing at all.
package enum JSONBody {
    package static func isJSON(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/json") ?? false
    }

    /// The decoded body, or nil when the request has none. A body that is
    /// not JSON is 415 `unsupported_media_type`; JSON of the wrong shape is 400 `bad_json`.
    package static func read<T: Decodable>(_ type: T.Type, _ request: Request, context: some RequestContext) async throws -> T? {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch { throw AppError.tooLarge }
        guard buffer.readableBytes > 0 else { return nil }
        guard isJSON(request) else { throw AppError.unsupportedMediaType }
        let bytes = Data(buffer.readableBytesView)
        // No text field of the product may hold U+0000 (PostgreSQL cannot
        // store it); in JSON it can only come as the escape \u0000.
        if bytes.range(of: Data(#"\u0000"#.utf8)) != nil { throw AppError(.badRequest, code: "bad_json") }
        do { return try JSONDecoder().decode(T.self, from: bytes) } catch { throw AppError(.badRequest, code: "bad_json") }
    }

    /// As `read`, for a body that must be there.
    package static func require<T: Decodable>(_ type: T.Type, _ request: Request, context: some RequestContext) async throws -> T {
        guard let value = try await read(type, request, context: context) else { throw AppError(.badRequest, code: "bad_json") }
        return value
    }
}

/// JSON answers with one encoder setting.
package enum JSONResponse {
    /// `snakeCase`: field names as the requests of the newer APIs take them
    /// (`postal_code`, `plain_language`: the finder's and the material bank's).
    package static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, snakeCase: Bool = false) throws -> Response {
        let encoder = JSONEncoder()
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
