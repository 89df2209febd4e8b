import Foundation
import Hummingbird
import KohtaamoBase

/// The upkeep of help points in JSON (docs/openapi.yaml, tag Finder): a
/// coordinator's own organisation's points, a network coordinator's
/// network's. Workers and volunteers get 403 `finder_not_allowed` before
/// the body is read; another's point is 404, as one that does not exist.
/// The rules are `FinderService`'s.
struct FinderAPIController {
    let finder: FinderService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let api = router.group("/api/finder/points", context: StaffContext.self)
        api.get(use: list)
        api.post(use: make)
        api.get("{point}", use: get)
        api.put("{point}", use: edit)
        api.delete("{point}", use: delete)
        api.put("{point}/exceptions/{day}", use: setException)
        api.delete("{point}/exceptions/{day}", use: deleteException)
    }

    // MARK: errors and parameters

    static func appError(_ r: FinderRefusal) -> AppError {
        AppError(HTTPResponse.Status(code: r.httpStatus), code: r.rawValue, messageKey: r.messageKey)
    }

    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as FinderRefusal { throw appError(r) }
    }

    /// The asker, when they keep points: checked before anything is read.
    static func keeper(_ context: some PageContext) throws -> StaffPrincipal {
        guard let p = context.principal else { throw AppError.unauthorized }
        guard p.role.canAdminister else { throw appError(.notAllowed) }
        return p
    }

    static func pointID(_ context: some RequestContext) throws -> UUID {
        guard let id = context.parameters.get("point").flatMap(UUID.init(uuidString:)) else { throw appError(.notFound) }
        return id
    }

    func refused(_ r: RefusedFields, _ context: StaffContext) throws -> Response {
        try Self.answer(RefusedJSON(r) { views.localizer.t($0.messageKey, context.language) }, status: .badRequest)
    }

    /// JSON with the draft's snake_case field names (`postal_code`), as the requests take them.
    static func answer(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        try JSONResponse.make(value, status: status, snakeCase: true)
    }

    /// Points as answered, with their organisation's and municipality's names.
    func json(_ points: [HelpPoint], _ p: StaffPrincipal, _ context: StaffContext) async throws -> [PointJSON] {
        let names = Dictionary(
            try await finder.organisations(of: p, language: context.language).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var municipalities: [String: String] = [:]
        var out: [PointJSON] = []
        for point in points {
            if municipalities[point.municipality] == nil {
                municipalities[point.municipality] =
                    try await finder.repository.municipality(slug: point.municipality)?.names.fi ?? point.municipality
            }
            out.append(PointJSON(point, organisationName: names[point.organisation] ?? "", municipality: municipalities[point.municipality] ?? ""))
        }
        return out
    }

    func one(_ point: HelpPoint, _ p: StaffPrincipal, _ context: StaffContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        try Self.answer(try await json([point], p, context)[0], status: status)
    }

    // MARK: points

    func list(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.keeper(context)
        return try await Self.refusing { try Self.answer(try await json(try await finder.points(of: p), p, context)) }
    }

    func get(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.keeper(context)
        return try await Self.refusing { try await one(try await finder.point(try Self.pointID(context), of: p), p, context) }
    }

    func make(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.keeper(context)
        let input = try await JSONBody.require(PointInput.self, request, context: context)
        return try await Self.refusing {
            switch try await finder.save(input.draft, by: p, language: context.language) {
            case .success(let point): return try await one(point, p, context, status: .created)
            case .failure(let r): return try refused(r, context)
            }
        }
    }

    func edit(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.keeper(context)
        let id = try Self.pointID(context)
        let input = try await JSONBody.require(PointInput.self, request, context: context)
        return try await Self.refusing {
            let old = try await finder.point(id, of: p)
            var draft = input.draft
            // An edit that names no organisation keeps the point's (a network coordinator's own would move it).
            if draft.organisation.trimmingCharacters(in: .whitespaces).isEmpty { draft.organisation = old.organisation.text() }
            switch try await finder.save(draft, by: p, existing: id, language: context.language) {
            case .success(let point): return try await one(point, p, context)
            case .failure(let r): return try refused(r, context)
            }
        }
    }

    func delete(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.keeper(context)
        try await Self.refusing { try await finder.delete(try Self.pointID(context), by: p) }
        return Response(status: .noContent)
    }

    // MARK: exceptions

    func setException(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.keeper(context)
        let id = try Self.pointID(context)
        let day = context.parameters.get("day") ?? ""
        let input = try await JSONBody.read(ExceptionInput.self, request, context: context) ?? ExceptionInput()
        return try await Self.refusing {
            switch try await finder.setException(input.draft(day: day), point: id, by: p) {
            case .success(let point): return try await one(point, p, context)
            case .failure(let r): return try refused(r, context)
            }
        }
    }

    func deleteException(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.keeper(context)
        let id = try Self.pointID(context)
        try await Self.refusing { _ = try await finder.deleteException(day: context.parameters.get("day") ?? "", point: id, by: p) }
        return Response(status: .noContent)
    }
}
