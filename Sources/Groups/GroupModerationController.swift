import Foundation
import Hummingbird
import KohtaamoBase

/// Reports and moderation: a member reports a message; a moderator removes
/// it, mutes its writer, removes them or bans them. Forms, so the
/// moderation page works without JavaScript; the room's script posts the
/// same forms and gets 204 when it asks for JSON.
struct GroupModerationController {
    let groups: GroupService
    let views: Views
    let pages: GroupPagesController
    let publicURL: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/g/{slug}", context: MemberContext.self).post("messages/{seq}/report", use: report)
        let staff = router.group("/g/{slug}", context: StaffContext.self)
        staff.post("messages/{seq}/remove", use: remove)
        staff.post("messages/{seq}/mute", use: mute)
        staff.post("messages/{seq}/exclude", use: exclude)
        staff.post("members/{member}/exclude", use: excludeMember)
        staff.post("members/{member}/unban", use: liftBan)
        staff.get("moderation", use: page)
        staff.post("invitations", use: invitation)
        staff.post("applications/{id}", use: decide)
        staff.get("people", use: peoplePage)
        staff.post("people", use: invitePeople)
    }

    private func seq(_ context: some RequestContext) throws -> Int64 {
        guard let s = context.parameters.get("seq").flatMap(Int64.init), s > 0 else { throw AppError.notFound }
        return s
    }

    /// The group and the moderator acting in it; others are refused.
    private func moderator(_ context: StaffContext) async throws -> (ServiceInfo, GroupSettings, StaffPrincipal) {
        try await pages.moderator(context)
    }

    private func done(_ request: Request, _ slug: String, back: String? = nil) -> Response {
        if request.headers[.accept]?.contains("application/json") == true { return Response(status: .noContent) }
        return Views.redirect(back ?? "/g/\(slug)/moderation")
    }

    /// A reason is one line of up to 300 characters.
    private func reason(_ form: Form, required: Bool) throws -> String {
        let r = form["reason"].trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validate.length(r, (required ? 1 : 0)...300), Validate.plainLine(r) else {
            throw AppError(.badRequest, code: required && r.isEmpty ? "reason_missing" : "bad_reason")
        }
        return r
    }

    func report(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let member = context.signedInMember
        let (info, settings) = try await pages.group(context)
        guard case .member = try await groups.standing(settings, info, staff: nil, member: member.memberID) else { throw AppError.forbidden }
        do {
            try await groups.report(settings, info, seq: try seq(context), by: member.memberID, reason: try reason(form, required: true))
        } catch GroupService.ModerationError.noSuchMessage { throw AppError.notFound }
        return done(request, info.slug, back: "/g/\(info.slug)/room")
    }

    func remove(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, settings, p) = try await moderator(context)
        do {
            try await groups.removeMessage(settings, seq: try seq(context), by: p, service: info, reason: try reason(form, required: false))
        } catch GroupService.ModerationError.noSuchMessage { throw AppError.notFound }
        return done(request, info.slug)
    }

    func mute(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, settings, p) = try await moderator(context)
        // From a minute to a week.
        guard let minutes = Int(form["minutes"]), (1...10_080).contains(minutes) else { throw AppError(.badRequest, code: "bad_minutes") }
        try await act {
            try await groups.mute(settings, seq: try seq(context), minutes: minutes, by: p, service: info, reason: try reason(form, required: false))
        }
        return done(request, info.slug)
    }

    /// Remove or ban, and for how long: a ban for 1–3650 days, or for good
    /// when no days are given; a ban needs a reason.
    private func exclusion(_ form: Form) throws -> (ban: Bool, days: Int?, reason: String) {
        let ban = form["action"] == "ban"
        guard ban || form["action"] == "remove" else { throw AppError(.badRequest, code: "bad_action") }
        var days: Int?
        if ban, !form["days"].isEmpty {
            guard let d = Int(form["days"]), (1...3650).contains(d) else { throw AppError(.badRequest, code: "bad_days") }
            days = d
        }
        return (ban, days, try reason(form, required: ban))
    }

    func exclude(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, settings, p) = try await moderator(context)
        let (ban, days, reason) = try exclusion(form)
        try await act { try await groups.exclude(settings, seq: try seq(context), ban: ban, days: days, by: p, service: info, reason: reason) }
        return done(request, info.slug)
    }

    private func memberID(_ context: StaffContext) throws -> UUID {
        guard let id = context.parameters.get("member").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        return id
    }

    /// From the member list: someone who never wrote can be acted on too.
    func excludeMember(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, settings, p) = try await moderator(context)
        let (ban, days, reason) = try exclusion(form)
        do {
            try await groups.exclude(settings, member: try memberID(context), ban: ban, days: days, by: p, service: info, reason: reason)
        } catch GroupService.ModerationError.notAMember { throw AppError.notFound }
        return done(request, info.slug, back: "/g/\(info.slug)/moderation#members")
    }

    func liftBan(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let (info, settings, p) = try await moderator(context)
        do {
            try await groups.liftBan(settings, member: try memberID(context), by: p, service: info)
        } catch GroupService.ModerationError.notAMember { throw AppError(.conflict, code: "not_banned") }
        return done(request, info.slug, back: "/g/\(info.slug)/moderation#members")
    }

    /// The acts on a message's writer: a staff message has none to act on.
    private func act(_ body: () async throws -> Void) async throws {
        do { try await body() } catch GroupService.ModerationError.noSuchMessage {
            throw AppError.notFound
        } catch GroupService.ModerationError.notAMember {
            throw AppError(.conflict, code: "not_a_member")
        }
    }

    /// Open reports with the reported text, and every member with their state.
    func page(_ request: Request, context: StaffContext) async throws -> Response {
        let (info, settings, _) = try await moderator(context)
        let lang = context.language
        var reported: [GroupModerationPage.ReportedMessage] = []
        let reports = try await groups.reports(service: info.id, open: true)
        var focus = request.uri.queryParameters["seq"].flatMap { Int64($0) }
        if let f = focus, f <= 0 { focus = nil }
        for seq in Array(Set(reports.map(\.seq) + (focus.map { [$0] } ?? []))).sorted() {
            guard let m = try await groups.realtime.messages(conversation: settings.conversation, after: seq - 1, limit: 1).first,
                m.seq == seq
            else { continue }
            reported.append(
                .init(
                    seq: seq, from: m.from.name, ref: GroupService.memberRef(service: info.id, member: m.senderIdentity.id),
                    body: m.removed ? views.localizer.t("group_js_removed", lang) : m.body, removed: m.removed,
                    fromMember: m.senderIdentity.kind == .client, at: GroupPagesController.localTime(m.atMs, lang),
                    reasons: reports.filter { $0.seq == seq }.map(\.reason)))
        }
        let now = groups.clock.nowMs
        let members = try await groups.members(service: info.id).map { m -> GroupModerationPage.Member in
            let state: String =
                m.isBanned(at: now)
                ? (m.bannedUntilMs.map { views.localizer.t("group_banned_until", lang, ["until": GroupPagesController.localTime($0, lang)]) }
                    ?? views.localizer.t("group_banned_for_good", lang))
                : m.status == .removed
                    ? views.localizer.t("group_member_removed", lang)
                    : m.rulesVersion == settings.rulesVersion
                        ? views.localizer.t("group_member_active", lang) : views.localizer.t("group_member_rules", lang)
            return .init(
                id: m.member.uuidString, nickname: m.nickname, ref: GroupService.memberRef(service: info.id, member: m.member),
                joined: GroupPagesController.localTime(m.joinedMs, lang), state: state, banned: m.isBanned(at: now))
        }
        let applications = try await groups.applications(service: info.id, open: true).map { a in
            GroupModerationPage.Application(
                id: a.id.uuidString, nickname: a.nickname, ref: GroupService.memberRef(service: info.id, member: a.member),
                at: GroupPagesController.localTime(a.createdMs, lang),
                interview: a.status == .interview ? Views.nonEmpty(a.message) : nil,
                answers: a.answers.map { .init(question: $0.question, answer: $0.answer) })
        }
        return views.page(
            .groupModeration, title: views.title(views.localizer.t("group_moderation_title", lang), info.names.in(lang)), request: request,
            context: context,
            model: GroupModerationPage(
                slug: info.slug, name: info.names.in(lang), reported: reported, hasReported: !reported.isEmpty,
                members: members, hasMembers: !members.isEmpty, closedAccess: settings.access == .closed,
                screened: settings.access == .screened, staffGroup: settings.access == .staff, applications: applications,
                hasApplications: !applications.isEmpty))
    }

    /// A worker's answer to an application; the message (at most 1,000
    /// characters) is what the applicant reads, required for an interview.
    func decide(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, settings, p) = try await moderator(context)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw AppError.notFound }
        guard let decision = GroupService.Decision(rawValue: form["decision"]) else { throw AppError(.badRequest, code: "bad_decision") }
        let message = form["message"].trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validate.length(message, (decision == .interview ? 1 : 0)...1000), Validate.plainText(message) else {
            throw AppError(.badRequest, code: decision == .interview && message.isEmpty ? "message_missing" : "bad_message")
        }
        do {
            try await groups.decide(settings, application: id, decision, message: message, by: p, service: info)
        } catch GroupService.DecisionError.notOpen {
            throw AppError.notFound
        } catch GroupService.DecisionError.nicknameTaken {
            throw AppError(.conflict, code: "group_nickname_taken")
        }
        return done(request, info.slug)
    }

    /// A working group's people: staff of every organisation of the network, the invited ones ticked.
    func peoplePage(_ request: Request, context: StaffContext) async throws -> Response {
        let (info, settings, p) = try await moderator(context)
        guard settings.access == .staff else { throw AppError(.conflict, code: "not_staff_group") }
        let invited = try await groups.invitedStaff(service: info.id)
        let own = Set(info.organisations)
        var organisations: [GroupPeoplePage.Organisation] = []
        for org in try await groups.services.organisations(network: p.networkID, language: context.language) where !own.contains(org.id) {
            let people = try await groups.staff.members(organisations: [org.id]).map {
                GroupPeoplePage.Person(id: $0.id.uuidString, name: $0.workName, invited: invited.contains($0.id))
            }
            if !people.isEmpty { organisations.append(.init(name: org.name, people: people)) }
        }
        return views.page(
            .groupPeopleForm, title: views.title(views.localizer.t("group_people_title", context.language), info.names.in(context.language)),
            request: request, context: context,
            model: GroupPeoplePage(
                slug: info.slug, name: info.names.in(context.language), organisations: organisations,
                saved: request.uri.queryParameters["saved"] != nil))
    }

    func invitePeople(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let (info, settings, p) = try await moderator(context)
        guard settings.access == .staff else { throw AppError(.conflict, code: "not_staff_group") }
        // Only staff of the network's other organisations can be invited.
        let own = Set(info.organisations)
        let others = try await groups.services.organisations(network: p.networkID, language: context.language).map(\.id).filter { !own.contains($0) }
        let allowed = Set(try await groups.staff.members(organisations: others).map(\.id))
        let chosen = Set(form.pairs.filter { $0.0 == "staff" }.compactMap { UUID(uuidString: $0.1) })
        guard chosen.isSubset(of: allowed) else { throw AppError(.badRequest, code: "bad_staff") }
        try await groups.setInvitedStaff(settings, chosen, by: p, service: info)
        return Views.redirect("/g/\(info.slug)/people?saved=1")
    }

    /// A new invitation code for a closed group, shown once.
    func invitation(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let (info, settings, p) = try await moderator(context)
        guard settings.access == .closed else { throw AppError(.conflict, code: "not_closed") }
        let code = try await groups.makeInvitation(settings, by: p, service: info)
        let base = publicURL ?? "http://\(request.head.authority ?? "127.0.0.1")"
        return views.page(
            .groupInvitation, title: views.title(views.localizer.t("group_invitation_title", context.language), info.names.in(context.language)),
            request: request,
            context: context, status: .created,
            model: GroupInvitationPage(
                slug: info.slug, name: info.names.in(context.language), code: code, link: "\(base)/g/\(info.slug)?code=\(code)",
                days: Int(GroupService.invitationLifetimeMs / 86_400_000)))
    }
}
