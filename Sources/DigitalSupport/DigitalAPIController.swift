import Foundation
import Hummingbird
import KohtaamoBase

/// The JSON entry points of digital support (docs/openapi.yaml, tag
/// DigitalSupport): workers' events and sessions under `/api/digital`, a
/// registered client's sign-ups under `/api/my/digital`. The rules are
/// `DigitalService`'s; a refused field answers 400 with its code.
struct DigitalAPIController {
    let digital: DigitalService

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("/api/digital", context: StaffContext.self)
        staff.get("events", use: events)
        staff.post("events", use: makeEvent)
        staff.get("events/{event}", use: event)
        staff.put("events/{event}", use: editEvent)
        staff.post("events/{event}/cancel", use: cancelEvent)
        staff.get("sessions", use: sessions)
        staff.post("sessions", use: makeSession)
        staff.get("sessions/{session}", use: session)
        staff.put("sessions/{session}", use: editSession)
        staff.post("sessions/{session}/cancel", use: cancelSession)
        staff.post("sessions/{session}/meetings", use: addMeeting)
        staff.delete("sessions/{session}/meetings/{meeting}", use: deleteMeeting)
        staff.get("sessions/{session}/participants", use: participants)
        staff.post("sessions/{session}/participants", use: addParticipant)
        staff.delete("sessions/{session}/participants/{participant}", use: removeParticipant)
        let member = router.group("/api/my/digital", context: MemberContext.self)
        member.get(use: mine)
        member.post("sessions/{session}/signup", use: signUp)
        member.post("sessions/{session}/leave", use: leave)
    }

    // MARK: errors and parameters

    static func appError(_ r: some CodedRefusal) -> AppError { r.appError }

    /// A refusal as the API answers it (digital support's or the mapping's): a refused field by the first field's code.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as any CodedRefusal { throw r.appError } catch let r as DigitalRefusedFields {
            throw r.first.appError
        } catch let r as MappingRefusedFields { throw r.first.appError }
    }

    /// As `refusing`, for a rule that needs no waiting.
    static func refusingNow(_ body: () throws -> Void) throws {
        do { try body() } catch let r as DigitalRefusal { throw appError(r) }
    }

    /// For a form: refused fields come back to be shown beside the fields; any other refusal is the error page.
    static func refusingFieldsOnly<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let r as any CodedRefusal { throw r.appError }
    }

    static func id(_ name: String, _ context: some RequestContext) throws -> UUID { try context.pathID(name) }

    // MARK: events

    struct EventInput: Decodable {
        let title: String
        let description: String?
        let municipality: String
        let place: String
        let address: String?
        let date: String
        let start: String
        let end: String
        let themes: [String]?
        let languages: [String]
        let isPublic: Bool?

        var input: DigitalService.EventInput {
            var i = DigitalService.EventInput()
            (i.title, i.description, i.municipality, i.place, i.address) = (title, description ?? "", municipality, place, address ?? "")
            (i.date, i.start, i.end, i.themes, i.languages, i.isPublic) = (date, start, end, themes ?? [], languages, isPublic ?? true)
            return i
        }
    }

    func events(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try JSONResponse.make(try await digital.events(context.staff).map(EventJSON.init)) }
    }

    func event(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing { try JSONResponse.make(EventJSON(try await digital.event(context.staff, id: try Self.id("event", context)))) }
    }

    func makeEvent(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(EventInput.self, request, context: context)
        return try await Self.refusing { try JSONResponse.make(EventJSON(try await digital.makeEvent(context.staff, input.input)), status: .created) }
    }

    func editEvent(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(EventInput.self, request, context: context)
        return try await Self.refusing {
            try JSONResponse.make(EventJSON(try await digital.editEvent(context.staff, id: try Self.id("event", context), input.input)))
        }
    }

    func cancelEvent(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(EventJSON(try await digital.cancelEvent(context.staff, id: try Self.id("event", context))))
        }
    }

    // MARK: sessions

    struct SessionInput: Decodable {
        let title: String
        let description: String?
        let municipality: String
        let place: String?
        let address: String?
        let online: Bool?
        let seats: Int
        let themes: [String]?
        let languages: [String]
        let isPublic: Bool?

        var input: DigitalService.SessionInput {
            var i = DigitalService.SessionInput()
            (i.title, i.description, i.municipality, i.place, i.address) = (title, description ?? "", municipality, place ?? "", address ?? "")
            (i.online, i.seats, i.themes, i.languages, i.isPublic) = (online ?? false, seats, themes ?? [], languages, isPublic ?? true)
            return i
        }
    }

    func json(_ s: GroupSession) async throws -> SessionJSON {
        SessionJSON(s, meetings: try await digital.repository.meetings(session: s.id), seats: try await digital.repository.seats(session: s.id))
    }

    func sessions(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            var out: [SessionJSON] = []
            for s in try await digital.sessions(context.staff) { out.append(try await json(s)) }
            return try JSONResponse.make(out)
        }
    }

    func session(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(try await json(try await digital.session(context.staff, id: try Self.id("session", context))))
        }
    }

    func makeSession(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(SessionInput.self, request, context: context)
        return try await Self.refusing {
            try JSONResponse.make(try await json(try await digital.makeSession(context.staff, input.input)), status: .created)
        }
    }

    func editSession(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(SessionInput.self, request, context: context)
        return try await Self.refusing {
            try JSONResponse.make(try await json(try await digital.editSession(context.staff, id: try Self.id("session", context), input.input)))
        }
    }

    func cancelSession(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try JSONResponse.make(try await json(try await digital.cancelSession(context.staff, id: try Self.id("session", context))))
        }
    }

    struct MeetingInput: Decodable {
        let date: String
        let start: String
        let end: String
    }

    func addMeeting(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(MeetingInput.self, request, context: context)
        return try await Self.refusing {
            let meeting = try await digital.addMeeting(
                context.staff, session: try Self.id("session", context), .init(date: input.date, start: input.start, end: input.end))
            return try JSONResponse.make(MeetingJSON(meeting), status: .created)
        }
    }

    func deleteMeeting(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try await digital.deleteMeeting(context.staff, session: try Self.id("session", context), meeting: try Self.id("meeting", context))
        }
        return Response(status: .noContent)
    }

    // MARK: participants

    func participants(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            let seats = try await digital.participants(context.staff, session: try Self.id("session", context))
            return try JSONResponse.make(ParticipantJSON.list(seats, names: try await digital.names(seats)))
        }
    }

    struct ParticipantInput: Decodable { let label: String }

    func addParticipant(_ request: Request, context: StaffContext) async throws -> Response {
        let input = try await JSONBody.require(ParticipantInput.self, request, context: context)
        return try await Self.refusing {
            let id = try Self.id("session", context)
            let seat = try await digital.addParticipant(context.staff, session: id, label: input.label)
            let all = ParticipantJSON.list(try await digital.repository.seats(session: id), names: [seat.id: seat.label])
            return try JSONResponse.make(
                all.first { $0.id == seat.id.text() } ?? ParticipantJSON(seat, name: seat.label, position: nil), status: .created)
        }
    }

    func removeParticipant(_ request: Request, context: StaffContext) async throws -> Response {
        try await Self.refusing {
            try await digital.removeParticipant(context.staff, session: try Self.id("session", context), seat: try Self.id("participant", context))
        }
        return Response(status: .noContent)
    }

    // MARK: the registered client

    func mine(_ request: Request, context: MemberContext) async throws -> Response {
        try JSONResponse.make(try await digital.mine(member: context.signedInMember.memberID).map(MySessionJSON.init))
    }

    func signUp(_ request: Request, context: MemberContext) async throws -> Response {
        try await Self.refusing {
            let id = try Self.id("session", context)
            let member = context.signedInMember.memberID
            let before = try await digital.repository.seats(member: member).contains { $0.session == id }
            _ = try await digital.signUp(member: member, session: id)
            guard let mine = try await digital.mine(member: member).first(where: { $0.session.id == id }) else { throw DigitalRefusal.notFound }
            return try JSONResponse.make(MySessionJSON(mine), status: before ? .ok : .created)
        }
    }

    func leave(_ request: Request, context: MemberContext) async throws -> Response {
        try await Self.refusing { try await digital.leave(member: context.signedInMember.memberID, session: try Self.id("session", context)) }
        return Response(status: .noContent)
    }
}
