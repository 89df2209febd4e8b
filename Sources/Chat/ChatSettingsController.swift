import Foundation
import Hummingbird
import KohtaamoBase

/// What coordinators set for a support chat (topic tags, ready-made
/// replies of the service) and each worker's own ready-made replies.
struct ChatSettingsController {
    let chats: SupportChatService
    let views: Views
    let editor: TextCardEditor

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/admin/chat", context: CoordinatorContext.self).get(use: { try await index($0, $1) })
        let service = router.group("/admin/services/{id}", context: CoordinatorContext.self)
        service.post("retention", use: setRetention)
        service.get("topics", use: topicsPage)
        service.post("topics", use: addTopic)
        service.post("topics/{topic}/remove", use: removeTopic)
        service.get("replies", use: { try await editor.page($0, $1, try await serviceReplies($1)) })
        service.post("replies", use: { try await editor.save($0, $1, try await serviceReplies($1)) })
        service.post("replies/{card}/delete", use: { try await editor.delete($0, $1, try await serviceReplies($1)) })
        let personal = router.group("/console/replies", context: StaffContext.self)
        personal.get(use: { try await editor.page($0, $1, personalReplies($1)) })
        personal.post(use: { try await editor.save($0, $1, personalReplies($1)) })
        personal.post("{card}/delete", use: { try await editor.delete($0, $1, personalReplies($1)) })
    }

    /// Support chats whose owner organisation this coordinator manages.
    func managed(_ me: StaffPrincipal) async throws -> [ServiceInfo] {
        try await chats.services.services(network: me.networkID).filter { s in
            s.kind == .supportChat && s.organisations.first.map { me.canManage(organisation: $0, inNetwork: me.networkID) } == true
        }
    }

    /// The support chat of the path, if the person manages it; else 404.
    func service(_ context: CoordinatorContext) async throws -> ServiceInfo {
        let me = context.staff
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let s = try await managed(me).first(where: { $0.id == id })
        else { throw AppError.notFound }
        return s
    }

    func serviceReplies(_ context: CoordinatorContext) async throws -> TextCardTarget {
        let s = try await service(context)
        return TextCardTarget(
            owner: s.id, base: "/admin/services/\(s.id.uuidString)/replies",
            heading: "\(views.localizer.t("replies_title", context.language)): \(s.names.in(context.language))",
            intro: views.localizer.t("replies_service_intro", context.language),
            breadcrumb: [
                ("/admin", views.localizer.t("admin_title", context.language)),
                ("/admin/chat", views.localizer.t("chat_settings_title", context.language)),
            ])
    }

    func personalReplies(_ context: StaffContext) -> TextCardTarget {
        let me = context.staff
        return TextCardTarget(
            owner: me.staffID, base: "/console/replies", heading: views.localizer.t("replies_personal_title", context.language),
            intro: views.localizer.t("replies_personal_intro", context.language),
            breadcrumb: [("/console", views.localizer.t("console_title", context.language))])
    }

    /// The chat services this coordinator manages, with links to their
    /// settings and each one's retention time; `invalid` marks a refused value.
    func index(_ request: Request, _ context: CoordinatorContext, invalid: (service: UUID, value: String)? = nil) async throws -> Response {
        let me = context.staff
        let lang = context.language
        var items: [ChatSettingsPage.Service] = []
        for s in try await managed(me) {
            let days = try await chats.retentionDays(service: s.id) ?? SupportChatService.defaultRetentionDays
            let bad = invalid?.service == s.id
            items.append(
                .init(
                    id: s.id.uuidString, name: s.names.in(lang), days: bad ? invalid!.value : "\(days)",
                    daysError: bad ? views.localizer.t("error_retention_days", context.language) : nil))
        }
        return views.page(
            .chatSettings, title: views.title(views.localizer.t("chat_settings_title", context.language)), request: request, context: context,
            status: invalid == nil ? .ok : .badRequest,
            model: ChatSettingsPage(services: items, hasServices: !items.isEmpty, saved: request.uri.queryParameters["saved"] != nil))
    }

    /// How many days closed transcripts of the service are kept (1–3650).
    func setRetention(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let s = try await service(context)
        let value = form["days"].trimmingCharacters(in: .whitespaces)
        guard let days = Int(value), (1...3650).contains(days) else { return try await index(request, context, invalid: (s.id, value)) }
        try await chats.setRetentionDays(service: s.id, days)
        return Views.redirect("/admin/chat?saved=1")
    }

    private func renderTopics(
        _ request: Request, _ context: CoordinatorContext, _ s: ServiceInfo, form: Form? = nil,
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let lang = context.language
        let topics = try await chats.toolkit.topics(service: s.id).filter { !$0.archived }
        return views.page(
            .chatTopicsForm, title: views.title(views.localizer.t("topics_title", lang), s.names.in(lang)), request: request,
            context: context, status: status,
            model: ChatTopicsPage(
                serviceID: s.id.uuidString, name: s.names.in(lang),
                topics: topics.map { .init(id: $0.id.uuidString.lowercased(), fi: $0.labels.fi, sv: $0.labels.sv, en: $0.labels.en) },
                hasTopics: !topics.isEmpty, saved: request.uri.queryParameters["saved"] != nil,
                labelFi: form?["labelFi"] ?? "", labelSv: form?["labelSv"] ?? "", labelEn: form?["labelEn"] ?? ""
            ), errors: errors)
    }

    func topicsPage(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await renderTopics(request, context, try await service(context))
    }

    func addTopic(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let s = try await service(context)
        var errors = FieldErrors()
        let labels = LocalizedText(
            fi: form["labelFi"].trimmingCharacters(in: .whitespaces), sv: form["labelSv"].trimmingCharacters(in: .whitespaces),
            en: form["labelEn"].trimmingCharacters(in: .whitespaces))
        for (field, value, range) in [("labelFi", labels.fi, 1...40), ("labelSv", labels.sv, 0...40), ("labelEn", labels.en, 0...40)]
        where !Validate.length(value, range) || !Validate.plainLine(value) {
            errors.add(field, "error_topic_label")
        }
        let current = try await chats.toolkit.topics(service: s.id).filter { !$0.archived }
        if current.contains(where: { $0.labels.fi.lowercased() == labels.fi.lowercased() }) { errors.add("labelFi", "error_topic_exists") }
        if current.count >= 20 { errors.add("labelFi", "error_topic_too_many") }
        guard errors.isEmpty else { return try await renderTopics(request, context, s, form: form, errors: errors, status: .badRequest) }
        try await chats.addTopic(ChatTopic(id: UUID(), service: s.id, labels: labels, archived: false), at: chats.nowMs())
        return Views.redirect("/admin/services/\(s.id.uuidString)/topics?saved=1")
    }

    func removeTopic(_ request: Request, context: CoordinatorContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let s = try await service(context)
        guard let id = context.parameters.get("topic").flatMap(UUID.init(uuidString:)),
            try await chats.archiveTopic(id, service: s.id)
        else { throw AppError.notFound }
        return Views.redirect("/admin/services/\(s.id.uuidString)/topics?saved=1")
    }
}
