import Booking
import Foundation
import Hummingbird
import KohtaamoBase

/// The JSON entry points of digital support's appointments
/// (docs/openapi.yaml, tag Digital support): a worker's free times,
/// weekly times and appointments under `/api/digital`, a registered
/// client's booking, moving and cancelling under `/api/my/digital`. What
/// goes in and out is Booking's (`BookingJSON.swift`), as coaching's is.
struct DigitalAppointmentsController {
    let digital: DigitalService
    let views: Views
    let publicURL: String?

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/api/digital", context: StaffContext.self)
        // The worker's times: Booking's shared entry points, as coaching's.
        HostTimesAPI(
            desk: DigitalHostDesk(digital: digital), json: { a, p in AppointmentJSON(a, of: ("organisation", p.organisationID), guestKey: "client") }
        )
        .addRoutes(
            to: staff,
            .init(
                slots: "times/slots", slot: "times/slots/{slot}", patterns: "times/patterns", pattern: "times/patterns/{pattern}",
                attendance: "appointments/{appointment}/attendance"))
        staff.get("times/slots", use: slots)
        staff.get("appointments", use: appointments)
        staff.post("appointments/{appointment}/cancel", use: cancel)
        staff.get("appointments/{appointment}/invitation.ics", use: invitation)
        let member = router.group("/api/my/digital", context: MemberContext.self)
        GuestTimesAPI(desk: DigitalGuestDesk(digital: digital), json: { a in try await digital.json(a) }).addRoutes(
            to: member, book: "times/{organisation}/appointments", move: "appointments/{appointment}/move")
        member.get("times/{organisation}", use: free)
        member.get("appointments", use: mine)
        member.post("appointments/{appointment}/cancel", use: cancelMine)
        member.get("appointments/{appointment}/invitation.ics", use: invitationMine)
    }

    /// Digital support's refusals and the booking layer's, each with its code.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        try await BookingRefusal.answering { try await DigitalAPIController.refusing(body) }
    }

    func json(_ a: Appointment, organisation: UUID) -> AppointmentJSON { AppointmentJSON(a, of: ("organisation", organisation), guestKey: "client") }

    // MARK: the worker

    func slots(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let names = try await digital.guestNames(context.staff)
            return try JSONResponse.make(
                try await digital.slots(context.staff).map { SlotJSON($0.slot, booked: $0.booked, nickname: $0.booked.flatMap { names[$0.guest] }) })
        }
    }

    func appointments(_ request: Request, context: StaffContext) async throws -> Response {
        let organisation = context.staff.organisationID
        return try await Self.refusing {
            try JSONResponse.make(try await digital.appointments(context.staff).map { json($0, organisation: organisation) })
        }
    }

    func cancel(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let a = try await digital.cancel(context.staff, appointment: try context.pathID("appointment"))
            return try JSONResponse.make(json(a, organisation: context.staff.organisationID))
        }
    }

    func invitation(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let id = try context.pathID("appointment")
            // Only the worker's own of digital support (not a coaching one of theirs).
            _ = try await digital.hosted(context.staff, id)
            return BookingJSON.response(
                try await digital.invitation(
                    .host(context.staff.staffID), appointment: id, language: context.language, t: views.localizer.catalogue(context.language),
                    publicURL: publicURL))
        }
    }

    // MARK: the client

    func free(_ request: Request, context: MemberContext) async throws -> Response {
        let organisation = try context.pathID("organisation")
        return try await Self.refusing {
            _ = try await digital.organisationName(organisation, language: context.language)
            return try JSONResponse.make(try await digital.freeSlots(organisation: organisation).map { SlotJSON($0, booked: nil, nickname: nil) })
        }
    }

    func mine(_ request: Request, context: MemberContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(
                try await digital.digitalAppointments(member: context.signedInMember.memberID).map {
                    json($0.appointment, organisation: $0.organisation)
                })
        }
    }

    /// The client's own digital appointment and its organisation, or not found.
    private func own(_ context: MemberContext) async throws -> (Appointment, UUID) {
        let id = try context.pathID("appointment")
        guard let found = try await digital.digitalAppointments(member: context.signedInMember.memberID).first(where: { $0.appointment.id == id })
        else { throw BookingRefusal.appointmentNotFound }
        return (found.appointment, found.organisation)
    }

    func cancelMine(_ request: Request, context: MemberContext) async throws -> Response {
        try await Self.refusing {
            let (a, organisation) = try await own(context)
            return try JSONResponse.make(
                json(try await digital.cancel(context.signedInMember.memberID, appointment: a.id), organisation: organisation))
        }
    }

    func invitationMine(_ request: Request, context: MemberContext) async throws -> Response {
        try await Self.refusing {
            let (a, _) = try await own(context)
            return BookingJSON.response(
                try await digital.invitation(
                    .guest(context.signedInMember.memberID), appointment: a.id, language: context.language,
                    t: views.localizer.catalogue(context.language), publicURL: publicURL))
        }
    }
}
