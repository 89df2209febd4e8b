import Foundation
import Hummingbird
import KohtaamoBase

/// What a feature tells the shared guest page (`GuestTimesPages`): the
/// subject the path names, whether the member is its guest, and the free
/// times they may book. Each call throws the feature's refusal as an
/// `AppError` and the booking layer's as a `BookingRefusal`.
package protocol GuestTimesDesk: Sendable {
    associatedtype Subject: Sendable
    func subject(_ context: MemberContext) async throws -> Subject
    func base(_ subject: Subject) -> String
    /// The page's words for this member; throws unless they may see it.
    func frame(_ member: UUID, _ subject: Subject, _ text: TimesText) async throws -> GuestTimesFrame
    func call(_ t: [String: String]) -> String
    /// Throws unless the member may book here (rights first, before the time is read).
    func requireGuest(_ member: UUID, _ subject: Subject) async throws
    func freeSlots(_ member: UUID, _ subject: Subject) async throws -> [Slot]
    func appointments(_ member: UUID, _ subject: Subject) async throws -> [Appointment]
    /// Booked, starting within a day, of this subject.
    func upcoming(_ member: UUID, _ subject: Subject) async throws -> [Appointment]
    func book(_ member: UUID, _ subject: Subject, slot: UUID) async throws -> Appointment
    func move(_ member: UUID, appointment id: UUID, to slot: UUID) async throws -> Appointment
    func cancel(_ member: UUID, appointment id: UUID) async throws
}

/// The guest's appointment page, without JavaScript, for every feature
/// that books: the host's free times to book, their own appointments
/// (coming first) with move and cancel until the limit, a reminder of a
/// time within a day.
package struct GuestTimesPages<Desk: GuestTimesDesk>: Sendable {
    package let desk: Desk
    package let views: Views
    package let clock: AppClock

    package init(desk: Desk, views: Views, clock: AppClock) { (self.desk, self.views, self.clock) = (desk, views, clock) }

    package func addRoutes(to router: Router<AppRequestContext>, path: String) {
        let mine = router.group(RouterPath(path), context: MemberContext.self)
        mine.get(use: page)
        mine.post("book", use: book)
        mine.post("appointments/{appointment}/move", use: move)
        mine.post("appointments/{appointment}/cancel", use: cancel)
    }

    func text(_ context: some PageContext) -> TimesText {
        let t = views.localizer.catalogue(context.language)
        return TimesText(t: t, language: context.language, nowMs: clock.nowMs, call: desk.call(t))
    }

    /// A refusal of one of the guest's buttons, and the time they had chosen.
    struct Input {
        var freeError: String? = nil
        var appointment: UUID? = nil
        var slot = ""
        var appointmentError: String? = nil
    }

    private func render(
        _ request: Request, _ context: MemberContext, _ subject: Desk.Subject, input: Input = Input(), errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let member = context.signedInMember.memberID
        let x = text(context)
        return try await BookingRefusal.answering {
            let frame = try await desk.frame(member, subject, x)
            let active = frame.active
            let free = try await desk.freeSlots(member, subject)
            let freeRows = free.map {
                GuestTimesPage.FreeRow(id: $0.id.text(), when: x.span($0.startMs, minutes: $0.minutes), place: x.place($0.place))
            }
            let appointments = Appointment.ordered(try await desk.appointments(member, subject), nowMs: x.nowMs)
            let rows = appointments.map { a in
                let booked = a.status == .booked
                let canChange = booked && active && x.nowMs <= a.startMs - Int64(max(frame.changeLimitHours, 0)) * 3_600_000
                let chosen = input.appointment == a.id ? input.slot : ""
                let options = free.map { s in
                    FieldOption(value: s.id.text(), label: x.span(s.startMs, minutes: s.minutes), selected: s.id.text() == chosen)
                }
                return GuestTimesPage.AppointmentRow(
                    id: a.id.text(), when: x.span(a.startMs, minutes: a.minutes), place: x.place(a.place), status: x.status(a.status), booked: booked,
                    canChange: canChange, tooLate: booked && !canChange && a.endMs > x.nowMs,
                    now: booked && a.startMs <= x.nowMs && x.nowMs < a.endMs,
                    moveOptions: options, hasMoveOptions: !options.isEmpty, error: input.appointment == a.id ? input.appointmentError : nil)
            }
            let reminders = try await desk.upcoming(member, subject).map {
                GuestTimesPage.Reminder(when: x.span($0.startMs, minutes: $0.minutes), place: x.place($0.place), now: $0.startMs <= x.nowMs)
            }
            let page = GuestTimesPage(
                base: desk.base(subject), crumbs: TimesCrumb.trail(frame.crumbs), hostLabel: frame.hostLabel, hostName: frame.hostName,
                active: active, endedText: frame.endedText, limit: x.limit(hours: frame.changeLimitHours), freeNone: frame.freeNone,
                tooLateText: frame.tooLate, callLink: frame.callLink, callLinkText: frame.callLinkText, invitations: frame.invitations,
                reminders: reminders, hasReminders: !reminders.isEmpty, free: active ? freeRows : [], hasFree: active && !freeRows.isEmpty,
                freeError: input.freeError, appointments: rows, hasAppointments: !rows.isEmpty)
            return views.page(
                .myTimes, title: views.title(x.t["times_title"] ?? "", frame.name), request: request, context: context, status: status,
                model: page, errors: errors)
        }
    }

    package func page(_ request: Request, context: MemberContext) async throws -> Response {
        try await render(request, context, try await desk.subject(context))
    }

    /// Books the chosen free time; the host is told at once.
    package func book(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        let member = context.signedInMember.memberID
        do {
            // Rights first: only the subject's own guest gets a refusal of a time.
            try await desk.requireGuest(member, subject)
            guard let slot = UUID(uuidString: form["slot"]) else { throw BookingRefusal.slotNotFound }
            _ = try await desk.book(member, subject, slot: slot)
            return Views.redirect(desk.base(subject) + "#appointments")
        } catch let r as BookingRefusal {
            return try await render(
                request, context, subject, input: Input(freeError: text(context).error(r)), errors: FieldErrors("free", r.messageKey),
                status: HTTPResponse.Status(code: r.httpStatus))
        }
    }

    /// The guest's own appointment of this subject, or not found.
    private func mine(_ context: MemberContext, _ subject: Desk.Subject) async throws -> UUID {
        let id = try context.pathID("appointment")
        try await BookingRefusal.answering {
            guard try await desk.appointments(context.signedInMember.memberID, subject).contains(where: { $0.id == id }) else {
                throw BookingRefusal.appointmentNotFound
            }
        }
        return id
    }

    package func move(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        let id = try await mine(context, subject)
        return try await step(request, context, subject, appointment: id, slot: form["slot"]) {
            guard let slot = UUID(uuidString: form["slot"]) else { throw BookingRefusal.slotNotFound }
            _ = try await desk.move(context.signedInMember.memberID, appointment: id, to: slot)
        }
    }

    package func cancel(_ request: Request, context: MemberContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        let id = try await mine(context, subject)
        return try await step(request, context, subject, appointment: id, slot: "") {
            try await desk.cancel(context.signedInMember.memberID, appointment: id)
        }
    }

    /// A step on one appointment: its refusal is shown beside it, with the time chosen.
    private func step(
        _ request: Request, _ context: MemberContext, _ subject: Desk.Subject, appointment: UUID, slot: String, _ body: () async throws -> Void
    ) async throws -> Response {
        do {
            try await body()
            return Views.redirect(desk.base(subject) + "#appointments")
        } catch let r as BookingRefusal {
            let input = Input(appointment: appointment, slot: slot, appointmentError: text(context).error(r))
            return try await render(
                request, context, subject, input: input, errors: FieldErrors("appointment-\(appointment.text())", r.messageKey),
                status: HTTPResponse.Status(code: r.httpStatus))
        }
    }
}
