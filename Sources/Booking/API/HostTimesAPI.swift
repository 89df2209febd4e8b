import Foundation
import Hummingbird
import KohtaamoBase

/// The host's JSON entry points for every feature that books, through the
/// same desk as its page (`HostTimesDesk`): add a free time, list and add
/// weekly patterns, delete either, mark attendance. The feature names the
/// paths under its staff group and how an appointment is written.
package struct HostTimesAPI<Desk: HostTimesDesk>: Sendable {
    package let desk: Desk
    /// How the feature writes an appointment (what it is of, who booked).
    package let json: @Sendable (Appointment, StaffPrincipal) -> AppointmentJSON

    package init(desk: Desk, json: @escaping @Sendable (Appointment, StaffPrincipal) -> AppointmentJSON) { (self.desk, self.json) = (desk, json) }

    /// Where each entry point is, under the feature's staff group.
    package struct Paths: Sendable {
        package var slots: String, slot: String, patterns: String, pattern: String, attendance: String
        package init(slots: String, slot: String, patterns: String, pattern: String, attendance: String) {
            (self.slots, self.slot, self.patterns, self.pattern, self.attendance) = (slots, slot, patterns, pattern, attendance)
        }
    }

    package func addRoutes(to staff: RouterGroup<StaffContext>, _ paths: Paths) {
        staff.post(RouterPath(paths.slots), use: addSlot)
        staff.get(RouterPath(paths.patterns), use: patterns)
        staff.post(RouterPath(paths.patterns), use: addPattern)
        staff.delete(RouterPath(paths.pattern), use: deletePattern)
        staff.delete(RouterPath(paths.slot), use: deleteSlot)
        staff.post(RouterPath(paths.attendance), use: attendance)
    }

    package func addSlot(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(SlotInput.self, request, context: context)
        let start = try BookingJSON.time(input.start)
        return try await BookingRefusal.answering {
            let subject = try await desk.subject(context)
            let slot = try await desk.addSlot(context.staff, subject, startMs: start, minutes: input.minutes, place: input.place ?? "")
            return try JSONResponse.make(SlotJSON(slot, booked: nil, nickname: nil), status: .created)
        }
    }

    package func patterns(_ request: Request, context: StaffContext) async throws -> Response {
        try await BookingRefusal.answering {
            try JSONResponse.make(try await desk.patterns(context.staff, try await desk.subject(context)).map(PatternJSON.init))
        }
    }

    package func addPattern(_ request: Request, context: StaffContext) async throws -> Response {
        let pattern = try await JSONBody.require(PatternInput.self, request, context: context).pattern(host: context.staff.staffID)
        return try await BookingRefusal.answering {
            let made = try await desk.addPattern(context.staff, try await desk.subject(context), pattern)
            return try JSONResponse.make(PatternJSON(made), status: .created)
        }
    }

    package func deletePattern(_ request: Request, context: StaffContext) async throws -> Response {
        try await BookingRefusal.answering { try await desk.deletePattern(context.staff, id: try context.pathID("pattern")) }
        return Response(status: .noContent)
    }

    package func deleteSlot(_ request: Request, context: StaffContext) async throws -> Response {
        try await BookingRefusal.answering { try await desk.deleteSlot(context.staff, id: try context.pathID("slot")) }
        return Response(status: .noContent)
    }

    /// `{"attended": false}` is a no-show; only once the time has begun.
    package func attendance(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(AttendanceInput.self, request, context: context)
        return try await BookingRefusal.answering {
            let a = try await desk.mark(context.staff, appointment: try context.pathID("appointment"), attended: input.attended)
            return try JSONResponse.make(json(a, context.staff))
        }
    }
}
