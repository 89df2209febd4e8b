import Booking
import Foundation
import Hummingbird
import KohtaamoBase

/// The appointment pages, without JavaScript: the coach's
/// `/coaching/{service}/times` (free times, weekly times, appointments) and
/// the coachee's `/my/coaching/{service}/times` (book, move, cancel; in
/// `CoachingTimesController+Coachee.swift`). The rules are
/// `CoachingService`'s and the Booking layer's; a refusal comes back on the
/// page, in the reader's language, with what was typed.
struct CoachingTimesController {
    let coaching: CoachingService
    let views: Views

    func addRoutes(to router: Router<AppRequestContext>) {
        let coach = router.group("/coaching/{service}/times", context: StaffContext.self)
        coach.get(use: coachPage)
        coach.post("slots", use: addSlot)
        coach.post("slots/{slot}/delete", use: deleteSlot)
        coach.post("patterns", use: addPattern)
        coach.post("patterns/{pattern}/delete", use: deletePattern)
        coach.post("appointments/{appointment}/cancel", use: coachCancel)
        coach.post("appointments/{appointment}/attendance", use: attendance)
        let mine = router.group("/my/coaching/{service}/times", context: MemberContext.self)
        mine.get(use: coacheePage)
        mine.post("book", use: book)
        mine.post("appointments/{appointment}/move", use: move)
        mine.post("appointments/{appointment}/cancel", use: coacheeCancel)
    }

    func text(_ context: some PageContext) -> CoachingTimesText {
        CoachingTimesText(
            text: CoachingPageText(t: views.localizer.catalogue(context.language), language: context.language, nowMs: coaching.clock.nowMs))
    }

    static func status(_ r: BookingRefusal) -> HTTPResponse.Status { HTTPResponse.Status(code: r.httpStatus) }

    // MARK: the coach's page

    /// What the coach typed, and the refusal to show.
    struct CoachInput {
        var slot: [String: String] = ["minutes": "45"]
        var slotErrors: [String: String] = [:]
        var pattern: [String: String] = ["minutes": "45", "weekday": "1"]
        var patternErrors: [String: String] = [:]
        var slotsError: String? = nil
        var patternsError: String? = nil
        var appointmentsError: String? = nil
    }

    static let slotNames = ["date", "time", "minutes", "place"]
    static let patternNames = ["weekday", "time", "minutes", "place", "from", "until", "skipping"]

    private func renderCoach(
        _ request: Request, _ context: StaffContext, _ info: ServiceInfo, input: CoachInput = CoachInput(), errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        let x = text(context)
        let lang = context.language
        return try await CoachingAppointmentsController.refusing {
            let slots = try await coaching.slots(p, service: info.id)
            let names = Dictionary(try await coaching.coachees(p, service: info.id).map { ($0.member, $0.nickname) }, uniquingKeysWith: { a, _ in a })
            let slotRows = slots.filter { $0.slot.endMs > x.nowMs }.sorted { $0.slot.startMs < $1.slot.startMs }.map { s in
                CoachingTimesPage.SlotRow(
                    id: s.slot.id.text(), when: x.span(s.slot.startMs, minutes: s.slot.minutes), place: x.place(s.slot.place),
                    bookedBy: s.booked.map { names[$0.guest] ?? "" }, free: s.booked == nil && s.slot.startMs > x.nowMs)
            }
            let patterns = try await coaching.patterns(p, service: info.id).sorted { ($0.weekday, $0.startMinute) < ($1.weekday, $1.startMinute) }
            let patternRows = patterns.map { w in
                CoachingTimesPage.PatternRow(
                    id: w.id.text(), when: "\(x.weekday(w.weekday)) \(x.clock(minute: w.startMinute))–\(x.clock(minute: w.startMinute + w.minutes))",
                    place: x.place(w.place), from: x.day(w.from), until: w.until.map(x.day),
                    skipping: Views.nonEmpty(w.skipping.sorted().map(x.day).joined(separator: ", ")))
            }
            let appointments = Self.ordered(try await coaching.appointments(.staff(p.staffID), service: info.id), nowMs: x.nowMs)
            let appointmentRows = appointments.map { a in
                CoachingTimesPage.AppointmentRow(
                    id: a.id.text(), when: x.span(a.startMs, minutes: a.minutes), place: x.place(a.place), nickname: names[a.guest] ?? "",
                    status: x.status(a.status), canCancel: a.status == .booked, canMark: a.status == .booked && a.startMs <= x.nowMs)
            }
            let page = CoachingTimesPage(
                base: "/coaching/\(info.slug)/times", slug: info.slug, serviceName: info.names.in(lang), slots: slotRows, hasSlots: !slotRows.isEmpty,
                patterns: patternRows, hasPatterns: !patternRows.isEmpty, appointments: appointmentRows,
                hasAppointments: !appointmentRows.isEmpty, slotFields: slotFields(x, input), patternFields: patternFields(x, input),
                slotsError: input.slotsError, patternsError: input.patternsError, appointmentsError: input.appointmentsError)
            return views.page(
                .coachingTimes, title: views.title(x.t["coaching_times_title"] ?? "", info.names.in(lang)), request: request, context: context,
                status: status, model: page, errors: errors)
        }
    }

    /// Coming and ongoing first (soonest first), then the past (latest first).
    static func ordered(_ list: [Appointment], nowMs: Int64) -> [Appointment] {
        list.filter { $0.endMs > nowMs }.sorted { $0.startMs < $1.startMs } + list.filter { $0.endMs <= nowMs }.sorted { $0.startMs > $1.startMs }
    }

    private func slotFields(_ x: CoachingTimesText, _ input: CoachInput) -> [FormField] {
        let v = input.slot
        let e = input.slotErrors
        return [
            FormField(
                id: "slot-date", name: "date", label: x.t["coaching_times_date"] ?? "", hint: nil, value: v["date"] ?? "", error: e["date"],
                kind: "date"),
            FormField(
                id: "slot-time", name: "time", label: x.t["coaching_times_time"] ?? "", hint: x.t["coaching_times_time_hint"], value: v["time"] ?? "",
                error: e["time"], kind: "time"),
            FormField(
                id: "slot-minutes", name: "minutes", label: x.t["coaching_times_minutes"] ?? "", hint: x.t["coaching_times_minutes_hint"],
                value: v["minutes"] ?? "", error: e["minutes"], kind: "number"),
            FormField(
                id: "slot-place", name: "place", label: x.t["coaching_times_place_label"] ?? "", hint: x.t["coaching_times_place_hint"],
                value: v["place"] ?? "", error: e["place"], kind: "text"),
        ]
    }

    private func patternFields(_ x: CoachingTimesText, _ input: CoachInput) -> [FormField] {
        let v = input.pattern
        let e = input.patternErrors
        let weekdays = (1...7).map { FieldOption(value: String($0), label: x.weekday($0), selected: String($0) == v["weekday"]) }
        return [
            FormField(
                id: "pattern-weekday", name: "weekday", label: x.t["coaching_times_weekday"] ?? "", hint: nil, value: "", error: e["weekday"],
                kind: "select", options: weekdays),
            FormField(
                id: "pattern-time", name: "time", label: x.t["coaching_times_time"] ?? "", hint: x.t["coaching_times_time_hint"],
                value: v["time"] ?? "", error: e["time"], kind: "time"),
            FormField(
                id: "pattern-minutes", name: "minutes", label: x.t["coaching_times_minutes"] ?? "", hint: x.t["coaching_times_minutes_hint"],
                value: v["minutes"] ?? "", error: e["minutes"], kind: "number"),
            FormField(
                id: "pattern-place", name: "place", label: x.t["coaching_times_place_label"] ?? "", hint: x.t["coaching_times_place_hint"],
                value: v["place"] ?? "", error: e["place"], kind: "text"),
            FormField(
                id: "pattern-from", name: "from", label: x.t["coaching_times_from"] ?? "", hint: nil, value: v["from"] ?? "", error: e["from"],
                kind: "date"),
            FormField(
                id: "pattern-until", name: "until", label: x.t["coaching_times_until"] ?? "", hint: nil, value: v["until"] ?? "", error: e["until"],
                kind: "date"),
            FormField(
                id: "pattern-skipping", name: "skipping", label: x.t["coaching_times_skipping"] ?? "", hint: x.t["coaching_times_skipping_hint"],
                value: v["skipping"] ?? "", error: e["skipping"], kind: "textarea", maxlength: 2000),
        ]
    }

    func coachPage(_ request: Request, context: StaffContext) async throws -> Response {
        try await renderCoach(request, context, try await CoachingPagesController.serviceInfo(coaching, context))
    }

    /// The field a refusal of a time's values belongs to.
    static func field(_ r: BookingRefusal, minutes: String, place: String) -> String {
        switch r {
        case .slotOverlaps: return "time"
        case .badSlot where !(Booking.minMinutes...Booking.maxMinutes).contains(Int(minutes) ?? 0): return "minutes"
        case .badSlot where place.count > Booking.maxPlaceLength || !Validate.plainLine(place): return "place"
        default: return "date"
        }
    }

    func addSlot(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        var input = CoachInput()
        for name in Self.slotNames { input.slot[name] = form[name] }
        let x = text(context)
        let refusal: BookingRefusal
        let field: String
        do {
            // Rights first: a stranger learns nothing from the form's checks.
            _ = try await CoachingAPIController.refusing { try await coaching.asCoach(context.staff, service: info.id) }
            guard let day = CoachingTimesText.day(form["date"]) else { throw Mistake(field: "date") }
            guard let minute = CoachingTimesText.minute(form["time"]) else { throw Mistake(field: "time") }
            guard let minutes = Int(form["minutes"]) else { throw Mistake(field: "minutes") }
            _ = try await CoachingAPIController.refusing {
                try await coaching.addSlot(context.staff, service: info.id, startMs: day.ms(minute: minute), minutes: minutes, place: form["place"])
            }
            return Views.redirect("/coaching/\(info.slug)/times#slots")
        } catch let m as Mistake {
            refusal = .badSlot
            field = m.field
        } catch let r as BookingRefusal {
            refusal = r
            field = Self.field(r, minutes: form["minutes"], place: form["place"])
        }
        input.slotErrors = [field: x.error(refusal)]
        return try await renderCoach(
            request, context, info, input: input, errors: FieldErrors("slot-\(field)", refusal.messageKey), status: Self.status(refusal))
    }

    /// A value the form could not read (a date or a time that is not one).
    struct Mistake: Error { let field: String }

    func addPattern(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        var input = CoachInput()
        for name in Self.patternNames { input.pattern[name] = form[name] }
        let x = text(context)
        let refusal: BookingRefusal
        let field: String
        do {
            _ = try await CoachingAPIController.refusing { try await coaching.asCoach(context.staff, service: info.id) }
            guard let weekday = Int(form["weekday"]), (1...7).contains(weekday) else { throw Mistake(field: "weekday") }
            guard let minute = CoachingTimesText.minute(form["time"]) else { throw Mistake(field: "time") }
            guard let minutes = Int(form["minutes"]) else { throw Mistake(field: "minutes") }
            guard let from = CoachingTimesText.day(form["from"]) else { throw Mistake(field: "from") }
            var until: BookingDay? = nil
            if !form["until"].isEmpty {
                guard let day = CoachingTimesText.day(form["until"]), day >= from else { throw Mistake(field: "until") }
                until = day
            }
            let lines = form["skipping"].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let skipping = lines.compactMap(CoachingTimesText.day)
            guard skipping.count == lines.count, skipping.count <= Booking.maxExceptions else { throw Mistake(field: "skipping") }
            let pattern = WeeklyPattern(
                scope: info.id, host: context.staff.staffID, weekday: weekday, startMinute: minute, minutes: minutes, place: form["place"],
                from: from, until: until, skipping: Set(skipping))
            _ = try await CoachingAPIController.refusing { try await coaching.addPattern(context.staff, service: info.id, pattern) }
            return Views.redirect("/coaching/\(info.slug)/times#patterns")
        } catch let m as Mistake {
            refusal = .badSlot
            field = m.field
        } catch let r as BookingRefusal {
            let f = Self.field(r, minutes: form["minutes"], place: form["place"])
            // A day out of range in a pattern is most likely the time running past midnight.
            refusal = r
            field = f == "date" ? "time" : f
        }
        input.patternErrors = [field: x.error(refusal)]
        return try await renderCoach(
            request, context, info, input: input, errors: FieldErrors("pattern-\(field)", refusal.messageKey), status: Self.status(refusal))
    }

    func deleteSlot(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let id = try CoachingAppointmentsController.id("slot", context)
        do {
            try await CoachingAppointmentsController.refusing {
                // Only a time of this service's page: one of another service is not found here.
                guard try await coaching.slots(context.staff, service: info.id).contains(where: { $0.slot.id == id }) else {
                    throw BookingRefusal.slotNotFound
                }
            }
            try await coaching.deleteSlot(context.staff, id: id)
            return Views.redirect("/coaching/\(info.slug)/times#slots")
        } catch let r as BookingRefusal {
            var input = CoachInput()
            input.slotsError = text(context).error(r)
            return try await renderCoach(request, context, info, input: input, errors: FieldErrors("slots", r.messageKey), status: Self.status(r))
        }
    }

    func deletePattern(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let id = try CoachingAppointmentsController.id("pattern", context)
        try await CoachingAppointmentsController.refusing {
            guard try await coaching.patterns(context.staff, service: info.id).contains(where: { $0.id == id }) else {
                throw BookingRefusal.slotNotFound
            }
            try await coaching.deletePattern(context.staff, id: id)
        }
        return Views.redirect("/coaching/\(info.slug)/times#patterns")
    }

    /// The appointment of this service's page, or not found.
    private func ownAppointment(_ context: StaffContext, _ info: ServiceInfo) async throws -> UUID {
        let id = try CoachingAppointmentsController.id("appointment", context)
        try await CoachingAppointmentsController.refusing {
            guard try await coaching.appointments(.staff(context.staff.staffID), service: info.id).contains(where: { $0.id == id }) else {
                throw BookingRefusal.appointmentNotFound
            }
        }
        return id
    }

    /// The coach may cancel at any time; the coachee is told at once.
    func coachCancel(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let id = try await ownAppointment(context, info)
        return try await appointmentStep(request, context, info) {
            _ = try await coaching.cancel(.staff(context.staff.staffID), appointment: id)
        }
    }

    /// `attended=1` came, `attended=0` did not come; only once the time has begun.
    func attendance(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let info = try await CoachingPagesController.serviceInfo(coaching, context)
        let id = try await ownAppointment(context, info)
        return try await appointmentStep(request, context, info) {
            _ = try await coaching.mark(context.staff, appointment: id, attended: form["attended"] == "1")
        }
    }

    private func appointmentStep(
        _ request: Request, _ context: StaffContext, _ info: ServiceInfo, _ step: () async throws -> Void
    ) async throws -> Response {
        do {
            try await step()
            return Views.redirect("/coaching/\(info.slug)/times#appointments")
        } catch let r as BookingRefusal {
            var input = CoachInput()
            input.appointmentsError = text(context).error(r)
            return try await renderCoach(
                request, context, info, input: input, errors: FieldErrors("appointments", r.messageKey), status: Self.status(r))
        } catch let r as CoachingService.Refusal {
            throw CoachingAPIController.appError(r)
        }
    }
}
