import Booking
import Foundation
import Hummingbird
import KohtaamoBase

/// The coachee's appointment page: the coach's free times to book, their
/// own appointments (coming first) with move and cancel until the service's
/// limit, a reminder of a time within a day, and the thread's link when a
/// time has begun (the call starts there).
extension CoachingTimesController {
    /// A refusal of one of the coachee's buttons, and the time they had chosen.
    struct CoacheeInput {
        var freeError: String? = nil
        var appointment: UUID? = nil
        var slot = ""
        var appointmentError: String? = nil
    }

    private func renderCoachee(
        _ request: Request, _ context: MemberContext, _ info: ServiceInfo, input: CoacheeInput = CoacheeInput(),
        errors: FieldErrors = FieldErrors(), status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let member = context.signedInMember.memberID
        let x = text(context)
        let lang = context.language
        return try await CoachingAppointmentsController.refusing {
            let (_, c) = try await coaching.mine(member, service: info.id)
            let active = c.status == .active
            let coach = try await coaching.staff.member(id: c.coach)?.workName ?? ""
            let limitHours = try await coaching.settings(info).changeLimitHours
            let free = try await coaching.freeSlots(member, service: info.id)
            let freeRows = free.map {
                MyCoachingTimesPage.FreeRow(id: $0.id.text(), when: x.span($0.startMs, minutes: $0.minutes), place: x.place($0.place))
            }
            let appointments = Self.ordered(try await coaching.appointments(.client(member), service: info.id), nowMs: x.nowMs)
            let rows = appointments.map { a in
                let booked = a.status == .booked
                let canChange = booked && active && x.nowMs <= a.startMs - Int64(max(limitHours, 0)) * 3_600_000
                let chosen = input.appointment == a.id ? input.slot : ""
                let options = free.map { s in
                    FieldOption(value: s.id.text(), label: x.span(s.startMs, minutes: s.minutes), selected: s.id.text() == chosen)
                }
                return MyCoachingTimesPage.AppointmentRow(
                    id: a.id.text(), when: x.span(a.startMs, minutes: a.minutes), place: x.place(a.place), status: x.status(a.status), booked: booked,
                    canChange: canChange, tooLate: booked && !canChange && a.endMs > x.nowMs,
                    now: booked && a.startMs <= x.nowMs && x.nowMs < a.endMs,
                    moveOptions: options, hasMoveOptions: !options.isEmpty, error: input.appointment == a.id ? input.appointmentError : nil)
            }
            let reminders = try await coaching.upcoming(.client(member)).filter { $0.scope == info.id }.map {
                MyCoachingTimesPage.Reminder(when: x.span($0.startMs, minutes: $0.minutes), place: x.place($0.place), now: $0.startMs <= x.nowMs)
            }
            let page = MyCoachingTimesPage(
                base: "/my/coaching/\(info.slug)/times", slug: info.slug, name: info.names.in(lang), coach: coach, active: active,
                limit: x.limit(hours: limitHours), reminders: reminders, hasReminders: !reminders.isEmpty, free: active ? freeRows : [],
                hasFree: active && !freeRows.isEmpty, freeError: input.freeError, appointments: rows, hasAppointments: !rows.isEmpty)
            return views.page(
                .myCoachingTimes, title: views.title(x.t["coaching_times_title"] ?? "", info.names.in(lang)), request: request, context: context,
                status: status, model: page, errors: errors)
        }
    }

    func coacheePage(_ request: Request, context: MemberContext) async throws -> Response {
        try await renderCoachee(request, context, try await CoachingPagesController.serviceInfo(coaching, context))
    }

    /// Books the chosen free time; the coach is told at once.
    func book(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let member = context.signedInMember.memberID
        do {
            // Rights first: only the service's own coachee gets a refusal of a time.
            _ = try await CoachingAPIController.refusing { try await coaching.mine(member, service: info.id) }
            guard let slot = UUID(uuidString: form["slot"]) else { throw BookingRefusal.slotNotFound }
            _ = try await CoachingAPIController.refusing { try await coaching.book(member, service: info.id, slot: slot) }
            return Views.redirect("/my/coaching/\(info.slug)/times#appointments")
        } catch let r as BookingRefusal {
            return try await renderCoachee(
                request, context, info, input: CoacheeInput(freeError: text(context).error(r)), errors: FieldErrors("free", r.messageKey),
                status: Self.status(r))
        }
    }

    /// The coachee's own appointment of this service, or not found.
    private func mineAppointment(_ context: MemberContext, _ info: ServiceInfo) async throws -> UUID {
        let id = try CoachingAppointmentsController.id("appointment", context)
        try await CoachingAppointmentsController.refusing {
            guard try await coaching.appointments(.client(context.signedInMember.memberID), service: info.id).contains(where: { $0.id == id })
            else { throw BookingRefusal.appointmentNotFound }
        }
        return id
    }

    func move(_ request: Request, context: MemberContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let id = try await mineAppointment(context, info)
        return try await coacheeStep(request, context, info, appointment: id, slot: form["slot"]) {
            guard let slot = UUID(uuidString: form["slot"]) else { throw BookingRefusal.slotNotFound }
            _ = try await coaching.move(context.signedInMember.memberID, appointment: id, to: slot)
        }
    }

    func coacheeCancel(_ request: Request, context: MemberContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let id = try await mineAppointment(context, info)
        return try await coacheeStep(request, context, info, appointment: id, slot: "") {
            _ = try await coaching.cancel(.client(context.signedInMember.memberID), appointment: id)
        }
    }

    /// A step on one appointment: its refusal is shown beside it, with the time chosen.
    private func coacheeStep(
        _ request: Request, _ context: MemberContext, _ info: ServiceInfo, appointment: UUID, slot: String, _ step: () async throws -> Void
    ) async throws -> Response {
        do {
            try await step()
            return Views.redirect("/my/coaching/\(info.slug)/times#appointments")
        } catch let r as BookingRefusal {
            let input = CoacheeInput(appointment: appointment, slot: slot, appointmentError: text(context).error(r))
            return try await renderCoachee(
                request, context, info, input: input, errors: FieldErrors("appointment-\(appointment.text())", r.messageKey), status: Self.status(r))
        } catch let r as CoachingService.Refusal {
            throw CoachingAPIController.appError(r)
        }
    }
}
