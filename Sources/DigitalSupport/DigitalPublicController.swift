import Booking
import Foundation
import Hummingbird
import KohtaamoBase

/// The public page of a group session (`/digital/sessions/{session}/public`:
/// meetings, seats left, and the sign-up button for a signed-in registered
/// client), and a registered client's own sign-ups (`/my/digital`), where
/// they see whether they have a seat or their place in the queue, and leave.
struct DigitalPublicController {
    let digital: DigitalService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/digital/sessions/{session}/public", use: publicPage)
        let member = router.group("/digital/sessions", context: MemberContext.self)
        member.post("{session}/signup", use: signUp)
        let mine = router.group("/my/digital", context: MemberContext.self)
        mine.get(use: my)
        mine.post("{session}/leave", use: leave)
    }

    func text(_ context: some PageContext) -> DigitalPageText {
        DigitalPageText(t: views.localizer.catalogue(context.language), language: context.language)
    }

    /// "Sinulla on paikka." or "Olet jonossa sijalla 2."
    func standing(_ m: DigitalService.MySeat, _ x: DigitalPageText) -> String {
        guard let position = m.position else { return x.s("digital_my_seated") }
        return x.s("digital_my_waiting").replacingOccurrences(of: "{n}", with: String(position))
    }

    func publicPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await render(request, context)
    }

    func render(_ request: Request, _ context: some PageContext, error: DigitalRefusal? = nil, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let x = text(context)
        let id = try DigitalAPIController.id("session", context)
        let found = try await DigitalAPIController.refusing { try await digital.publicSession(id: id, language: context.language) }
        let s = found.session
        var mine: String?
        if let member = context.member, let m = try await digital.mine(member: member.memberID).first(where: { $0.session.id == id }) {
            mine = standing(m, x)
        }
        let seatsLeft =
            found.seatsLeft > 0
            ? x.s("digital_public_seats_left").replacingOccurrences(of: "{n}", with: String(found.seatsLeft))
            : x.s("digital_public_full").replacingOccurrences(of: "{n}", with: String(found.waiting))
        var errors = FieldErrors()
        if let error { errors.add("signup", error.messageKey) }
        let page = DigitalSessionPublicPage(
            id: s.id.text(), title: s.title, organisation: found.organisationName, description: Views.nonEmpty(s.description),
            place: s.online ? nil : Views.nonEmpty(s.place), address: s.online ? nil : Views.nonEmpty(s.address), online: s.online,
            themes: x.themes(s.themes), languages: s.languages.map { x.t["language_\($0)"] ?? $0 }.joined(separator: ", "),
            meetings: found.meetings.map { x.when($0.day, $0.startMinute, $0.endMinute) }, hasMeetings: !found.meetings.isEmpty,
            seatsLeftText: seatsLeft, full: found.seatsLeft == 0, cancelled: s.cancelled, over: found.over,
            canSignUp: context.member != nil && context.principal == nil && !s.cancelled && !found.over && mine == nil,
            signedIn: context.member != nil, isStaff: context.principal != nil,
            next: Cookies.nextQuery(DigitalPaths.publicSession(s.id)), mine: mine,
            signedUp: request.uri.queryParameters["signed"] == "1", pageError: error.map(x.error))
        return views.page(
            .digitalSessionPublic, title: views.title(s.title), request: request, context: context, status: status, model: page, errors: errors)
    }

    func signUp(_ request: Request, context: MemberContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let id = try DigitalAPIController.id("session", context)
        do {
            _ = try await digital.signUp(member: context.signedInMember.memberID, session: id)
            return Views.redirect(DigitalPaths.publicSession(id) + "?signed=1")
        } catch let r as DigitalRefusal where r == .sessionCancelled || r == .sessionOver {
            return try await render(request, context, error: r, status: .conflict)
        } catch let r as DigitalRefusal {
            throw DigitalAPIController.appError(r)
        }
    }

    func my(_ request: Request, context: MemberContext) async throws -> Response {
        let x = text(context)
        let rows = try await digital.mine(member: context.signedInMember.memberID).map { m in
            MyDigitalPage.Row(
                id: m.session.id.text(), title: m.session.title, link: DigitalPaths.publicSession(m.session.id),
                place: m.session.online ? x.s("digital_online") : m.session.place, status: standing(m, x),
                moved: m.seat.status == .seated && m.seat.promotedMs != nil, cancelled: m.session.cancelled,
                meetings: m.meetings.map { x.when($0.day, $0.startMinute, $0.endMinute) })
        }
        let appointments = try await myAppointments(context)
        return views.page(
            .myDigital, title: views.title(x.s("digital_my_title")), request: request, context: context,
            model: MyDigitalPage(
                sessions: rows, hasSessions: !rows.isEmpty, left: request.uri.queryParameters["left"] == "1", appointments: appointments,
                hasAppointments: !appointments.isEmpty))
    }

    /// The client's coming digital appointments, each with its organisation's page of times.
    func myAppointments(_ context: MemberContext) async throws -> [MyDigitalPage.Appointment] {
        let t = views.localizer.catalogue(context.language)
        let x = TimesText(t: t, language: context.language, nowMs: digital.clock.nowMs, call: t["digitimes_call"] ?? "")
        var out: [MyDigitalPage.Appointment] = []
        for (organisation, a) in try await digital.digitalAppointments(member: context.signedInMember.memberID)
        where a.status == .booked && a.endMs > x.nowMs {
            out.append(
                MyDigitalPage.Appointment(
                    organisation: try await digital.services.organisationName(organisation, language: context.language) ?? "",
                    when: x.span(a.startMs, minutes: a.minutes), startMs: a.startMs, place: x.place(a.place),
                    link: DigitalPaths.guestTimes(organisation)))
        }
        return out.sorted { $0.startMs < $1.startMs }
    }

    func leave(_ request: Request, context: MemberContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let id = try DigitalAPIController.id("session", context)
        try await DigitalAPIController.refusing { try await digital.leave(member: context.signedInMember.memberID, session: id) }
        return Views.redirect("/my/digital?left=1")
    }
}
