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
        // The coach's: Booking's shared entry points, the service named by its id.
        HostTimesAPI(desk: CoachDesk(coaching: coaching, byID: true), json: { a, _ in AppointmentJSON(a) }).addRoutes(
            to: router.group("/api/coaching", context: StaffContext.self),
            .init(
                slots: "services/{service}/slots", slot: "slots/{slot}", patterns: "services/{service}/patterns", pattern: "patterns/{pattern}",
                attendance: "appointments/{appointment}/attendance"))
        GuestTimesAPI(desk: CoacheeDesk(coaching: coaching, byID: true), json: { AppointmentJSON($0) }).addRoutes(
            to: router.group("/api/coaching", context: MemberContext.self), book: "services/{service}/appointments",
            move: "appointments/{appointment}/move")
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

    // MARK: the coachee

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
