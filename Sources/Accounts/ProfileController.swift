import Foundation
import Hummingbird
import KohtaamoBase

/// A staff member's own page: the work profile clients see, and their password.
struct ProfileController {
    let accounts: AccountService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let profile = router.group("/profile", context: StaffContext.self)
        profile.get(use: page)
        profile.post(use: saveProfile)
        profile.post("password", use: changePassword)
    }

    private func render(
        _ request: Request, _ context: StaffContext, staff: StaffRecord, workName: String? = nil,
        workingHours: String? = nil, saved: String? = nil, errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let secondFactorOn = try await accounts.secondFactor(staffID: staff.id)?.confirmed == true
        let t = views.localizer.catalogue(context.language)
        return views.page(
            .profileForm, title: views.title(views.localizer.t("profile_title", context.language)), request: request, context: context,
            status: status,
            model: ProfilePage(
                workName: workName ?? staff.workName, workingHours: workingHours ?? staff.workingHours,
                email: staff.email, saved: saved.map { t[$0] ?? $0 }, secondFactorOn: secondFactorOn),
            errors: errors)
    }

    private func me(_ context: StaffContext) async throws -> StaffRecord { try await Self.signedIn(accounts, context) }

    /// The signed-in person's own account (their profile pages act on it only).
    static func signedIn(_ accounts: AccountService, _ context: StaffContext) async throws -> StaffRecord {
        let p = context.staff
        guard let staff = try await accounts.staff(id: p.staffID) else { throw AppError.unauthorized }
        return staff
    }

    func page(_ request: Request, context: StaffContext) async throws -> Response {
        let staff = try await me(context)
        let saved = request.uri.queryParameters["saved"].map {
            switch $0 {
            case "password": "profile_password_saved";
            case "second_factor_off": "second_factor_off_saved";
            default: "profile_saved"
            }
        }
        return try await render(request, context, staff: staff, saved: saved)
    }

    /// Work name: 2–40 characters of plain text; working hours: up to 200.
    static func validateProfile(workName: String, workingHours: String, into errors: inout FieldErrors) {
        if !Validate.length(workName, 2...40) || !Validate.plainLine(workName) { errors.add("workName", "error_work_name") }
        if !Validate.length(workingHours, 0...200) || !Validate.plainLine(workingHours) { errors.add("workingHours", "error_working_hours") }
    }

    func saveProfile(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let staff = try await me(context)
        var errors = FieldErrors()
        Self.validateProfile(workName: form["workName"], workingHours: form["workingHours"], into: &errors)
        guard errors.isEmpty else {
            return try await render(
                request, context, staff: staff, workName: form["workName"], workingHours: form["workingHours"], errors: errors, status: .badRequest)
        }
        try await accounts.updateWorkProfile(staffID: staff.id, workName: form["workName"], workingHours: form["workingHours"])
        return Views.redirect("/profile?saved=profile")
    }

    func changePassword(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let staff = try await me(context)
        let current = form.pairs.first { $0.0 == "current" }?.1 ?? ""
        let new = form.pairs.first { $0.0 == "new" }?.1 ?? ""
        let repeatNew = form.pairs.first { $0.0 == "repeat" }?.1 ?? ""
        var errors = FieldErrors()
        if !(try await accounts.verify(current, hash: staff.passwordHash)) { errors.add("current", "error_current_password") }
        if let problem = AccountService.passwordProblem(new) { errors.add("new", problem) }
        if new != repeatNew { errors.add("repeat", "error_password_repeat") }
        guard errors.isEmpty else { return try await render(request, context, staff: staff, errors: errors, status: .badRequest) }
        try await accounts.setPassword(staffID: staff.id, hash: try await accounts.hash(new))
        return Views.redirect("/profile?saved=password")
    }
}
