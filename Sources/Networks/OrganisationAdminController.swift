import Foundation
import Hummingbird
import KohtaamoBase

/// Coordinator pages for organisations: a network coordinator adds member
/// organisations; a coordinator can rename their own.
struct OrganisationAdminController {
    let repository: any NetworkRepository
    let views: Views
    let clock: AppClock

    func addRoutes(to router: Router<AppRequestContext>) {
        let organisations = router.group("/admin/organisations", context: CoordinatorContext.self)
        organisations.get(use: list)
        organisations.post(use: create)
        organisations.get("{id}", use: editPage)
        organisations.post("{id}", use: update)
    }

    private func render(
        _ request: Request, _ context: CoordinatorContext, _ me: StaffPrincipal, form: Form? = nil,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let lang = context.language
        let orgs = try await repository.organisations(network: me.networkID)
            .filter { me.canManage(organisation: $0.id, inNetwork: $0.networkID) }
            .map { OrganisationsAdminPage.Organisation(id: $0.id.uuidString, name: $0.names.in(lang)) }
        return views.page(
            .adminOrganisations, title: views.title(views.localizer.t("organisations_title", lang)),
            request: request, context: context, status: status,
            model: OrganisationsAdminPage(
                organisations: orgs, canCreate: me.role == .networkCoordinator,
                nameFi: form?["nameFi"] ?? "", nameSv: form?["nameSv"] ?? "", nameEn: form?["nameEn"] ?? ""),
            errors: errors)
    }

    func list(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await render(request, context, context.staff)
    }

    /// Names: Finnish required (2–80), Swedish and English optional.
    static func names(_ form: Form, errors: inout FieldErrors) -> LocalizedText {
        if !Validate.length(form["nameFi"], 2...80) || !Validate.plainLine(form["nameFi"]) { errors.add("nameFi", "error_name_fi") }
        for f in ["nameSv", "nameEn"] where !Validate.length(form[f], 0...80) || !Validate.plainLine(form[f]) { errors.add(f, "error_name") }
        return LocalizedText(fi: form["nameFi"], sv: form["nameSv"], en: form["nameEn"])
    }

    func create(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        guard me.role == .networkCoordinator else { throw AppError.forbidden }
        let form = try await Form.read(request, context: context)
        var errors = FieldErrors()
        let names = Self.names(form, errors: &errors)
        guard errors.isEmpty else { return try await render(request, context, me, form: form, errors: errors, status: .badRequest) }
        _ = try await repository.createOrganisation(network: me.networkID, names: names, at: clock.now)
        return Views.redirect("/admin/organisations")
    }

    private func target(_ context: CoordinatorContext, _ me: StaffPrincipal) async throws -> Organisation {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let org = try await repository.organisation(id: id),
            me.canManage(organisation: org.id, inNetwork: org.networkID)
        else { throw AppError.notFound }
        return org
    }

    private func renderEdit(
        _ request: Request, _ context: CoordinatorContext, org: Organisation, names: LocalizedText,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) -> Response {
        let lang = context.language
        return views.page(
            .organisationForm, title: views.title(org.names.in(lang), views.localizer.t("organisations_title", lang)),
            request: request, context: context, status: status,
            model: OrganisationFormPage(id: org.id.uuidString, name: org.names.in(lang), nameFi: names.fi, nameSv: names.sv, nameEn: names.en),
            errors: errors)
    }

    func editPage(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let org = try await target(context, me)
        return renderEdit(request, context, org: org, names: org.names)
    }

    func update(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        let org = try await target(context, me)
        var errors = FieldErrors()
        let names = Self.names(form, errors: &errors)
        guard errors.isEmpty else { return renderEdit(request, context, org: org, names: names, errors: errors, status: .badRequest) }
        try await repository.renameOrganisation(id: org.id, names: names)
        return Views.redirect("/admin/organisations")
    }
}
