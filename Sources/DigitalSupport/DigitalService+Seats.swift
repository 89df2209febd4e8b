import Foundation
import KohtaamoBase

/// People in group sessions: a registered client signs up (or leaves)
/// themselves; a worker adds a person by a work-side label, or takes
/// anyone out. The seat limit and the waiting list are the repository's,
/// held in one transaction per change.
extension DigitalService {
    /// The session's people, seated first, then waiting in order.
    package func participants(_ p: StaffPrincipal, session id: UUID) async throws -> [SessionSeat] {
        let session = try await session(p, id: id)
        return try await repository.seats(session: session.id)
    }

    /// What workers call each person: the label, else the registered client's nickname.
    package func names(_ seats: [SessionSeat]) async throws -> [UUID: String] {
        var out: [UUID: String] = [:]
        for s in seats {
            if !s.label.isEmpty {
                out[s.id] = s.label
            } else if let member = s.member {
                out[s.id] = try await members.nickname(member: member) ?? ""
            }
        }
        return out
    }

    /// A worker adds a person known by a label ("Aino, 040 123 4567"):
    /// seated if a seat is free, else waiting last.
    package func addParticipant(_ p: StaffPrincipal, session id: UUID, label: String) async throws -> SessionSeat {
        let session = try await session(p, id: id)
        var problems: Problems = []
        let label = Self.text("label", label, max: DigitalSupport.maxLabel, required: true, .badLabel, &problems)
        guard problems.isEmpty else { throw DigitalRefusedFields(problems) }
        let seat = try await repository.signUp(
            SessionSeat(session: session.id, member: nil, label: label, addedBy: p.staffID, createdMs: clock.nowMs))
        // The target names the session only: the audit log holds no label.
        try await record(p, "digital.participant_add", session.id)
        return seat
    }

    /// A worker takes a person out; the first waiting moves up.
    package func removeParticipant(_ p: StaffPrincipal, session id: UUID, seat: UUID) async throws {
        let session = try await session(p, id: id)
        guard try await repository.remove(seat: seat, session: session.id, nowMs: clock.nowMs) else { throw DigitalRefusal.notFound }
        try await record(p, "digital.participant_remove", session.id)
    }

    /// A registered client signs up to a public session that is neither
    /// cancelled nor over. Signing up again gives their place back as it is.
    package func signUp(member: UUID, session id: UUID) async throws -> SessionSeat {
        let found = try await publicSession(id: id, language: .fi)
        guard !found.session.cancelled else { throw DigitalRefusal.sessionCancelled }
        guard !found.over else { throw DigitalRefusal.sessionOver }
        return try await repository.signUp(SessionSeat(session: id, member: member, label: "", addedBy: nil, createdMs: clock.nowMs))
    }

    /// A registered client leaves; the first waiting moves up.
    package func leave(member: UUID, session id: UUID) async throws {
        guard let seat = try await repository.seats(member: member).first(where: { $0.session == id }),
            try await repository.remove(seat: seat.id, session: id, nowMs: clock.nowMs)
        else { throw DigitalRefusal.notFound }
    }

    /// A registered client's own sign-up, as they see it.
    package struct MySeat: Sendable {
        package var seat: SessionSeat
        package var session: GroupSession
        package var meetings: [SessionMeeting]
        /// 1 = next to get a seat; nil when seated.
        package var position: Int?
    }

    package func mine(member: UUID) async throws -> [MySeat] {
        var out: [MySeat] = []
        for seat in try await repository.seats(member: member) {
            guard let session = try await repository.session(id: seat.session) else { continue }
            var position: Int?
            if seat.status == .waiting {
                position = try await repository.seats(session: seat.session).filter { $0.status == .waiting && $0.rank < seat.rank }.count + 1
            }
            out.append(MySeat(seat: seat, session: session, meetings: try await repository.meetings(session: session.id), position: position))
        }
        return out
    }
}
