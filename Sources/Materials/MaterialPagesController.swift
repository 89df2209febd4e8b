import Foundation
import Hummingbird
import KohtaamoBase

/// The staff's bank without JavaScript: search and filters (`/bank`), new
/// material (`/bank/new`, a file or a link), one material with its fields,
/// its file's versions, replacing the file and removing it (`/bank/{id}`).
/// The rules are `MaterialService`'s; a refusal comes back beside its field.
struct MaterialPagesController {
    let service: MaterialService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let bank = router.group("/bank", context: StaffContext.self)
        bank.get(use: list)
        bank.get("new", use: newForm)
        bank.post("new", use: make)
        bank.get("{material}", use: item)
        bank.post("{material}", use: edit)
        bank.post("{material}/file", use: replace)
        bank.post("{material}/delete", use: delete)
        bank.get("{material}/versions/{version}", use: download)
    }

    func text(_ context: StaffContext) -> MaterialPageText { MaterialPageText(t: views.localizer.catalogue(context.language)) }

    static func choices<T: RawRepresentable<String>>(_ all: [T], selected: [String], label: (T) -> String) -> [MaterialChoice] {
        all.map { MaterialChoice(value: $0.rawValue, label: label($0), selected: selected.contains($0.rawValue)) }
    }

    // MARK: the list

    func list(_ request: Request, context: StaffContext) async throws -> Response {
        let x = text(context)
        let q = (try? MaterialAPIController.query(request)) ?? MaterialQuery()
        let hits = try await service.search(q, for: context.staff)
        let searched = !MaterialSearch.words(q.words).isEmpty
        let rows = hits.map { h in
            let m = h.material
            let facts = (m.themes.map(x.theme) + m.audiences.map(x.audience) + m.languages.map(x.language)).joined(separator: " · ")
            return MaterialListPage.Row(
                id: m.id.text(), title: m.title, description: searched ? nil : Views.nonEmpty(String(m.description.prefix(200))),
                snippetHTML: searched ? Views.nonEmpty(MaterialSearch.html(h.snippet)) : nil, facts: facts, plainLanguage: m.plainLanguage,
                isLink: !m.isFile)
        }
        return views.page(
            .materials, title: views.title(x.s("materials_title")), request: request, context: context,
            model: MaterialListPage(
                words: q.words,
                themes: Self.choices(DigitalTheme.allCases, selected: q.theme.map { [$0.rawValue] } ?? [], label: x.theme),
                audiences: Self.choices(MaterialAudience.allCases, selected: q.audience.map { [$0.rawValue] } ?? [], label: x.audience),
                languages: Self.choices(MaterialLanguage.allCases, selected: q.language.map { [$0.rawValue] } ?? [], label: x.language),
                rows: rows, searched: searched, count: views.localizer.t("materials_found", context.language, ["count": String(rows.count)]),
                mayAdd: MaterialService.mayAdd(context.staff), deleted: request.uri.queryParameters["deleted"] == "1"))
    }

    // MARK: the forms

    func formPage(_ d: MaterialDraft, isNew: Bool, action: String, _ x: MaterialPageText) -> MaterialFormPage {
        MaterialFormPage(
            isNew: isNew, action: action, form: true, titleValue: d.title, description: d.description, url: d.url,
            themes: Self.choices(DigitalTheme.allCases, selected: d.themes, label: x.theme),
            audiences: Self.choices(MaterialAudience.allCases, selected: d.audiences, label: x.audience),
            languages: Self.choices(MaterialLanguage.allCases, selected: d.languages, label: x.language),
            visibilities: Self.choices(MaterialVisibility.allCases, selected: [d.visibility], label: x.visibility),
            plainLanguage: d.plainLanguage)
    }

    static func draft(_ fields: [(String, String)]) -> MaterialDraft {
        func one(_ name: String) -> String { fields.first { $0.0 == name }?.1 ?? "" }
        var d = MaterialDraft()
        d.title = one("title")
        d.description = one("description")
        d.url = one("url")
        d.themes = fields.filter { $0.0 == "themes" }.map(\.1)
        d.audiences = fields.filter { $0.0 == "audiences" }.map(\.1)
        d.languages = fields.filter { $0.0 == "languages" }.map(\.1)
        d.plainLanguage = one("plain_language") == "1"
        d.visibility = one("visibility")
        return d
    }

    static func draft(_ m: Material) -> MaterialDraft {
        var d = MaterialDraft()
        (d.title, d.description, d.url) = (m.title, m.description, m.url ?? "")
        d.themes = m.themes.map(\.rawValue)
        d.audiences = m.audiences.map(\.rawValue)
        d.languages = m.languages.map(\.rawValue)
        d.plainLanguage = m.plainLanguage
        d.visibility = m.visibility.rawValue
        return d
    }

    /// The field a refusal belongs beside.
    static func field(_ error: any Error) -> (field: String, key: String)? {
        switch error {
        case let r as MaterialRefusal:
            switch r {
            case .badTitle: ("title", r.messageKey)
            case .badDescription: ("description", r.messageKey)
            case .badURL, .fileOrLink: ("url", r.messageKey)
            case .badTheme: ("themes-\(DigitalTheme.allCases[0].rawValue)", r.messageKey)
            case .badAudience: ("audiences-staff", r.messageKey)
            case .badLanguage: ("languages-fi", r.messageKey)
            case .badVisibility: ("visibility-organisation", r.messageKey)
            default: nil
            }
        case let r as FileRefusal: ("file", r.messageKey)
        default: nil
        }
    }

    func newForm(_ request: Request, context: StaffContext) async throws -> Response {
        guard MaterialService.mayAdd(context.staff) else { throw MaterialAPIController.appError(.notAllowed) }
        let x = text(context)
        var d = MaterialDraft()
        (d.audiences, d.languages, d.visibility) = (["staff"], [context.language.rawValue], "network")
        return views.page(
            .materialsForm, title: views.title(x.s("materials_new_title"), x.s("materials_title")), request: request, context: context,
            model: formPage(d, isNew: true, action: "/bank/new", x))
    }

    func make(_ request: Request, context: StaffContext) async throws -> Response {
        guard MaterialService.mayAdd(context.staff) else { throw MaterialAPIController.appError(.notAllowed) }
        let form = try await MultipartForm.read(request, context: context, maxFileBytes: MaterialService.policy.maxBytes)
        let d = Self.draft(form.fields)
        do {
            let m = try await service.add(d, file: form.file.map { ($0.name, $0.bytes) }, by: context.staff)
            return Views.redirect("/bank/\(m.id.text())?saved=1")
        } catch {
            guard let (field, key) = Self.field(error) else { throw MaterialAPIController.converted(error) }
            let x = text(context)
            return views.page(
                .materialsForm, title: views.title(x.s("materials_new_title"), x.s("materials_title")), request: request, context: context,
                status: .badRequest, model: formPage(d, isNew: true, action: "/bank/new", x), errors: FieldErrors(field, key))
        }
    }

    // MARK: one material

    func itemPage(_ m: Material, _ context: StaffContext, edit: MaterialDraft? = nil, saved: Bool = false) async throws -> MaterialItemPage {
        let x = text(context)
        let versions = m.isFile ? try await service.versions(m.id, for: context.staff) : []
        let may = MaterialService.mayKeep(context.staff, m)
        return MaterialItemPage(
            id: m.id.text(), heading: m.title, description: Views.nonEmpty(m.description), url: m.url,
            facts: [
                x.s("materials_field_themes") + ": " + (m.themes.isEmpty ? "–" : m.themes.map(x.theme).joined(separator: ", ")),
                x.s("materials_field_audiences") + ": " + m.audiences.map(x.audience).joined(separator: ", "),
                x.s("materials_field_languages") + ": " + m.languages.map(x.language).joined(separator: ", "),
                x.s("materials_field_visibility") + ": " + x.visibility(m.visibility),
            ],
            plainLanguage: m.plainLanguage, clientPath: m.forClients ? "/materials/\(m.id.text())" : nil,
            versions: versions.reversed().map { v in
                MaterialItemPage.Version(
                    number: v.number, name: v.name, size: x.size(v.size), at: Helsinki.text(v.atMs, in: context.language),
                    path: "/bank/\(m.id.text())/versions/\(v.id.text())", current: v.id == m.file?.id)
            },
            isFile: m.isFile, mayEdit: may, saved: saved,
            edit: may ? formPage(edit ?? Self.draft(m), isNew: false, action: "/bank/\(m.id.text())", x) : nil, form: true)
    }

    func item(_ request: Request, context: StaffContext) async throws -> Response {
        let m = try await MaterialAPIController.refusing { try await service.material(try MaterialAPIController.id(context), for: context.staff) }
        return views.page(
            .materialsItem, title: views.title(m.title, text(context).s("materials_title")), request: request, context: context,
            model: try await itemPage(m, context, saved: request.uri.queryParameters["saved"] == "1"))
    }

    func edit(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try MaterialAPIController.id(context)
        let form = try await Form.read(request, context: context)
        let d = Self.draft(form.pairs)
        do {
            _ = try await service.edit(id, d, by: context.staff)
            return Views.redirect("/bank/\(id.text())?saved=1")
        } catch {
            guard let (field, key) = Self.field(error) else { throw MaterialAPIController.converted(error) }
            let m = try await MaterialAPIController.refusing { try await service.material(id, for: context.staff) }
            return views.page(
                .materialsItem, title: views.title(m.title, text(context).s("materials_title")), request: request, context: context,
                status: .badRequest, model: try await itemPage(m, context, edit: d), errors: FieldErrors(field, key))
        }
    }

    func replace(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try MaterialAPIController.id(context)
        let m = try await MaterialAPIController.refusing { try await service.material(id, for: context.staff) }
        guard MaterialService.mayKeep(context.staff, m) else { throw MaterialAPIController.appError(.notAllowed) }
        let form = try await MultipartForm.read(request, context: context, maxFileBytes: MaterialService.policy.maxBytes)
        do {
            guard let file = form.file else { throw FileRefusal.empty }
            _ = try await service.replace(id, file: (file.name, file.bytes), by: context.staff)
            return Views.redirect("/bank/\(id.text())?saved=1#versions")
        } catch {
            guard let (field, key) = Self.field(error) else { throw MaterialAPIController.converted(error) }
            return views.page(
                .materialsItem, title: views.title(m.title, text(context).s("materials_title")), request: request, context: context,
                status: .badRequest, model: try await itemPage(m, context), errors: FieldErrors(field, key))
        }
    }

    func delete(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try MaterialAPIController.id(context)
        _ = try await Form.read(request, context: context)
        try await MaterialAPIController.refusing { try await service.delete(id, by: context.staff) }
        return Views.redirect("/bank?deleted=1")
    }

    func download(_ request: Request, context: StaffContext) async throws -> Response {
        let id = try MaterialAPIController.id(context)
        let version = try MaterialAPIController.id(context, "version")
        let (file, data) = try await MaterialAPIController.refusing { try await service.download(id, version: version, for: context.staff) }
        return FileDownload.response(name: file.name, kind: file.kind, data: data)
    }
}

/// A material written for clients, as a client opens it: a page that works
/// without JavaScript and without signing in (`/materials/{id}`), and its file.
struct MaterialClientController {
    let service: MaterialService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/materials/{material}", use: page)
        router.get("/materials/{material}/file", use: file)
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let m = try await MaterialAPIController.refusing { try await service.clientMaterial(try MaterialAPIController.id(context)) }
        let x = MaterialPageText(t: views.localizer.catalogue(context.language))
        return views.page(
            .material, title: views.title(m.title), request: request, context: context,
            model: MaterialClientPage(
                heading: m.title, description: Views.nonEmpty(m.description), url: m.url,
                download: m.file.map { _ in "/materials/\(m.id.text())/file" },
                fileFacts: m.file.map { "\($0.kind.fileExtension.uppercased()), \(x.size($0.size))" }, plainLanguage: m.plainLanguage))
    }

    func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (f, data) = try await MaterialAPIController.refusing { try await service.clientDownload(try MaterialAPIController.id(context)) }
        return FileDownload.response(name: f.name, kind: f.kind, data: data)
    }
}
