import Foundation
import Hummingbird
import KohtaamoBase

/// What a feature tells the shared host page (`HostTimesPages`): which
/// scope the path names, who may keep its times, and its own words. The
/// rights are the feature's: each call throws the feature's refusal as an
/// `AppError` and the booking layer's as a `BookingRefusal`.
package protocol HostTimesDesk: Sendable {
    /// What the page is about: a coaching service, an organisation's digital support.
    associatedtype Subject: Sendable
    /// The subject the path names (or the reader's own); not found is an `AppError`.
    func subject(_ context: StaffContext) async throws -> Subject
    /// Where the page is and its forms post.
    func base(_ subject: Subject) -> String
    func frame(_ subject: Subject, _ text: TimesText) -> HostTimesFrame
    /// The feature's word for a call when the place is empty.
    func call(_ t: [String: String]) -> String
    /// Throws unless the staff member keeps times here.
    func requireHost(_ p: StaffPrincipal, _ subject: Subject) async throws
    func slots(_ p: StaffPrincipal, _ subject: Subject) async throws -> [HostSlot]
    /// The guests' names as the host sees them (nickname, name).
    func guestNames(_ p: StaffPrincipal, _ subject: Subject) async throws -> [UUID: String]
    func patterns(_ p: StaffPrincipal, _ subject: Subject) async throws -> [WeeklyPattern]
    func appointments(_ p: StaffPrincipal, _ subject: Subject) async throws -> [Appointment]
    func addSlot(_ p: StaffPrincipal, _ subject: Subject, startMs: Int64, minutes: Int, place: String) async throws -> Slot
    func addPattern(_ p: StaffPrincipal, _ subject: Subject, _ pattern: WeeklyPattern) async throws -> WeeklyPattern
    func deleteSlot(_ p: StaffPrincipal, id: UUID) async throws
    func deletePattern(_ p: StaffPrincipal, id: UUID) async throws
    func cancel(_ p: StaffPrincipal, appointment id: UUID) async throws -> Appointment
    func mark(_ p: StaffPrincipal, appointment id: UUID, attended: Bool) async throws -> Appointment
}

extension BookingRefusal {
    /// The refusal as the API and the error page answer it.
    package var appError: AppError { AppError(HTTPResponse.Status(code: httpStatus), code: rawValue) }

    /// Runs `body`, answering a booking refusal as its `AppError`.
    package static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as BookingRefusal { throw r.appError }
    }
}

/// The host's appointment page, without JavaScript, for every feature that
/// books: free times one by one and weekly, the lists, cancel and
/// attendance. A refusal comes back on the page, in the reader's language,
/// with what was typed.
package struct HostTimesPages<Desk: HostTimesDesk>: Sendable {
    package let desk: Desk
    package let views: Views
    package let clock: AppClock

    package init(desk: Desk, views: Views, clock: AppClock) { (self.desk, self.views, self.clock) = (desk, views, clock) }

    /// The page at `path` (with the subject's parameter, if any) and its forms.
    package func addRoutes(to router: Router<AppRequestContext>, path: String) {
        let host = router.group(RouterPath(path), context: StaffContext.self)
        host.get(use: page)
        host.post("slots", use: addSlot)
        host.post("slots/{slot}/delete", use: deleteSlot)
        host.post("patterns", use: addPattern)
        host.post("patterns/{pattern}/delete", use: deletePattern)
        host.post("appointments/{appointment}/cancel", use: cancel)
        host.post("appointments/{appointment}/attendance", use: attendance)
    }

    func text(_ context: some PageContext) -> TimesText {
        let t = views.localizer.catalogue(context.language)
        return TimesText(t: t, language: context.language, nowMs: clock.nowMs, call: desk.call(t))
    }

    static func status(_ r: BookingRefusal) -> HTTPResponse.Status { HTTPResponse.Status(code: r.httpStatus) }

    /// What the host typed, and the refusal to show.
    struct Input {
        var slot: [String: String] = ["minutes": "45"]
        var slotErrors: [String: String] = [:]
        var pattern: [String: String] = ["minutes": "45", "weekday": "1"]
        var patternErrors: [String: String] = [:]
        var slotsError: String? = nil
        var patternsError: String? = nil
        var appointmentsError: String? = nil
    }

    static var slotNames: [String] { ["date", "time", "minutes", "place"] }
    static var patternNames: [String] { ["weekday", "time", "minutes", "place", "from", "until", "skipping"] }

    private func render(
        _ request: Request, _ context: StaffContext, _ subject: Desk.Subject, input: Input = Input(), errors: FieldErrors = FieldErrors(),
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let p = context.staff
        let x = text(context)
        let frame = desk.frame(subject, x)
        return try await BookingRefusal.answering {
            let slots = try await desk.slots(p, subject)
            let names = try await desk.guestNames(p, subject)
            let slotRows = slots.filter { $0.slot.endMs > x.nowMs }.sorted { $0.slot.startMs < $1.slot.startMs }.map { s in
                HostTimesPage.SlotRow(
                    id: s.slot.id.text(), when: x.span(s.slot.startMs, minutes: s.slot.minutes), place: x.place(s.slot.place),
                    bookedBy: s.booked.map { names[$0.guest] ?? "" }, free: s.booked == nil && s.slot.startMs > x.nowMs)
            }
            let patterns = try await desk.patterns(p, subject).sorted { ($0.weekday, $0.startMinute) < ($1.weekday, $1.startMinute) }
            let patternRows = patterns.map { w in
                HostTimesPage.PatternRow(
                    id: w.id.text(), when: "\(x.weekday(w.weekday)) \(x.clock(minute: w.startMinute))–\(x.clock(minute: w.startMinute + w.minutes))",
                    place: x.place(w.place), from: x.day(w.from), until: w.until.map(x.day),
                    skipping: Views.nonEmpty(w.skipping.sorted().map(x.day).joined(separator: ", ")))
            }
            let appointments = Appointment.ordered(try await desk.appointments(p, subject), nowMs: x.nowMs)
            let appointmentRows = appointments.map { a in
                HostTimesPage.AppointmentRow(
                    id: a.id.text(), when: x.span(a.startMs, minutes: a.minutes), place: x.place(a.place), nickname: names[a.guest] ?? "",
                    status: x.status(a.status), canCancel: a.status == .booked, canMark: a.status == .booked && a.startMs <= x.nowMs)
            }
            let page = HostTimesPage(
                base: desk.base(subject), crumbs: TimesCrumb.trail(frame.crumbs), intro: frame.intro, guestLabel: frame.guestLabel,
                invitations: frame.invitations, slots: slotRows, hasSlots: !slotRows.isEmpty, patterns: patternRows,
                hasPatterns: !patternRows.isEmpty, appointments: appointmentRows, hasAppointments: !appointmentRows.isEmpty,
                slotFields: slotFields(x, frame, input), patternFields: patternFields(x, frame, input), slotsError: input.slotsError,
                patternsError: input.patternsError, appointmentsError: input.appointmentsError)
            return views.page(
                .times, title: views.title(x.t["times_title"] ?? "", frame.name), request: request, context: context, status: status, model: page,
                errors: errors)
        }
    }

    private func slotFields(_ x: TimesText, _ frame: HostTimesFrame, _ input: Input) -> [FormField] {
        let v = input.slot
        let e = input.slotErrors
        return [
            FormField(
                id: "slot-date", name: "date", label: x.t["times_date"] ?? "", hint: nil, value: v["date"] ?? "", error: e["date"], kind: "date"),
            FormField(
                id: "slot-time", name: "time", label: x.t["times_time"] ?? "", hint: x.t["times_time_hint"], value: v["time"] ?? "",
                error: e["time"], kind: "time"),
            FormField(
                id: "slot-minutes", name: "minutes", label: x.t["times_minutes"] ?? "", hint: x.t["times_minutes_hint"],
                value: v["minutes"] ?? "", error: e["minutes"], kind: "number"),
            FormField(
                id: "slot-place", name: "place", label: x.t["times_place_label"] ?? "", hint: frame.placeHint, value: v["place"] ?? "",
                error: e["place"], kind: "text"),
        ]
    }

    private func patternFields(_ x: TimesText, _ frame: HostTimesFrame, _ input: Input) -> [FormField] {
        let v = input.pattern
        let e = input.patternErrors
        let weekdays = (1...7).map { FieldOption(value: String($0), label: x.weekday($0), selected: String($0) == v["weekday"]) }
        return [
            FormField(
                id: "pattern-weekday", name: "weekday", label: x.t["times_weekday"] ?? "", hint: nil, value: "", error: e["weekday"],
                kind: "select", options: weekdays),
            FormField(
                id: "pattern-time", name: "time", label: x.t["times_time"] ?? "", hint: x.t["times_time_hint"], value: v["time"] ?? "",
                error: e["time"], kind: "time"),
            FormField(
                id: "pattern-minutes", name: "minutes", label: x.t["times_minutes"] ?? "", hint: x.t["times_minutes_hint"],
                value: v["minutes"] ?? "", error: e["minutes"], kind: "number"),
            FormField(
                id: "pattern-place", name: "place", label: x.t["times_place_label"] ?? "", hint: frame.placeHint, value: v["place"] ?? "",
                error: e["place"], kind: "text"),
            FormField(
                id: "pattern-from", name: "from", label: x.t["times_from"] ?? "", hint: nil, value: v["from"] ?? "", error: e["from"], kind: "date"),
            FormField(
                id: "pattern-until", name: "until", label: x.t["times_until"] ?? "", hint: nil, value: v["until"] ?? "", error: e["until"],
                kind: "date"),
            FormField(
                id: "pattern-skipping", name: "skipping", label: x.t["times_skipping"] ?? "", hint: x.t["times_skipping_hint"],
                value: v["skipping"] ?? "", error: e["skipping"], kind: "textarea", maxlength: 2000),
        ]
    }

    package func page(_ request: Request, context: StaffContext) async throws -> Response {
        try await render(request, context, try await desk.subject(context))
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

    /// A value the form could not read (a date or a time that is not one).
    struct Mistake: Error { let field: String }

    package func addSlot(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        var input = Input()
        for name in Self.slotNames { input.slot[name] = form[name] }
        let refusal: BookingRefusal
        let field: String
        do {
            // Rights first: a stranger learns nothing from the form's checks.
            try await desk.requireHost(context.staff, subject)
            guard let day = TimesText.day(form["date"]) else { throw Mistake(field: "date") }
            guard let minute = TimesText.minute(form["time"]) else { throw Mistake(field: "time") }
            guard let minutes = Int(form["minutes"]) else { throw Mistake(field: "minutes") }
            _ = try await desk.addSlot(context.staff, subject, startMs: day.ms(minute: minute), minutes: minutes, place: form["place"])
            return Views.redirect(desk.base(subject) + "#slots")
        } catch let m as Mistake {
            refusal = .badSlot
            field = m.field
        } catch let r as BookingRefusal {
            refusal = r
            field = Self.field(r, minutes: form["minutes"], place: form["place"])
        }
        input.slotErrors = [field: text(context).error(refusal)]
        return try await render(
            request, context, subject, input: input, errors: FieldErrors("slot-\(field)", refusal.messageKey), status: Self.status(refusal))
    }

    package func addPattern(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        var input = Input()
        for name in Self.patternNames { input.pattern[name] = form[name] }
        let refusal: BookingRefusal
        let field: String
        do {
            try await desk.requireHost(context.staff, subject)
            guard let weekday = Int(form["weekday"]), (1...7).contains(weekday) else { throw Mistake(field: "weekday") }
            guard let minute = TimesText.minute(form["time"]) else { throw Mistake(field: "time") }
            guard let minutes = Int(form["minutes"]) else { throw Mistake(field: "minutes") }
            guard let from = TimesText.day(form["from"]) else { throw Mistake(field: "from") }
            var until: BookingDay? = nil
            if !form["until"].isEmpty {
                guard let day = TimesText.day(form["until"]), day >= from else { throw Mistake(field: "until") }
                until = day
            }
            let lines = form["skipping"].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let skipping = lines.compactMap(TimesText.day)
            guard skipping.count == lines.count, skipping.count <= Booking.maxExceptions else { throw Mistake(field: "skipping") }
            // The scope is the desk's: it sets it from the subject.
            let pattern = WeeklyPattern(
                scope: UUID(), host: context.staff.staffID, weekday: weekday, startMinute: minute, minutes: minutes, place: form["place"],
                from: from, until: until, skipping: Set(skipping))
            _ = try await desk.addPattern(context.staff, subject, pattern)
            return Views.redirect(desk.base(subject) + "#patterns")
        } catch let m as Mistake {
            refusal = .badSlot
            field = m.field
        } catch let r as BookingRefusal {
            let f = Self.field(r, minutes: form["minutes"], place: form["place"])
            // A day out of range in a pattern is most likely the time running past midnight.
            refusal = r
            field = f == "date" ? "time" : f
        }
        input.patternErrors = [field: text(context).error(refusal)]
        return try await render(
            request, context, subject, input: input, errors: FieldErrors("pattern-\(field)", refusal.messageKey), status: Self.status(refusal))
    }

    package func deleteSlot(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        let id = try context.pathID("slot")
        do {
            try await BookingRefusal.answering {
                // Only a time of this page: one of another scope is not found here.
                guard try await desk.slots(context.staff, subject).contains(where: { $0.slot.id == id }) else {
                    throw BookingRefusal.slotNotFound
                }
            }
            try await desk.deleteSlot(context.staff, id: id)
            return Views.redirect(desk.base(subject) + "#slots")
        } catch let r as BookingRefusal {
            var input = Input()
            input.slotsError = text(context).error(r)
            return try await render(request, context, subject, input: input, errors: FieldErrors("slots", r.messageKey), status: Self.status(r))
        }
    }

    package func deletePattern(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        let id = try context.pathID("pattern")
        try await BookingRefusal.answering {
            guard try await desk.patterns(context.staff, subject).contains(where: { $0.id == id }) else { throw BookingRefusal.slotNotFound }
            try await desk.deletePattern(context.staff, id: id)
        }
        return Views.redirect(desk.base(subject) + "#patterns")
    }

    /// The appointment of this page, or not found.
    private func ownAppointment(_ context: StaffContext, _ subject: Desk.Subject) async throws -> UUID {
        let id = try context.pathID("appointment")
        try await BookingRefusal.answering {
            guard try await desk.appointments(context.staff, subject).contains(where: { $0.id == id }) else {
                throw BookingRefusal.appointmentNotFound
            }
        }
        return id
    }

    /// The host may cancel at any time; the guest is told at once.
    package func cancel(_ request: Request, context: StaffContext) async throws -> Response {
        _ = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        let id = try await ownAppointment(context, subject)
        return try await appointmentStep(request, context, subject) { _ = try await desk.cancel(context.staff, appointment: id) }
    }

    /// `attended=1` came, `attended=0` did not come; only once the time has begun.
    package func attendance(_ request: Request, context: StaffContext) async throws -> Response {
        let form = try await Form.read(request, context: context)
        let subject = try await desk.subject(context)
        let id = try await ownAppointment(context, subject)
        return try await appointmentStep(request, context, subject) {
            _ = try await desk.mark(context.staff, appointment: id, attended: form["attended"] == "1")
        }
    }

    private func appointmentStep(
        _ request: Request, _ context: StaffContext, _ subject: Desk.Subject, _ step: () async throws -> Void
    ) async throws -> Response {
        do {
            try await step()
            return Views.redirect(desk.base(subject) + "#appointments")
        } catch let r as BookingRefusal {
            var input = Input()
            input.appointmentsError = text(context).error(r)
            return try await render(
                request, context, subject, input: input, errors: FieldErrors("appointments", r.messageKey), status: Self.status(r))
        }
    }
}

extension Appointment {
    /// Coming and ongoing first (soonest first), then the past (latest first).
    package static func ordered(_ list: [Appointment], nowMs: Int64) -> [Appointment] {
        list.filter { $0.endMs > nowMs }.sorted { $0.startMs < $1.startMs } + list.filter { $0.endMs <= nowMs }.sorted { $0.startMs > $1.startMs }
    }
}
