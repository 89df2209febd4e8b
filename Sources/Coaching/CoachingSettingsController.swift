import Foundation
import Hummingbird
import KohtaamoBase

/// What a coordinator sets for each coaching service: its coaches (staff of
/// the service's organisation), how late a coachee may still move or cancel
/// an appointment, and which files are taken. `/admin/coaching` lists the
/// coaching services the coordinator manages.
struct CoachingSettingsController {
    let coaching: CoachingService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/admin/coaching", context: CoordinatorContext.self).get(use: index)
        let settings = router.group("/admin/services/{id}/coaching", context: CoordinatorContext.self)
        settings.get(use: page)
        settings.post(use: save)
    }

    /// The coaching services whose organisation this coordinator manages.
    func managed(_ me: StaffPrincipal) async throws -> [ServiceInfo] {
        var out: [ServiceInfo] = []
        for s in try await coaching.services.services(network: me.networkID) where s.kind == .coaching {
            if (try? await coaching.requireCoordinator(me, s)) != nil { out.append(s) }
        }
        return out
    }

    func index(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let list = try await managed(context.staff).map {
            CoachingAdminPage.Service(id: $0.id.uuidString, name: $0.names.in(context.language))
        }
        return views.page(
            .adminCoaching, title: views.title(views.localizer.t("coaching_admin_title", context.language)), request: request, context: context,
            model: CoachingAdminPage(services: list, hasServices: !list.isEmpty))
    }

    private func service(_ context: CoordinatorContext) async throws -> ServiceInfo {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let s = try await managed(context.staff).first(where: { $0.id == id })
        else { throw AppError.notFound }
        return s
    }

    /// `typed`: the limit and the size as sent, when the form comes back with an error.
    private func render(
        _ request: Request, _ context: CoordinatorContext, _ info: ServiceInfo, _ s: CoachingSettings, saved: Bool = false,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok, typed: (hours: String, megabytes: String)? = nil
    ) async throws -> Response {
        let t = views.localizer.catalogue(context.language)
        let people = try await coaching.candidates(info).map {
            CoachingSettingsPage.Choice(
                value: $0.id.uuidString, label: "\($0.workName) (\(t["role_\($0.role.rawValue)"] ?? $0.role.rawValue))",
                checked: s.coaches.contains($0.id))
        }
        let types = FileKind.Group.allCases.map {
            CoachingSettingsPage.Choice(
                value: $0.rawValue, label: views.localizer.t("coaching_files_\($0.rawValue)", context.language),
                checked: s.fileGroups.contains($0.rawValue))
        }
        let megabytes =
            s.fileMaxBytes % (1024 * 1024) == 0 ? String(s.fileMaxBytes / (1024 * 1024)) : String(format: "%.1f", Double(s.fileMaxBytes) / 1_048_576)
        return views.page(
            .coachingSettingsForm,
            title: views.title(info.names.in(context.language), views.localizer.t("coaching_admin_title", context.language)),
            request: request, context: context, status: status,
            model: CoachingSettingsPage(
                id: info.id.uuidString, name: info.names.in(context.language), saved: saved, people: people, hasPeople: !people.isEmpty,
                changeLimitHours: typed?.hours ?? String(s.changeLimitHours), fileMegabytes: typed?.megabytes ?? megabytes, types: types),
            errors: errors)
    }

    func page(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let info = try await service(context)
        return try await render(
            request, context, info, try await coaching.settings(info), saved: request.uri.queryParameters["saved"] != nil)
    }

    func save(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await service(context)
        var s = try await coaching.settings(info)
        var errors = FieldErrors()
        let allowed = Set(try await coaching.candidates(info).map(\.id))
        let chosen = Set(form.values("coaches").compactMap(UUID.init(uuidString:)))
        if chosen.count != form.values("coaches").count || !chosen.isSubset(of: allowed) { errors.add("coaches", "error_bad_coach") }
        let hours = form["changeLimitHours"].trimmingCharacters(in: .whitespaces)
        if let n = Int(hours), (0...336).contains(n) { s.changeLimitHours = n } else { errors.add("changeLimitHours", "error_coaching_limit_hours") }
        let megabytes = form["fileMegabytes"].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        if let n = Double(megabytes), n >= 0.1, n <= 25 {
            s.fileMaxBytes = Int(n * 1_048_576)
        } else {
            errors.add("fileMegabytes", "error_coaching_file_size")
        }
        let groups = form.values("fileTypes").filter { FileKind.Group(rawValue: $0) != nil }
        if groups.isEmpty || groups.count != form.values("fileTypes").count {
            errors.add("fileTypes", "error_coaching_file_types")
        } else {
            s.fileGroups = groups
        }
        s.coaches = chosen.intersection(allowed)
        guard errors.isEmpty else {
            return try await render(request, context, info, s, errors: errors, status: .badRequest, typed: (hours, form["fileMegabytes"]))
        }
        do {
            try await coaching.saveSettings(s, by: context.staff, service: info)
        } catch let r as CoachingService.Refusal {
            throw CoachingAPIController.appError(r)
        }
        return Views.redirect("/admin/services/\(info.id.uuidString)/coaching?saved=1")
    }
}

/// The coaching services a coordinator manages (`admin_coaching.mustache`).
struct CoachingAdminPage: PageModel {
    let services: [Service]
    let hasServices: Bool
    struct Service {
        let id: String
        let name: String
    }
}

/// A coaching service's set-up (`coaching_settings_form.mustache`).
struct CoachingSettingsPage: PageModel {
    let id: String
    let name: String
    let saved: Bool
    /// Staff of the service's organisation; its coaches ticked.
    let people: [Choice]
    let hasPeople: Bool
    let changeLimitHours: String
    let fileMegabytes: String
    let types: [Choice]
    struct Choice {
        let value: String
        let label: String
        let checked: Bool
    }
}
