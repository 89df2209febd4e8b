import Foundation
import KohtaamoBase

/// Storage of digital support, as one SQL type implements it (`SQLDigitalRepository`).
package typealias DigitalRepository = PopupEventRepository & GroupSessionRepository & SeatRepository & MappingRepository

package protocol PopupEventRepository: Sendable {
    func event(id: UUID) async throws -> PopupEvent?
    /// The organisation's events, soonest first.
    func events(organisation: UUID) async throws -> [PopupEvent]
    /// Public events (cancelled ones too) in a municipality (nil: every one) on days `from`…`to`.
    func publicEvents(municipality: String?, from: HelsinkiDay, to: HelsinkiDay) async throws -> [PopupEvent]
    func addEvent(_ event: PopupEvent) async throws
    /// Saves it and raises its sequence by one; the event as saved.
    func saveEvent(_ event: PopupEvent) async throws -> PopupEvent
}

package protocol GroupSessionRepository: Sendable {
    func session(id: UUID) async throws -> GroupSession?
    func sessions(organisation: UUID) async throws -> [GroupSession]
    /// Public sessions (cancelled ones too) with a meeting in a municipality (nil: every one) on days `from`…`to`,
    /// with those meetings.
    func publicMeetings(municipality: String?, from: HelsinkiDay, to: HelsinkiDay) async throws -> [(GroupSession, SessionMeeting)]
    func addSession(_ session: GroupSession) async throws
    /// Saves it, raises its sequence by one and moves the waiting list up to
    /// the seat limit; the session as saved.
    func saveSession(_ session: GroupSession, nowMs: Int64) async throws -> GroupSession
    func meetings(session: UUID) async throws -> [SessionMeeting]
    /// Adds a meeting unless the course has `max` already (false then); raises the session's sequence.
    func addMeeting(_ meeting: SessionMeeting, max: Int, nowMs: Int64) async throws -> Bool
    /// False when the session has no such meeting; raises the session's sequence.
    func deleteMeeting(id: UUID, session: UUID, nowMs: Int64) async throws -> Bool
}

/// Sign-ups (the label sealed). The seat limit is held here, in one
/// transaction per change: however many sign up at once, no more than the
/// limit are seated and the rest wait in order.
package protocol SeatRepository: Sendable {
    /// Adds the person, seated if a seat is free, else waiting last. A
    /// registered client already in the session gets their place back, unchanged.
    func signUp(_ seat: SessionSeat) async throws -> SessionSeat
    /// Takes the person out; the first waiting move up into a freed seat.
    /// False when the session has no such person.
    func remove(seat id: UUID, session: UUID, nowMs: Int64) async throws -> Bool
    /// Seated first, then waiting, each in order of arrival.
    func seats(session: UUID) async throws -> [SessionSeat]
    func seats(member: UUID) async throws -> [SessionSeat]
    /// Seated people per session.
    func seatedCounts(sessions: [UUID]) async throws -> [UUID: Int]
}
