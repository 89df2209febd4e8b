import Foundation
import Hummingbird
import KohtaamoBase

/// Coordinator pages for people: list, add, change role or organisation,
/// deactivate, and make a one-time password link.
struct StaffAdminController {
    let accounts: AccountService
    let views: Views
    let organisations: any OrganisationDirectory
    let publicURL: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/admin/staff", context: CoordinatorContext.self)
        staff.get(use: list)
        staff.get("new", use: newPage)
        staff.post("new", use: create)
        staff.get("{id}", use: editPage)
        staff.post("{id}", use: update)
        staff.post("{id}/link", use: makeLink)
        staff.post("{id}/second-factor/remove", use: removeSecondFactor)
        staff.post("second-factor", use: setSecondFactorRule)
    }

    private func t(_ context: CoordinatorContext) -> [String: String] { views.localizer.catalogue(context.language) }

    func list(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await renderList(request, context, context.staff)
    }

    private func renderList(
        _ request: Request, _ context: CoordinatorContext, _ me: StaffPrincipal, ruleError: (org: UUID, key: String)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let orgs = try await organisations.manageable(by: me, language: context.language)
        let names = Dictionary(orgs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let t = t(context)
        let people = try await accounts.staff(inOrganisations: orgs.map(\.id))
        let withFactor = try await accounts.withSecondFactor(people.map(\.id))
        let staff = people.map { s in
            StaffListPage.Person(
                id: s.id.uuidString, email: s.email, workName: s.workName, role: t["role_\(s.role.rawValue)"] ?? s.role.rawValue,
                organisation: names[s.organisationID] ?? "", active: s.active, passwordSet: !s.passwordHash.isEmpty,
                secondFactor: withFactor.contains(s.id))
        }
        var rules: [StaffListPage.Rule] = []
        for org in orgs {
            rules.append(
                .init(
                    id: org.id.uuidString, name: org.name, required: try await accounts.secondFactorRequired(organisation: org.id),
                    error: ruleError?.org == org.id ? t[ruleError!.key] ?? "" : nil))
        }
        return views.page(
            .adminStaff, title: views.title(views.localizer.t("staff_title", context.language)), request: request, context: context, status: status,
            model: StaffListPage(staff: staff, hasStaff: !staff.isEmpty, rules: rules))
    }

    /// An organisation's rule that everyone signs in with a second factor.
    /// Switching it on ends the sign-ins of those without one: their next
    /// sign-in leads them through setting it up.
    func setSecondFactorRule(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        let orgs = try await organisations.manageable(by: me, language: context.language)
        guard let org = UUID(uuidString: form["organisation"]), orgs.contains(where: { $0.id == org }) else { throw AppError.notFound }
        let required = form.has("required")
        guard required != (try await accounts.secondFactorRequired(organisation: org)) else { return Views.redirect("/admin/staff") }
        // The coordinator goes first, so the rule cannot sign them out.
        if required, try await accounts.secondFactor(staffID: me.staffID)?.confirmed != true {
            return try await renderList(request, context, me, ruleError: (org, "error_own_second_factor_first"), status: .conflict)
        }
        try await accounts.setSecondFactorRequired(organisation: org, required)
        if required {
            let people = try await accounts.staff(inOrganisations: [org])
            let withFactor = try await accounts.withSecondFactor(people.map(\.id))
            for person in people where !withFactor.contains(person.id) { try await accounts.endSessions(staffID: person.id) }
        }
        try await accounts.audit?.record(
            .init(
                at: accounts.clock.now, staffID: me.staffID, staffName: me.workName, organisationID: org,
                action: required ? "second_factor.required" : "second_factor.optional",
                target: orgs.first { $0.id == org }?.name ?? ""))
        return Views.redirect("/admin/staff")
    }

    /// For a person who lost both their phone and their recovery codes.
    func removeSecondFactor(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        _ = try await Form.read(request, context: context)
        let (staff, _) = try await target(context, me)
        guard staff.id != me.staffID else { throw AppError.forbidden }
        try await accounts.removeSecondFactor(staff: staff, by: me)
        return Views.redirect("/admin/staff/\(staff.id.uuidString)")
    }

    private func roleOptions(_ me: StaffPrincipal, selected: Role?, _ t: [String: String]) -> [StaffFormOption] {
        me.role.assignable.map { .init(value: $0.rawValue, label: t["role_\($0.rawValue)"] ?? $0.rawValue, selected: $0 == selected) }
    }

    private func orgOptions(_ orgs: [(id: UUID, name: String)], selected: UUID?) -> [StaffFormOption] {
        orgs.map { .init(value: $0.id.uuidString, label: $0.name, selected: $0.id == selected) }
    }

    private func renderNew(
        _ request: Request, _ context: CoordinatorContext, _ me: StaffPrincipal, form: Form?, errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let t = t(context)
        let orgs = try await organisations.manageable(by: me, language: context.language)
        let role = form.flatMap { Role(rawValue: $0["role"]) } ?? .worker
        let org = form.flatMap { UUID(uuidString: $0["organisation"]) } ?? me.organisationID
        return views.page(
            .staffNewForm,
            title: views.title(views.localizer.t("staff_new_title", context.language), views.localizer.t("staff_title", context.language)),
            request: request, context: context, status: status,
            model: StaffNewPage(
                email: form?["email"] ?? "", workName: form?["workName"] ?? "",
                roles: roleOptions(me, selected: role, t), organisations: orgOptions(orgs, selected: org)),
            errors: errors)
    }

    func newPage(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await renderNew(request, context, context.staff, form: nil)
    }

    func create(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        let orgs = try await organisations.manageable(by: me, language: context.language)
        var errors = FieldErrors()
        let email = form["email"].lowercased()
        if !Validate.email(email) { errors.add("email", "error_email_invalid") }
        ProfileController.validateProfile(workName: form["workName"], workingHours: "", into: &errors)
        let role = Role(rawValue: form["role"])
        if role == nil || !me.role.assignable.contains(role!) { errors.add("role", "error_role") }
        let org = UUID(uuidString: form["organisation"])
        if org == nil || !orgs.contains(where: { $0.id == org }) { errors.add("organisation", "error_organisation") }
        guard errors.isEmpty, let role, let org else {
            return try await renderNew(request, context, me, form: form, errors: errors, status: .badRequest)
        }
        let staff: StaffRecord
        do {
            staff = try await accounts.createStaff(
                organisationID: org, email: email, passwordHash: "", role: role,
                workName: form["workName"], workingHours: "", at: accounts.clock.now)
        } catch AccountError.emailTaken {
            errors.add("email", "error_email_taken")
            return try await renderNew(request, context, me, form: form, errors: errors, status: .conflict)
        }
        try await audit(me, "staff.create", staff, staff.role.rawValue, organisation: org)
        return try await linkPage(request, context, staff: staff, me: me, created: true)
    }

    /// Role and permission changes go to the audit log of the organisation concerned.
    private func audit(_ me: StaffPrincipal, _ action: String, _ staff: StaffRecord, _ detail: String, organisation: UUID) async throws {
        try await accounts.audit?.record(
            .init(
                at: accounts.clock.now, staffID: me.staffID,
                staffName: me.workName, organisationID: organisation, action: action,
                target: "\(staff.workName) (\(detail))", reason: ""))
    }

    /// The staff member, if `me` may manage them; else 404 (as if it did not exist).
    private func target(_ context: CoordinatorContext, _ me: StaffPrincipal) async throws -> (StaffRecord, [(id: UUID, name: String)]) {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let staff = try await accounts.staff(id: id)
        else { throw AppError.notFound }
        let orgs = try await organisations.manageable(by: me, language: context.language)
        guard orgs.contains(where: { $0.id == staff.organisationID }) else { throw AppError.notFound }
        // A coordinator cannot change a network coordinator.
        guard me.role.assignable.contains(staff.role) else { throw AppError.forbidden }
        return (staff, orgs)
    }

    private func renderEdit(
        _ request: Request, _ context: CoordinatorContext, _ me: StaffPrincipal, staff: StaffRecord,
        orgs: [(id: UUID, name: String)], errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let t = t(context)
        let secondFactor = try await accounts.secondFactor(staffID: staff.id)?.confirmed == true
        return views.page(
            .staffEditForm, title: views.title(staff.workName, views.localizer.t("staff_title", context.language)),
            request: request, context: context, status: status,
            model: StaffEditPage(
                id: staff.id.uuidString, email: staff.email, workName: staff.workName, active: staff.active,
                passwordSet: !staff.passwordHash.isEmpty, isSelf: staff.id == me.staffID, secondFactor: secondFactor,
                roles: roleOptions(me, selected: staff.role, t), organisations: orgOptions(orgs, selected: staff.organisationID)),
            errors: errors)
    }

    func editPage(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let (staff, orgs) = try await target(context, me)
        return try await renderEdit(request, context, me, staff: staff, orgs: orgs)
    }

    func update(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let form = try await Form.read(request, context: context)
        let (staff, orgs) = try await target(context, me)
        var errors = FieldErrors()
        let role = Role(rawValue: form["role"])
        if role == nil || !me.role.assignable.contains(role!) { errors.add("role", "error_role") }
        let org = UUID(uuidString: form["organisation"])
        if org == nil || !orgs.contains(where: { $0.id == org }) { errors.add("organisation", "error_organisation") }
        let active = form.has("active")
        // Nobody locks themselves out of the coordinator pages by mistake.
        if staff.id == me.staffID, !active || role?.canAdminister == false { errors.add("role", "error_self_demote") }
        guard errors.isEmpty, let role, let org else {
            return try await renderEdit(request, context, me, staff: staff, orgs: orgs, errors: errors, status: .badRequest)
        }
        try await accounts.updateStaff(id: staff.id, organisationID: org, role: role, active: active)
        if !active { try await accounts.endSessions(staffID: staff.id) }
        var changes: [String] = []
        if role != staff.role { changes.append("\(staff.role.rawValue) → \(role.rawValue)") }
        if org != staff.organisationID { changes.append("organisation") }
        if active != staff.active { changes.append(active ? "active" : "inactive") }
        if !changes.isEmpty { try await audit(me, "staff.change", staff, changes.joined(separator: ", "), organisation: org) }
        return Views.redirect("/admin/staff")
    }

    func makeLink(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        _ = try await Form.read(request, context: context)
        let (staff, _) = try await target(context, me)
        return try await linkPage(request, context, staff: staff, me: me, created: false)
    }

    /// Shows the one-time link once; only its hash is stored.
    private func linkPage(_ request: Request, _ context: CoordinatorContext, staff: StaffRecord, me: StaffPrincipal, created: Bool) async throws
        -> Response
    {
        let token = try await accounts.makeResetToken(staffID: staff.id, createdBy: me.staffID)
        let base = publicURL ?? "http://\(request.head.authority ?? "127.0.0.1")"
        return views.page(
            .staffLink,
            title: views.title(views.localizer.t("staff_link_title", context.language), views.localizer.t("staff_title", context.language)),
            request: request, context: context, status: created ? .created : .ok,
            model: StaffLinkPage(
                link: "\(base)/reset/\(token)", email: staff.email, created: created,
                hours: Int(AccountService.resetLifetime / 3600)))
    }
}
