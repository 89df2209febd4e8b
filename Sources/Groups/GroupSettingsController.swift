import Foundation
import Hummingbird
import KohtaamoBase

/// What a coordinator sets for each group: its kind, who gets in, whether
/// volunteers moderate, its facilitators, the rules in each language, and
/// how long its messages are kept. `/admin/groups`
/// lists the groups the coordinator manages.
struct GroupSettingsController {
    let groups: GroupService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/admin/groups", context: CoordinatorContext.self).get(use: index)
        let group = router.group("/admin/services/{id}/group", context: CoordinatorContext.self)
        group.get(use: page)
        group.post(use: save)
    }

    private func t(_ context: CoordinatorContext) -> [String: String] { views.localizer.catalogue(context.language) }

    func managed(_ me: StaffPrincipal) async throws -> [ServiceInfo] {
        try await groups.services.services(network: me.networkID).filter { s in
            s.kind == .group && s.organisations.first.map { me.canManage(organisation: $0, inNetwork: me.networkID) } == true
        }
    }

    func index(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let me = context.staff
        let list = try await managed(me).map { GroupsAdminPage.Group(id: $0.id.uuidString, slug: $0.slug, name: $0.names.in(context.language)) }
        return views.page(
            .adminGroups, title: views.title(views.localizer.t("groups_admin_title", context.language)), request: request, context: context,
            model: GroupsAdminPage(groups: list, hasGroups: !list.isEmpty))
    }

    private func service(_ context: CoordinatorContext) async throws -> (ServiceInfo, StaffPrincipal) {
        let me = context.staff
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let s = try await managed(me).first(where: { $0.id == id })
        else { throw AppError.notFound }
        return (s, me)
    }

    /// `retention`: the choice and the days as sent, when the form comes back with an error.
    private func render(
        _ request: Request, _ context: CoordinatorContext, _ info: ServiceInfo, _ s: GroupSettings,
        facilitators: Set<UUID>, saved: Bool = false, errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok, retention: (keep: Bool, days: String)? = nil
    ) async throws -> Response {
        let retention = retention ?? (s.retentionDays == nil, s.retentionDays.map(String.init) ?? "")
        let t = t(context)
        let people = try await groups.staff.members(organisations: info.organisations).map { s in
            GroupSettingsPage.Person(
                id: s.id.uuidString, name: s.workName, role: t["role_\(s.role.rawValue)"] ?? s.role.rawValue, checked: facilitators.contains(s.id))
        }
        return views.page(
            .groupSettingsForm, title: views.title(info.names.in(context.language), views.localizer.t("groups_admin_title", context.language)),
            request: request,
            context: context, status: status,
            model: GroupSettingsPage(
                id: info.id.uuidString, slug: info.slug, name: info.names.in(context.language), saved: saved,
                styles: GroupStyle.allCases.map {
                    .init(value: $0.rawValue, label: views.localizer.t("group_style_\($0.rawValue)", context.language), checked: $0 == s.style)
                },
                accesses: GroupAccess.allCases.map {
                    .init(value: $0.rawValue, label: views.localizer.t("group_access_\($0.rawValue)", context.language), checked: $0 == s.access)
                },
                volunteersModerate: s.volunteersModerate, rulesFi: s.rules.fi, rulesSv: s.rules.sv, rulesEn: s.rules.en,
                rulesVersion: s.rulesVersion, questionsFi: s.questions.fi, questionsSv: s.questions.sv,
                questionsEn: s.questions.en, people: people, hasPeople: !people.isEmpty,
                keepWhileGroup: retention.keep, retentionDays: retention.days),
            errors: errors)
    }

    func page(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let (info, _) = try await service(context)
        let s = try await groups.settings(for: info)
        return try await render(
            request, context, info, s, facilitators: try await groups.facilitators(service: info.id),
            saved: request.uri.queryParameters["saved"] != nil)
    }

    func save(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, me) = try await service(context)
        var s = try await groups.settings(for: info)
        var errors = FieldErrors()
        let style = GroupStyle(rawValue: form["style"]), access = GroupAccess(rawValue: form["access"])
        if style == nil { errors.add("style", "error_group_style") }
        if access == nil { errors.add("access", "error_group_access") }
        // Rules: up to 4,000 characters each; Finnish is required (the fallback language).
        let rules = LocalizedText(
            fi: form["rulesFi"].trimmingCharacters(in: .whitespacesAndNewlines),
            sv: form["rulesSv"].trimmingCharacters(in: .whitespacesAndNewlines),
            en: form["rulesEn"].trimmingCharacters(in: .whitespacesAndNewlines))
        if !Validate.length(rules.fi, 1...4000) { errors.add("rulesFi", "error_group_rules_text") }
        for (field, text) in [("rulesSv", rules.sv), ("rulesEn", rules.en)] where !Validate.length(text, 0...4000) {
            errors.add(field, "error_group_rules_text")
        }
        // Questions of a screened group: at most 10 lines of 300 characters in each language.
        let questions = LocalizedText(
            fi: form["questionsFi"].trimmingCharacters(in: .whitespacesAndNewlines),
            sv: form["questionsSv"].trimmingCharacters(in: .whitespacesAndNewlines),
            en: form["questionsEn"].trimmingCharacters(in: .whitespacesAndNewlines))
        for (field, text) in [("questionsFi", questions.fi), ("questionsSv", questions.sv), ("questionsEn", questions.en)] {
            let lines = text.split(whereSeparator: \.isNewline)
            if lines.count > 10 || lines.contains(where: { $0.count > 300 }) || !Validate.plainText(text) {
                errors.add(field, "error_group_questions")
            }
        }
        if access == .screened, questions.fi.isEmpty { errors.add("questionsFi", "error_group_questions_missing") }
        // A working group must not be listed to the public: the service is made non-public first.
        if access == .staff, info.isPublic { errors.add("access", "error_group_staff_public") }
        // Messages kept while the group exists, or a number of days (1–3650). A form
        // without the choice (an older page) leaves it as it is.
        let days = form["retentionDays"].trimmingCharacters(in: .whitespaces)
        var retention = (keep: s.retentionDays == nil, days: days)
        switch form["retention"] {
        case "": retention.days = s.retentionDays.map(String.init) ?? ""
        case "group": retention.keep = true; s.retentionDays = nil
        case "days":
            retention.keep = false
            if let n = Int(days), (1...3650).contains(n) { s.retentionDays = n } else { errors.add("retentionDays", "error_group_retention_days") }
        default: errors.add("retention", "error_group_retention")
        }
        // Facilitators: staff of the group's own organisations, volunteers included.
        let allowed = Set(try await groups.staff.members(organisations: info.organisations).map(\.id))
        let chosen = Set(form.values("facilitators").compactMap(UUID.init(uuidString:)))
        if chosen.count != form.values("facilitators").count || !chosen.isSubset(of: allowed) {
            errors.add("facilitators", "error_group_facilitators")
        }
        s.questions = questions
        if let style { s.style = style }
        if let access { s.access = access }
        s.volunteersModerate = form.has("volunteersModerate")
        s.rules = rules
        guard errors.isEmpty else {
            return try await render(
                request, context, info, s, facilitators: chosen.intersection(allowed), errors: errors, status: .badRequest,
                retention: retention)
        }
        try await groups.saveSettings(s, by: me, service: info)
        try await groups.setFacilitators(s, chosen, by: me, service: info)
        return Views.redirect("/admin/services/\(info.id.uuidString)/group?saved=1")
    }
}
