import Foundation
import Hummingbird
import KohtaamoBase

/// The guest's JSON entry points to book and to move, for every feature
/// that books, through the same desk as its page (`GuestTimesDesk`). The
/// feature names the paths under its member group and how an appointment
/// is written.
package struct GuestTimesAPI<Desk: GuestTimesDesk>: Sendable {
    package let desk: Desk
    package let json: @Sendable (Appointment) async throws -> AppointmentJSON

    package init(desk: Desk, json: @escaping @Sendable (Appointment) async throws -> AppointmentJSON) { (self.desk, self.json) = (desk, json) }

    /// `book` names the subject (a service, an organisation), `move` the appointment.
    package func addRoutes(to member: RouterGroup<MemberContext>, book: String, move: String) {
        member.post(RouterPath(book), use: self.book)
        member.post(RouterPath(move), use: self.move)
    }

    package func book(_ request: Request, context: MemberContext) async throws -> Response {
        let slot = try await JSONBody.require(BookInput.self, request, context: context).id
        return try await BookingRefusal.answering {
            let a = try await desk.book(context.signedInMember.memberID, try await desk.subject(context), slot: slot)
            return try JSONResponse.make(try await json(a), status: .created)
        }
    }

    /// To another free time of the same host's subject, until the limit.
    package func move(_ request: Request, context: MemberContext) async throws -> Response {
        let slot = try await JSONBody.require(BookInput.self, request, context: context).id
        return try await BookingRefusal.answering {
            let a = try await desk.move(context.signedInMember.memberID, appointment: try context.pathID("appointment"), to: slot)
            return try JSONResponse.make(try await json(a))
        }
    }
}
