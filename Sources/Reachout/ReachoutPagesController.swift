import Foundation
import Hummingbird
import KohtaamoBase

/// The worker's pages of the day, without JavaScript: `/reachout` (whom to
/// contact today, one button per outcome; reachout.js posts the same to the
/// JSON API and updates the row in place), the chat with a registered client
/// at `/reachout/plans/{plan}/chat`, and the coordinator's
/// `/reachout/escalations`. A refusal of what was typed comes back beside
/// the form, with the input kept. The rules are `ReachoutService`'s.
struct ReachoutPagesController {
    let reachout: ReachoutService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let coordinators = router.group("/reachout/escalations", context: CoordinatorContext.self)
        coordinators.get(use: escalations)
        coordinators.post("{escalation}/close", use: close)
        let staff = router.group("/reachout", context: StaffContext.self)
        staff.get(use: today)
        staff.post("plans/{plan}/outcomes", use: log)
        staff.get("plans/{plan}/chat", use: chat)
        staff.post("plans/{plan}/chat", use: openChat)
    }

    private func text(_ context: some PageContext) -> ReachoutPageText {
        ReachoutPageText(t: views.localizer.catalogue(context.language), language: context.language)
    }

    /// What the worker typed into one contact's form, and why it was refused.
    struct RowInput {
        var plan: UUID
        var note = ""
        var referral = ""
        var refusal: ReachoutRefusal
    }

    /// The form field a refusal belongs to (`note-…`, `referral-…`, else the buttons' fieldset).
    static func field(_ r: ReachoutRefusal, plan: UUID, referrals: Bool) -> String {
        switch r {
        case .badNote: "note-\(plan.text())"
        case .badReferral where referrals: "referral-\(plan.text())"
        default: "outcome-\(plan.text())"
        }
    }

    /// The page's day: `?day=YYYY-MM-DD` within the last week, else today.
    private func day(_ request: Request) throws -> HelsinkiDay {
        let today = reachout.today
        guard let text = request.uri.queryParameters["day"].map(String.init), !text.isEmpty else { return today }
        guard let d = HelsinkiDay(text), d <= today, d >= today.adding(days: -Reachout.lookBackDays) else {
            throw ReachoutAPIController.appError(.badDay)
        }
        return d
    }

    /// `/reachout`, with `?day=` unless it is today.
    static func link(_ day: HelsinkiDay, today: HelsinkiDay) -> String { day == today ? "/reachout" : "/reachout?day=\(day)" }

    // MARK: today's list

    private func renderToday(
        _ request: Request, _ context: StaffContext, day: HelsinkiDay, input: RowInput? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        let text = text(context)
        return try await ReachoutAPIController.refusing {
            let list = try await reachout.list(p, day: day)
            let names = try await reachout.names(list.map(\.plan))
            let workers = try await reachout.workNames(p)
            // The referral cards in the reader's language (all of them when there are none in it).
            let allCards = try await reachout.referralCards(p)
            let cards = allCards.filter { $0.language == context.language.rawValue }
            let cardTitles = Dictionary(allCards.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
            let shown = cards.isEmpty ? allCards : cards
            let rows = list.map { c in
                let typed = input?.plan == c.plan.id ? input : nil
                return ReachoutTodayPage.ContactRow(
                    plan: c.plan.id.text(), name: names[c.plan.id] ?? "", time: text.time(minute: c.plan.minute),
                    channel: text.channel(c.plan.channel),
                    covering: c.covering
                        ? (text.t["reachout_covering"] ?? "").replacingOccurrences(of: "{name}", with: workers[c.plan.owner] ?? "") : nil,
                    state: c.state.rawValue, stateText: text.state(c.state), escalated: c.escalated, planNote: Views.nonEmpty(c.plan.note),
                    last: c.last.map { text.history($0, workers: workers, referrals: cardTitles) },
                    outcomes: c.outcomes.map { text.history($0, workers: workers, referrals: cardTitles) }, hasOutcomes: !c.outcomes.isEmpty,
                    registered: c.plan.member != nil, ended: c.plan.endedOn != nil, typedNote: typed?.note ?? "",
                    referrals: shown.map { .init(value: $0.id.text(), label: $0.title, selected: $0.id.text() == typed?.referral) },
                    error: typed.map { text.error($0.refusal) },
                    noteError: typed?.refusal == .badNote, referralError: typed?.refusal == .badReferral && !shown.isEmpty)
            }
            let today = reachout.today
            let heading =
                day == today
                ? text.t["reachout_today_heading"] ?? ""
                : (text.t["reachout_day_heading"] ?? "").replacingOccurrences(of: "{day}", with: text.day(day))
            let hasReferrals = !shown.isEmpty
            let page = ReachoutTodayPage(
                heading: heading, day: day.description, isToday: day == today,
                previous: day > today.adding(days: -Reachout.lookBackDays) ? Self.link(day.adding(days: -1), today: today) : nil,
                next: day < today ? Self.link(day.adding(days: 1), today: today) : nil, contacts: rows, hasContacts: !rows.isEmpty,
                hasReferrals: hasReferrals, texts: text.scriptTexts(), script: views.assets.url("reachout.js"))
            var errors = FieldErrors()
            if let input, rows.contains(where: { $0.plan == input.plan.text() }) {
                errors.add(Self.field(input.refusal, plan: input.plan, referrals: hasReferrals), input.refusal.messageKey)
            }
            return views.page(
                .reachoutToday, title: views.title(heading, text.t["reachout_title"] ?? ""), request: request, context: context, status: status,
                model: page, errors: errors)
        }
    }

    func today(_ request: Request, context: StaffContext) async throws -> Response {
        try await renderToday(request, context, day: try day(request))
    }

    /// One tap: the button's outcome, with the optional note and referral card.
    func log(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let plan = try ReachoutAPIController.id("plan", context)
        let today = reachout.today
        let day = HelsinkiDay(form["day"]) ?? today
        // The note keeps its own lines: the form trims only the whole.
        let note = form["note"]
        let kind = form["outcome"]
        let referral = kind == OutcomeKind.referral.rawValue ? UUID(uuidString: form["referral"]) : nil
        do {
            _ = try await reachout.log(
                context.staff, plan: plan, .init(day: form["day"], kind: kind, referral: referral, note: note))
            return Views.redirect(Self.link(day, today: today) + "#contact-\(plan.text())")
        } catch let r as ReachoutRefusal where ![.notFound, .notAllowed].contains(r) {
            let shownDay = day <= today && day >= today.adding(days: -Reachout.lookBackDays) ? day : today
            return try await renderToday(
                request, context, day: shownDay, input: RowInput(plan: plan, note: note, referral: form["referral"], refusal: r),
                status: HTTPResponse.Status(code: r.httpStatus))
        } catch let r as ReachoutRefusal {
            throw ReachoutAPIController.appError(r)
        }
    }

    // MARK: the chat with a registered client

    static let threadTexts = [
        "you", "sending", "sent", "delivered", "failed", "retry", "typing", "connecting", "online", "offline", "removed", "tasks-changed",
    ]

    /// The thread once the worker has opened it (they are in the conversation); else a button that opens it.
    func chat(_ request: Request, context: StaffContext) async throws -> Response {
        let t = views.localizer.catalogue(context.language)
        return try await ReachoutAPIController.refusing {
            let plan = try await reachout.plan(context.staff, id: try ReachoutAPIController.id("plan", context))
            guard plan.member != nil else { throw ReachoutRefusal.noMember }
            let name = try await reachout.name(plan)
            var thread: ReachoutChatPage.Thread?
            if let c = plan.conversation, try await reachout.realtime.participant(.staff(context.staff.staffID), in: c) != nil {
                thread = .init(
                    conversation: c.text(), texts: Views.scriptTexts(t, Self.threadTexts, prefixes: ["coaching_js_", "chat_js_", "reachout_js_"]))
            }
            let heading = (t["reachout_chat_heading"] ?? "").replacingOccurrences(of: "{name}", with: name)
            // The live thread is coaching's: the same view, socket and call panel (coaching.js).
            return views.page(
                .reachoutChat, title: views.title(heading, t["reachout_title"] ?? ""), request: request, context: context,
                model: ReachoutChatPage(
                    heading: heading, plan: plan.id.text(), name: name, thread: thread, script: thread == nil ? nil : views.assets.url("coaching.js"))
            )
        }
    }

    /// "Contact through the chat": opens the plan's conversation (made on first use) and goes to it.
    func openChat(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let plan = try ReachoutAPIController.id("plan", context)
        return try await ReachoutAPIController.refusing {
            _ = try await reachout.openChat(context.staff, plan: plan)
            return Views.redirect("/reachout/plans/\(plan.text())/chat")
        }
    }

    // MARK: the coordinator's escalations

    private func renderEscalations(
        _ request: Request, _ context: CoordinatorContext, typed: (escalation: UUID, note: String, refusal: ReachoutRefusal)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        let text = text(context)
        return try await ReachoutAPIController.refusing {
            let items = try await reachout.escalations(p)
            let workers = try await reachout.workNames(p)
            let cards = Dictionary(try await reachout.referralCards(p).map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
            let rows = items.map { i in
                let e = i.escalation
                let mine = typed?.escalation == e.id ? typed : nil
                let history = i.history.map { text.history($0, workers: workers, referrals: cards) }
                return ReachoutEscalationsPage.EscalationRow(
                    id: e.id.text(), name: i.name, day: text.day(e.day), repeated: e.repeated, time: text.time(minute: i.plan.minute),
                    channel: text.channel(i.plan.channel), owner: workers[i.plan.owner] ?? "", planNote: Views.nonEmpty(i.plan.note),
                    history: history,
                    hasHistory: !history.isEmpty,
                    closed: e.closedMs.map {
                        (text.t["reachout_closed_by"] ?? "").replacingOccurrences(of: "{name}", with: e.closedBy.flatMap { workers[$0] } ?? "")
                            .replacingOccurrences(of: "{time}", with: text.moment($0))
                    }, closingNote: e.isOpen ? nil : Views.nonEmpty(e.closingNote), typedNote: mine?.note ?? "",
                    error: mine.map { text.error($0.refusal) })
            }
            let open = rows.filter { $0.closed == nil }
            let closed = rows.filter { $0.closed != nil }
            var errors = FieldErrors()
            if let typed { errors.add("close-\(typed.escalation.text())", typed.refusal.messageKey) }
            return views.page(
                .reachoutEscalations, title: views.title(text.t["reachout_escalations_heading"] ?? "", text.t["reachout_title"] ?? ""),
                request: request, context: context, status: status,
                model: ReachoutEscalationsPage(openItems: open, hasOpen: !open.isEmpty, closedItems: closed, hasClosed: !closed.isEmpty),
                errors: errors)
        }
    }

    func escalations(_ request: Request, context: CoordinatorContext) async throws -> Response {
        try await renderEscalations(request, context)
    }

    /// Closes an escalation with what the coordinator did (a note is required).
    func close(_ request: Request, context: CoordinatorContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let id = try ReachoutAPIController.id("escalation", context)
        let note = form["note"]
        do {
            _ = try await reachout.close(context.staff, escalation: id, note: note)
            return Views.redirect("/reachout/escalations#closed")
        } catch let r as ReachoutRefusal where r == .badNote || r == .escalationClosed {
            return try await renderEscalations(
                request, context, typed: (id, note, r), status: HTTPResponse.Status(code: r.httpStatus))
        } catch let r as ReachoutRefusal {
            throw ReachoutAPIController.appError(r)
        }
    }
}
