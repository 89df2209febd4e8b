import Booking
import Foundation
import Hummingbird
import KohtaamoBase
import KohtaamoRealtime

/// The JSON entry points of coaching appointments (docs/openapi.yaml, tag
/// Coaching): the coach's free times and patterns, the coachee's booking,
/// moving and cancelling, attendance, and the calendar invitation.
struct CoachingAppointmentsController {
    let coaching: CoachingService
    let publicURL: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/api/coaching", context: StaffContext.self)
        staff.post("services/{service}/slots", use: addSlot)
        staff.get("services/{service}/patterns", use: patterns)
        staff.post("services/{service}/patterns", use: addPattern)
        staff.delete("patterns/{pattern}", use: deletePattern)
        staff.delete("slots/{slot}", use: deleteSlot)
        staff.post("appointments/{appointment}/attendance", use: attendance)
        let member = router.group("/api/coaching", context: MemberContext.self)
        member.post("services/{service}/appointments", use: book)
        member.post("appointments/{appointment}/move", use: move)
        // Both sides: the service checks who asks.
        router.get("/api/coaching/services/{service}/slots", use: slots)
        router.get("/api/coaching/services/{service}/appointments", use: appointments)
        router.post("/api/coaching/appointments/{appointment}/cancel", use: cancel)
        router.get("/api/coaching/appointments/{appointment}/invitation.ics", use: invitation)
    }

    static func appError(_ refusal: BookingRefusal) -> AppError { refusal.appError }

    /// The coaching's refusals and the booking layer's, each with its code.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await CoachingAPIController.refusing(body) } catch let r as BookingRefusal { throw appError(r) }
    }

    static func id(_ name: String, _ context: some RequestContext) throws -> UUID { try CoachingAPIController.id(name, context) }

    // MARK: free times (the coach)

    struct SlotInput: Decodable {
        /// RFC 3339.
        let start: String
        let minutes: Int
        let place: String?
    }

    func addSlot(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(SlotInput.self, request, context: context)
        let start = try Self.time(input.start)
        return try await Self.refusing {
            let slot = try await coaching.addSlot(
                context.staff, service: try Self.id("service", context), startMs: start, minutes: input.minutes, place: input.place ?? "")
            return try JSONResponse.make(SlotJSON(slot, booked: nil, nickname: nil), status: .created)
        }
    }

    static func time(_ text: String) throws -> Int64 {
        do { return try CoachingAPIController.date(text) } catch { throw AppError(.badRequest, code: "bad_slot") }
    }

    struct PatternInput: Decodable {
        let weekday: Int
        /// Helsinki wall time, `HH:MM`.
        let start: String
        let minutes: Int
        let place: String?
        /// `YYYY-MM-DD`.
        let from: String
        let until: String?
        /// Days with no free time, `YYYY-MM-DD`.
        let skipping: [String]?
    }

    func addPattern(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(PatternInput.self, request, context: context)
        let bad = AppError(.badRequest, code: "bad_slot")
        let parts = input.start.split(separator: ":").compactMap { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) ? Int($0) : nil }
        guard input.start.count == 5, parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]), let from = BookingDay(input.from),
            (input.skipping?.count ?? 0) <= 400
        else { throw bad }
        let until = try input.until.map { try BookingDay($0) ?? { throw bad }() }
        let skipping = try (input.skipping ?? []).map { try BookingDay($0) ?? { throw bad }() }
        let pattern = WeeklyPattern(
            scope: UUID(), host: context.staff.staffID, weekday: input.weekday, startMinute: parts[0] * 60 + parts[1], minutes: input.minutes,
            place: input.place ?? "", from: from, until: until, skipping: Set(skipping))
        return try await Self.refusing {
            let made = try await coaching.addPattern(context.staff, service: try Self.id("service", context), pattern)
            return try JSONResponse.make(PatternJSON(made), status: .created)
        }
    }

    func patterns(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(try await coaching.patterns(context.staff, service: try Self.id("service", context)).map(PatternJSON.init))
        }
    }

    func deletePattern(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try await coaching.deletePattern(context.staff, id: try Self.id("pattern", context)) }
        return Response(status: .noContent)
    }

    func deleteSlot(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try await coaching.deleteSlot(context.staff, id: try Self.id("slot", context)) }
        return Response(status: .noContent)
    }

    struct AttendanceInput: Decodable { let attended: Bool }

    func attendance(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(AttendanceInput.self, request, context: context)
        return try await Self.refusing {
            let a = try await coaching.mark(context.staff, appointment: try Self.id("appointment", context), attended: input.attended)
            return try JSONResponse.make(AppointmentJSON(a))
        }
    }

    // MARK: the coachee

    struct BookInput: Decodable { let slot: String }

    func book(_ request: Request, context: MemberContext) async throws -> Response {
        let input = try await JSONBody.require(BookInput.self, request, context: context)
        guard let slot = UUID(uuidString: input.slot) else { throw Self.appError(.slotNotFound) }
        return try await Self.refusing {
            let a = try await coaching.book(context.signedInMember.memberID, service: try Self.id("service", context), slot: slot)
            return try JSONResponse.make(AppointmentJSON(a), status: .created)
        }
    }

    func move(_ request: Request, context: MemberContext) async throws -> Response {
        let input = try await JSONBody.require(BookInput.self, request, context: context)
        guard let slot = UUID(uuidString: input.slot) else { throw Self.appError(.slotNotFound) }
        return try await Self.refusing {
            let a = try await coaching.move(context.signedInMember.memberID, appointment: try Self.id("appointment", context), to: slot)
            return try JSONResponse.make(AppointmentJSON(a))
        }
    }

    // MARK: both

    func slots(_ request: Request, context: AppRequestContext) async throws -> Response {
        let service = try Self.id("service", context)
        return try await Self.refusing {
            if let p = context.principal {
                var names: [UUID: String] = [:]
                for c in try await coaching.coachees(p, service: service) { names[c.member] = c.nickname }
                return try JSONResponse.make(
                    try await coaching.slots(p, service: service).map {
                        SlotJSON($0.slot, booked: $0.booked, nickname: $0.booked.flatMap { names[$0.guest] })
                    })
            }
            guard let m = context.member else { throw AppError.unauthorized }
            return try JSONResponse.make(
                try await coaching.freeSlots(m.memberID, service: service).map { SlotJSON($0, booked: nil, nickname: nil) })
        }
    }

    func appointments(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try CoachingAPIController.viewer(context)
        return try await Self.refusing {
            try JSONResponse.make(try await coaching.appointments(viewer, service: try Self.id("service", context)).map(AppointmentJSON.init))
        }
    }

    func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try CoachingAPIController.viewer(context)
        return try await Self.refusing {
            try JSONResponse.make(AppointmentJSON(try await coaching.cancel(viewer, appointment: try Self.id("appointment", context))))
        }
    }

    func invitation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let viewer = try CoachingAPIController.viewer(context)
        let invitation = try await Self.refusing {
            try await coaching.invitation(viewer, appointment: try Self.id("appointment", context), language: context.language, publicURL: publicURL)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/calendar; charset=utf-8; method=\(invitation.method)",
                .contentDisposition: "attachment; filename=\"\(invitation.fileName)\"", .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: invitation.text)))
    }
}

struct SlotJSON: Encodable {
    let id: String
    let start: String
    let end: String
    let minutes: Int
    let place: String
    /// The appointment on it (the coach's list only), else null.
    let appointment: String?
    /// Who booked it (the coach's list only), else null.
    let nickname: String?
    init(_ s: Slot, booked: Appointment?, nickname: String?) {
        (id, minutes, place) = (s.id.text(), s.minutes, s.place)
        start = ServerFrame.timestamp(s.startMs)
        end = ServerFrame.timestamp(s.startMs + Int64(s.minutes) * 60_000)
        appointment = booked?.id.text()
        self.nickname = booked == nil ? nil : (nickname ?? "")
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(minutes, forKey: .minutes)
        try c.encode(place, forKey: .place)
        try c.encode(appointment, forKey: .appointment)
        try c.encode(nickname, forKey: .nickname)
    }
    enum CodingKeys: String, CodingKey { case id, start, end, minutes, place, appointment, nickname }
}

struct PatternJSON: Encodable {
    let id: String
    let weekday: Int
    let start: String
    let minutes: Int
    let place: String
    let from: String
    let until: String?
    let skipping: [String]
    init(_ p: WeeklyPattern) {
        (id, weekday, minutes, place) = (p.id.text(), p.weekday, p.minutes, p.place)
        start = String(format: "%02d:%02d", p.startMinute / 60, p.startMinute % 60)
        (from, until) = (p.from.description, p.until?.description)
        skipping = p.skipping.map(\.description).sorted()
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(weekday, forKey: .weekday)
        try c.encode(start, forKey: .start)
        try c.encode(minutes, forKey: .minutes)
        try c.encode(place, forKey: .place)
        try c.encode(from, forKey: .from)
        try c.encode(until, forKey: .until)
        try c.encode(skipping, forKey: .skipping)
    }
    enum CodingKeys: String, CodingKey { case id, weekday, start, minutes, place, from, until, skipping }
}

struct AppointmentJSON: Encodable {
    let id: String
    let uid: String
    let service: String
    let coachee: String
    let slot: String
    let start: String
    let end: String
    let minutes: Int
    let place: String
    let status: String
    let sequence: Int
    init(_ a: Appointment) {
        (id, uid, service, coachee, slot) = (a.id.text(), a.uid, a.scope.text(), a.guest.text(), a.slot.text())
        (start, end) = (ServerFrame.timestamp(a.startMs), ServerFrame.timestamp(a.endMs))
        (minutes, place, status, sequence) = (a.minutes, a.place, a.status.rawValue, a.sequence)
    }
}
