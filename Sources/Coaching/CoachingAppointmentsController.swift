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

    func addSlot(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(SlotInput.self, request, context: context)
        let start = try BookingJSON.time(input.start)
        return try await Self.refusing {
            let slot = try await coaching.addSlot(
                context.staff, service: try Self.id("service", context), startMs: start, minutes: input.minutes, place: input.place ?? "")
            return try JSONResponse.make(SlotJSON(slot, booked: nil, nickname: nil), status: .created)
        }
    }

    func addPattern(_ request: Request, context: StaffContext) async throws -> Response {
        let pattern = try await JSONBody.require(PatternInput.self, request, context: context).pattern(host: context.staff.staffID)
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

    func attendance(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(AttendanceInput.self, request, context: context)
        return try await Self.refusing {
            let a = try await coaching.mark(context.staff, appointment: try Self.id("appointment", context), attended: input.attended)
            return try JSONResponse.make(AppointmentJSON(a))
        }
    }

    // MARK: the coachee

    func book(_ request: Request, context: MemberContext) async throws -> Response {
        let slot = try await JSONBody.require(BookInput.self, request, context: context).id
        return try await Self.refusing {
            let a = try await coaching.book(context.signedInMember.memberID, service: try Self.id("service", context), slot: slot)
            return try JSONResponse.make(AppointmentJSON(a), status: .created)
        }
    }

    func move(_ request: Request, context: MemberContext) async throws -> Response {
        let slot = try await JSONBody.require(BookInput.self, request, context: context).id
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
        return BookingJSON.response(invitation)
    }
}

extension AppointmentJSON {
    /// A coaching appointment: of a service, booked by a coachee.
    init(_ a: Appointment) { self.init(a, of: ("service", a.scope), guestKey: "coachee") }
}
