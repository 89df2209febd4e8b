import Foundation
import Hummingbird
import KohtaamoBase

/// The import of help points from a CSV file: the JSON API's
/// `POST /api/finder/import` (the file as the body, `text/csv`) and the
/// coordinators' page `/admin/finder/import` (a file form that works without
/// JavaScript, with the problems as a table by line and column), and the
/// template to start from. The rules are in `FinderImport`.
struct FinderImportController {
    let importer: FinderImport
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/api/finder", context: StaffContext.self).post("import", use: importCSV)
        let page = router.group("/admin/finder/import", context: StaffContext.self)
        page.get(use: show)
        page.post(use: upload)
        page.get("template.csv", use: template)
    }

    static let notAllowed = AppError(.forbidden, code: FinderRefusal.notAllowed.rawValue, messageKey: FinderRefusal.notAllowed.messageKey)

    /// Only coordinators import: checked before the body is read.
    static func coordinator(_ context: StaffContext) throws -> StaffPrincipal {
        guard context.staff.role.canAdminister else { throw notAllowed }
        return context.staff
    }

    // MARK: the API

    struct ProblemJSON: Encodable {
        let line: Int
        let column: String
        let code: String
        let message: String
    }

    struct RefusedJSON: Encodable {
        let code: String
        let message: String
        let problems: [ProblemJSON]
    }

    struct SavedJSON: Encodable {
        /// Points saved (new and replaced).
        let saved: Int
        /// Of them, points that were there and were replaced.
        let replaced: Int
        /// Municipalities first named by this file, by slug.
        let municipalities: [String]
    }

    func importCSV(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.coordinator(context)
        guard request.headers[.contentType]?.lowercased().hasPrefix("text/csv") ?? false else { throw AppError.unsupportedMediaType }
        let data: Data
        do { data = Data(try await request.body.collect(upTo: FinderImport.maxBytes).readableBytesView) } catch {
            return try refusedJSON(.init(problems: [.init(line: 0, column: "", .importTooLarge)]), context.language)
        }
        switch try await importer.run(data, by: p, language: context.language) {
        case .failure(let refused): return try refusedJSON(refused, context.language)
        case .success(let saved):
            return try JSONResponse.make(
                SavedJSON(saved: saved.points.count, replaced: saved.replaced, municipalities: saved.municipalities.map(\.slug)))
        }
    }

    /// 400 (413 for a file too large) with every problem: a line-0 problem is the whole file's.
    func refusedJSON(_ refused: FinderImport.Refused, _ language: Language) throws -> Response {
        let t = views.localizer.catalogue(language)
        let first = refused.problems.first?.refusal ?? .badFile
        let tooLarge = first == .importTooLarge
        let problems = refused.problems.filter { $0.line > 0 }.map {
            ProblemJSON(line: $0.line, column: $0.column, code: $0.refusal.rawValue, message: t[$0.refusal.messageKey] ?? $0.refusal.rawValue)
        }
        let code = tooLarge ? FinderRefusal.importTooLarge : .badFile
        return try JSONResponse.make(
            RefusedJSON(code: code.rawValue, message: t[code.messageKey] ?? code.rawValue, problems: problems),
            status: tooLarge ? .contentTooLarge : .badRequest)
    }

    // MARK: the page

    struct ImportPage: PageModel {
        struct Problem {
            let line: String
            let column: String
            let message: String
        }
        struct SavedPoint {
            let name: String
            let municipality: String
        }
        /// The file's name, when one was sent.
        var fileName: String?
        /// Every problem, by line and column (the line empty for the whole file).
        var problems: [Problem] = []
        /// Set by `render` (a template sees stored properties only).
        var hasProblems = false
        var saved: [SavedPoint] = []
        var savedCount: String?
        var replacedCount: String?
        var newMunicipalities: String?
        let maxRows = "2 000"
        let columns = HelpPointDraft.fields.joined(separator: ", ")
        let required = FinderImport.requiredColumns.joined(separator: ", ")
        /// Network coordinators name each row's organisation.
        let network: Bool
    }

    func render(_ request: Request, _ context: StaffContext, _ page: ImportPage, status: HTTPResponse.Status = .ok) -> Response {
        let t = views.localizer.catalogue(context.language)
        var model = page
        model.hasProblems = !page.problems.isEmpty
        return views.page(
            .finderImport, title: views.title(t["finder_import_title"] ?? ""), request: request, context: context, status: status, model: model)
    }

    func show(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.coordinator(context)
        return render(request, context, ImportPage(network: p.role == .networkCoordinator))
    }

    func upload(_ request: Request, context: StaffContext) async throws -> Response {
        let p = try Self.coordinator(context)
        let t = views.localizer.catalogue(context.language)
        var model = ImportPage(network: p.role == .networkCoordinator)
        let form: MultipartForm
        do { form = try await MultipartForm.read(request, context: context, maxFileBytes: FinderImport.maxBytes) } catch let e as AppError
            where e.code == "file_too_large"
        {
            model.problems = [.init(line: "", column: "", message: t[FinderRefusal.importTooLarge.messageKey] ?? "")]
            return render(request, context, model, status: .contentTooLarge)
        }
        guard let file = form.file, !file.bytes.isEmpty else {
            model.problems = [.init(line: "", column: "", message: t["finder_import_no_file"] ?? "")]
            return render(request, context, model, status: .badRequest)
        }
        model.fileName = file.name
        switch try await importer.run(file.bytes, by: p, language: context.language) {
        case .failure(let refused):
            model.problems = refused.problems.map {
                .init(line: $0.line > 0 ? String($0.line) : "", column: $0.column, message: t[$0.refusal.messageKey] ?? $0.refusal.rawValue)
            }
            return render(request, context, model, status: .badRequest)
        case .success(let saved):
            let names = Dictionary(
                try await importer.finder.repository.municipalities().map { ($0.slug, $0.names.in(context.language)) },
                uniquingKeysWith: { a, _ in a })
            model.saved = saved.points.map { .init(name: $0.name, municipality: names[$0.municipality] ?? $0.municipality) }
            (model.savedCount, model.replacedCount) = (String(saved.points.count), String(saved.replaced))
            model.newMunicipalities = Views.nonEmpty(saved.municipalities.map { $0.names.in(context.language) }.joined(separator: ", "))
            return render(request, context, model)
        }
    }

    /// The header and one example row, as Finnish Excel writes them (`;`, UTF-8 with a byte-order mark so Excel reads ä and ö).
    func template(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try Self.coordinator(context)
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"help-points.csv\""],
            body: .init(byteBuffer: ByteBuffer(string: "\u{FEFF}" + FinderImport.template)))
    }
}
