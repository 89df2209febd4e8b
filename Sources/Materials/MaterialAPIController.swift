import Foundation
import Hummingbird
import KohtaamoBase

/// The bank in JSON (docs/openapi.yaml, tag Materials). A link is added with
/// a JSON body; a file with its raw bytes as the body
/// (`application/octet-stream`) and the material's fields in the query, as
/// coaching's upload names its file. The rules are `MaterialService`'s.
struct MaterialAPIController {
    let service: MaterialService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let api = router.group("/api/materials", context: StaffContext.self)
        api.get(use: list)
        api.post(use: make)
        api.post("files", use: makeFile)
        api.get("{material}", use: get)
        api.put("{material}", use: edit)
        api.delete("{material}", use: delete)
        api.get("{material}/versions", use: versions)
        api.post("{material}/versions", use: replace)
        api.get("{material}/versions/{version}", use: download)
    }

    static func appError(_ r: MaterialRefusal) -> AppError {
        AppError(HTTPResponse.Status(code: r.httpStatus), code: r.rawValue, messageKey: r.messageKey)
    }

    /// Refusals of the bank and of files as answers.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as MaterialRefusal { throw appError(r) } catch let r as FileRefusal { throw r.appError }
    }

    /// A refusal thrown past `refusing` as the answer it stands for.
    static func converted(_ error: any Error) -> any Error {
        switch error {
        case let r as MaterialRefusal: appError(r)
        case let r as FileRefusal: r.appError
        default: error
        }
    }

    static func id(_ context: some RequestContext, _ name: String = "material") throws -> UUID {
        guard let id = context.parameters.get(name).flatMap(UUID.init(uuidString:)) else { throw appError(.notFound) }
        return id
    }

    static func answer(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        try JSONResponse.make(value, status: status, snakeCase: true)
    }

    /// The search's filters from a query string; an unknown value is refused.
    static func query(_ request: Request) throws -> MaterialQuery {
        let q = request.uri.queryParameters
        var query = MaterialQuery(words: q["q"].map(String.init) ?? "")
        if let t = q["theme"].map(String.init), !t.isEmpty {
            guard let theme = DigitalTheme(rawValue: t) else { throw appError(.badTheme) }
            query.theme = theme
        }
        if let a = q["audience"].map(String.init), !a.isEmpty {
            guard let audience = MaterialAudience(rawValue: a) else { throw appError(.badAudience) }
            query.audience = audience
        }
        if let l = q["language"].map(String.init), !l.isEmpty {
            guard let language = MaterialLanguage(rawValue: l) else { throw appError(.badLanguage) }
            query.language = language
        }
        guard Validate.length(query.words, 0...200), Validate.plainLine(query.words) else { throw appError(.badQuery) }
        return query
    }

    func list(_ request: Request, context: StaffContext) async throws -> Response {
        let q = try Self.query(request)
        let searched = !MaterialSearch.words(q.words).isEmpty
        return try await Self.refusing {
            try Self.answer(
                try await service.search(q, for: context.staff).map {
                    MaterialJSON($0.material, viewer: context.staff, snippet: searched ? $0.snippet : nil)
                })
        }
    }

    func get(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try Self.answer(MaterialJSON(try await service.material(try Self.id(context), for: context.staff), viewer: context.staff))
        }
    }

    func make(_ request: Request, context: StaffContext) async throws -> Response {
        guard MaterialService.mayAdd(context.staff) else { throw Self.appError(.notAllowed) }
        let input = try await JSONBody.require(MaterialInput.self, request, context: context)
        return try await Self.refusing {
            try Self.answer(MaterialJSON(try await service.add(input.draft, file: nil, by: context.staff), viewer: context.staff), status: .created)
        }
    }

    /// The fields of a file material from the query (lists comma-separated).
    static func draft(_ request: Request) -> MaterialDraft {
        let q = request.uri.queryParameters
        func list(_ name: String) -> [String] { (q[Substring(name)].map(String.init) ?? "").split(separator: ",").map(String.init) }
        var d = MaterialDraft()
        d.title = q["title"].map(String.init) ?? ""
        d.description = q["description"].map(String.init) ?? ""
        d.themes = list("themes")
        d.audiences = list("audiences")
        d.languages = list("languages")
        d.plainLanguage = q["plain_language"].map { $0 == "true" } ?? false
        d.visibility = q["visibility"].map(String.init) ?? ""
        return d
    }

    func makeFile(_ request: Request, context: StaffContext) async throws -> Response {
        guard MaterialService.mayAdd(context.staff) else { throw Self.appError(.notAllowed) }
        let draft = Self.draft(request)
        let (name, bytes) = try await RawFileBody.read(request, maxBytes: MaterialService.policy.maxBytes)
        return try await Self.refusing {
            try Self.answer(
                MaterialJSON(try await service.add(draft, file: (name, bytes), by: context.staff), viewer: context.staff), status: .created)
        }
    }

    func edit(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try Self.id(context)
        let input = try await JSONBody.require(MaterialInput.self, request, context: context)
        return try await Self.refusing {
            try Self.answer(MaterialJSON(try await service.edit(id, input.draft, by: context.staff), viewer: context.staff))
        }
    }

    func delete(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try Self.id(context)
        try await Self.refusing { try await service.delete(id, by: context.staff) }
        return Response(status: .noContent)
    }

    func versions(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try Self.id(context)
        return try await Self.refusing { try Self.answer(try await service.versions(id, for: context.staff).map(MaterialJSON.FileJSON.init)) }
    }

    func replace(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try Self.id(context)
        // Rights first: nobody's bytes are read for a material they may not keep.
        let m = try await Self.refusing { try await service.material(id, for: context.staff) }
        guard MaterialService.mayKeep(context.staff, m) else { throw Self.appError(.notAllowed) }
        let (name, bytes) = try await RawFileBody.read(request, maxBytes: MaterialService.policy.maxBytes)
        return try await Self.refusing {
            try Self.answer(
                MaterialJSON(try await service.replace(id, file: (name, bytes), by: context.staff), viewer: context.staff), status: .created)
        }
    }

    func download(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try Self.id(context)
        let version = try Self.id(context, "version")
        let (file, data) = try await Self.refusing { try await service.download(id, version: version, for: context.staff) }
        return FileDownload.response(name: file.name, kind: file.kind, data: data)
    }
}
