import Foundation
import Hummingbird
import KohtaamoBase

/// A group's pages: the public page (what it is, when, its rules, how to
/// join), joining, accepting changed rules, and the room.
struct GroupPagesController {
    let groups: GroupService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/g/{slug}", use: page)
        let member = router.group("/g/{slug}", context: MemberContext.self)
        member.post("join", use: join)
        member.post("rules", use: acceptRules)
        member.post("apply", use: apply)
        router.get("/g/{slug}/room", use: room)
    }

    private func t(_ context: some PageContext) -> [String: String] { views.localizer.catalogue(context.language) }

    /// The group of the path, or 404. Non-public groups are for their members and staff only.
    func group(_ context: some RequestContext) async throws -> (ServiceInfo, GroupSettings) {
        guard let slug = context.parameters.get("slug"), let found = try await groups.group(slug: slug) else { throw AppError.notFound }
        return found
    }

    /// The group and a moderator acting in it: staff of other organisations
    /// get 404 (as if there were no group), non-moderators 403.
    func moderator(_ context: StaffContext) async throws -> (ServiceInfo, GroupSettings, StaffPrincipal) {
        let p = context.staff
        let (info, settings) = try await group(context)
        guard case .staff(let moderator) = try await groups.standing(settings, info, staff: p, member: nil) else { throw AppError.notFound }
        guard moderator else { throw AppError.forbidden }
        return (info, settings, p)
    }

    private func render(
        _ request: Request, _ context: some PageContext, _ info: ServiceInfo, _ settings: GroupSettings,
        nickname: String? = nil, invitation: String? = nil, answers: [String] = [], errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let t = t(context)
        let lang = context.language
        let code = invitation ?? request.uri.queryParameters["code"].map { String($0.prefix(40)) } ?? ""
        let standing = try await groups.standing(settings, info, staff: context.principal, member: context.member?.memberID)
        if case .hidden = standing { throw AppError.notFound }
        // An unlisted group is shown to outsiders only by its link (and a closed one's live code).
        if case .outside = standing, !info.isPublic, context.principal == nil,
            !(try await groups.reachableByLink(settings, invitation: code))
        {
            throw AppError.notFound
        }
        let presentation = try await groups.services.presentation(service: info.id, language: lang)
        let programme = try await groups.events(service: info.id).map { e in
            GroupPage.ProgrammeRow(
                day: t["weekday_\(e.weekday)"] ?? "", time: GroupCalendarController.time(e.startMinute, lang),
                end: GroupCalendarController.time(e.startMinute + e.durationMinutes, lang), title: e.title.in(lang), link: Views.nonEmpty(e.link))
        }
        let facilitators = try await groups.facilitatorNames(settings)
        var data = GroupPage(
            programme: programme, hasProgramme: !programme.isEmpty, isPublic: info.isPublic, questionsStyle: settings.style == .questions,
            slug: info.slug, name: info.names.in(lang), description: Views.nonEmpty(presentation?.description ?? ""),
            style: t["group_style_\(settings.style.rawValue)"] ?? "", scheduled: settings.scheduled, open: info.openNow,
            statusText: presentation?.status ?? "", weekly: (presentation?.weekly ?? []).map { .init(day: $0.day, hours: $0.hours) },
            facilitators: Views.nonEmpty(facilitators.joined(separator: ", ")),
            rules: Views.nonEmpty(settings.rules.in(lang)), rulesVersion: settings.rulesVersion, closedAccess: settings.access == .closed,
            // Sign-up and sign-in come back here with the invitation code (letters and digits only).
            signedIn: context.member != nil,
            next: Cookies.nextQuery(
                "/g/\(info.slug)" + (code.isEmpty || !code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? "" : "?code=\(code)")),
            nickname: nickname ?? context.member?.nickname ?? "", invitation: code
        )
        switch standing {
        case .staff(let moderator): data.isStaff = true; data.moderator = moderator; data.canEnter = true
        case .member: data.isMember = true; data.canEnter = true
        case .rulesChanged: data.rulesChanged = true
        case .banned(let until, let reason):
            data.banned = true
            data.banText =
                until.map { views.localizer.t("group_banned_until", lang, ["until": Self.localTime($0, lang)]) }
                ?? views.localizer.t("group_banned_for_good", lang)
            data.banReason = Views.nonEmpty(reason)
        case .hidden: break
        case .outside:
            guard let member = context.member else { break }
            guard settings.access != .staff else { break }
            guard settings.access == .screened else { data.canJoin = true; break }
            // A screened group: the latest application's state, or the form.
            let latest = try await groups.applications(member: member.memberID).first { $0.service == info.id }
            switch latest?.status {
            case .waiting?: data.applicationWaiting = true
            case .interview?: data.applicationInterview = latest!.message
            default:
                if latest?.status == .declined { data.applicationDeclined = .init(message: Views.nonEmpty(latest!.message)) }
                data.canApply = true
                data.questions = settings.questionList(lang).enumerated().map { i, q in
                    .init(index: i, text: q, answer: i < answers.count ? answers[i] : "", error: errors.key(for: "answer-\(i)").map { t[$0] ?? $0 })
                }
            }
        }
        return views.page(
            .group, title: views.title(info.names.in(lang)), request: request, context: context, status: status, model: data, errors: errors)
    }

    static func localTime(_ ms: Int64, _ lang: Language) -> String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "Europe/Helsinki")
        f.locale = Locale(identifier: lang == .en ? "en_GB" : lang == .sv ? "sv_FI" : "fi_FI")
        f.dateFormat = lang == .en ? "d/M/yyyy HH:mm" : "d.M.yyyy 'klo' HH.mm"
        if lang == .sv { f.dateFormat = "d.M.yyyy 'kl.' HH.mm" }
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (info, settings) = try await group(context)
        return try await render(request, context, info, settings)
    }

    func join(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let member = context.signedInMember
        let (info, settings) = try await group(context)
        if !info.isPublic, settings.access == .open { throw AppError.notFound }
        let accepted = form.has("accept") ? Int(form["rulesVersion"]) : nil
        let code = form["invitation"].isEmpty ? nil : String(form["invitation"].prefix(40))
        func again(_ field: String, _ key: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await render(
                request, context, info, settings, nickname: form["nickname"], invitation: code ?? "", errors: FieldErrors(field, key),
                status: status)
        }
        switch try await groups.join(settings, member: member.memberID, nickname: form["nickname"], acceptedRules: accepted, invitation: code) {
        case .joined: return Views.redirect("/g/\(info.slug)/room")
        case .badNickname: return try await again("nickname", "error_member_nickname", .badRequest)
        case .nicknameTaken: return try await again("nickname", "error_group_nickname_taken", .conflict)
        case .rulesNotAccepted: return try await again("accept", "error_group_rules", .badRequest)
        case .needsInvitation: return try await again("invitation", "error_group_invitation", .forbidden)
        case .needsApplication: return try await render(request, context, info, settings, status: .forbidden)
        case .banned: return try await render(request, context, info, settings, status: .forbidden)
        }
    }

    func apply(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let member = context.signedInMember
        let (info, settings) = try await group(context)
        let count = settings.questionList(context.language).count
        let answers = (0..<count).map { form["answer-\($0)"] }
        let accepted = form.has("accept") ? Int(form["rulesVersion"]) : nil
        func again(_ field: String, _ key: String, _ status: HTTPResponse.Status) async throws -> Response {
            try await render(
                request, context, info, settings, nickname: form["nickname"], answers: answers, errors: FieldErrors(field, key), status: status)
        }
        switch try await groups.apply(
            settings, member: member.memberID, nickname: form["nickname"], answers: answers, language: context.language,
            acceptedRules: accepted)
        {
        case .applied: return Views.redirect("/g/\(info.slug)")
        case .notScreened: throw AppError.notFound
        case .badNickname: return try await again("nickname", "error_member_nickname", .badRequest)
        case .nicknameTaken: return try await again("nickname", "error_group_nickname_taken", .conflict)
        case .badAnswer(let i): return try await again("answer-\(i)", "error_group_answer", .badRequest)
        case .rulesNotAccepted: return try await again("accept", "error_group_rules", .badRequest)
        case .alreadyWaiting, .banned: return try await render(request, context, info, settings, status: .conflict)
        }
    }

    func acceptRules(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let member = context.signedInMember
        let (info, settings) = try await group(context)
        let version = form.has("accept") ? Int(form["rulesVersion"]) : nil
        guard try await groups.acceptRules(settings, member: member.memberID, version: version) else {
            return try await render(request, context, info, settings, errors: FieldErrors("accept", "error_group_rules"), status: .badRequest)
        }
        return Views.redirect("/g/\(info.slug)/room")
    }

    static let roomTexts = [
        "you", "sending", "sent", "delivered", "failed", "retry", "typing", "connecting", "online", "offline",
        "removed", "report", "report-reason", "report-send", "reported", "remove", "moderate", "room-closed", "room-open",
        "muted", "banned", "excluded", "rules-changed", "cancel", "new-report", "here",
    ]

    func room(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (info, settings) = try await group(context)
        let t = t(context)
        var moderator = false, member = false
        switch try await groups.standing(settings, info, staff: context.principal, member: context.member?.memberID) {
        case .staff(let m):
            moderator = m
            try await groups.enterAsStaff(settings, context.principal!)
        case .member: member = true
        case .rulesChanged, .banned: return Views.redirect("/g/\(info.slug)")
        case .hidden: throw AppError.notFound
        case .outside:
            // Staff of other organisations have no part here; a client may still join.
            if context.principal != nil { throw AppError.forbidden }
            if context.member == nil { throw AppError.memberUnauthorized }
            return Views.redirect("/g/\(info.slug)")
        }
        let open = try await groups.applySchedule(settings, info)
        let openReports = moderator ? try await groups.reports(service: info.id, open: true).count : 0
        let texts = Views.scriptTexts(t, Self.roomTexts, prefixes: ["group_js_", "chat_js_"])
        let presentation = try await groups.services.presentation(service: info.id, language: context.language)
        return views.page(
            .groupRoom, title: views.title(views.localizer.t("group_room_title", context.language), info.names.in(context.language)),
            request: request, context: context,
            model: GroupRoomPage(
                slug: info.slug, name: info.names.in(context.language), conversation: settings.conversation.uuidString.lowercased(),
                moderator: moderator, member: member, open: open, scheduled: settings.scheduled, statusText: presentation?.status ?? "",
                openReports: openReports, texts: texts, script: views.assets.url("group.js")))
    }
}
