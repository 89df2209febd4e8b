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
        staff.get("times/slots", use: slots)
        staff.post("times/slots", use: addSlot)
        staff.delete("times/slots/{slot}", use: deleteSlot)
        staff.get("times/patterns", use: patterns)
        staff.post("times/patterns", use: addPattern)
        staff.delete("times/patterns/{pattern}", use: deletePattern)
        staff.get("appointments", use: appointments)
        staff.post("appointments/{appointment}/cancel", use: cancel)
        staff.post("appointments/{appointment}/attendance", use: attendance)
        staff.get("appointments/{appointment}/invitation.ics", use: invitation)
        let member = router.group("/api/my/digital", context: MemberContext.self)
        member.get("times/{organisation}", use: free)
        member.post("times/{organisation}/appointments", use: book)
        member.get("appointments", use: mine)
        member.post("appointments/{appointment}/move", use: move)
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

    func addSlot(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(SlotInput.self, request, context: context)
        let start = try BookingJSON.time(input.start)
        return try await Self.refusing {
            let slot = try await digital.addSlot(context.staff, startMs: start, minutes: input.minutes, place: input.place ?? "")
            return try JSONResponse.make(SlotJSON(slot, booked: nil, nickname: nil), status: .created)
        }
    }

    func deleteSlot(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try await digital.deleteSlot(context.staff, id: try context.pathID("slot")) }
        return Response(status: .noContent)
    }

    func patterns(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try JSONResponse.make(try await digital.patterns(context.staff).map(PatternJSON.init)) }
    }

    func addPattern(_ request: Request, context: StaffContext) async throws -> Response {
        let pattern = try await JSONBody.require(PatternInput.self, request, context: context).pattern(host: context.staff.staffID)
        return try await Self.refusing { try JSONResponse.make(PatternJSON(try await digital.addPattern(context.staff, pattern)), status: .created) }
    }

    func deletePattern(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try await digital.deletePattern(context.staff, id: try context.pathID("pattern")) }
        return Response(status: .noContent)
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

    func attendance(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(AttendanceInput.self, request, context: context)
        return try await Self.refusing {
            let a = try await digital.mark(context.staff, appointment: try context.pathID("appointment"), attended: input.attended)
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

    func book(_ request: Request, context: MemberContext) async throws -> Response {
        let organisation = try context.pathID("organisation")
        let slot = try await JSONBody.require(BookInput.self, request, context: context).id
        return try await Self.refusing {
            let a = try await digital.book(context.signedInMember.memberID, organisation: organisation, slot: slot)
            return try JSONResponse.make(json(a, organisation: organisation), status: .created)
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

    func move(_ request: Request, context: MemberContext) async throws -> Response {
        let slot = try await JSONBody.require(BookInput.self, request, context: context).id
        return try await Self.refusing {
            let (a, organisation) = try await own(context)
            return try JSONResponse.make(
                json(try await digital.move(context.signedInMember.memberID, appointment: a.id, to: slot), organisation: organisation))
        }
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
