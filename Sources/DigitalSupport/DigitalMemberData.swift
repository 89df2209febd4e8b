import Booking
import Foundation
import KohtaamoBase

/// What digital support keeps of a registered client, for their download
/// and erasure: their sign-ups to group sessions, their appointments, their
/// needs mappings and their goals.
struct DigitalMemberData: MemberDataHolder {
    let digital: DigitalService
    var dataName: String { "digital_support" }

    struct SeatJSON: Encodable {
        let session: String
        let place: String
        let status: String
        let meetings: [MeetingJSON]
    }

    struct MeetingJSON: Encodable {
        let day: HelsinkiDay
        let start: String
        let end: String
    }

    /// The download: `sessions`, `appointments`, `mappings` and `goals` (a
    /// goal's material with its title and page, as the goals API gives it).
    struct Download: Encodable {
        let sessions: [SeatJSON]
        let appointments: [AppointmentJSON]
        let mappings: [MappingJSON]
        let goals: [GoalJSON]
    }

    func export(member: UUID, language: Language) async throws -> Data {
        // As the API answers them (`/api/my/digital/appointments`).
        let appointments = try await digital.digitalAppointments(member: member).map {
            AppointmentJSON($0.appointment, of: ("organisation", $0.organisation), guestKey: "client")
        }
        let sessions = try await digital.mine(member: member).map { m in
            SeatJSON(
                session: m.session.title, place: m.session.online ? "online" : m.session.place, status: m.seat.status.rawValue,
                meetings: m.meetings.map { MeetingJSON(day: $0.day, start: Clock24.text($0.startMinute), end: Clock24.text($0.endMinute)) })
        }
        var mappings: [MappingJSON] = []
        for m in try await digital.myMappings(member: member) {
            mappings.append(try await MappingJSON.make(m, digital, language: language))
        }
        let goals = try await GoalJSON.list(try await digital.myGoals(member: member), digital)
        return try JSONEncoder().encode(Download(sessions: sessions, appointments: appointments, mappings: mappings, goals: goals))
    }

    /// They leave every session (the first waiting move up into their seats),
    /// their appointments go (the times become free again), and their
    /// mappings and goals are deleted.
    func erase(member: UUID) async throws {
        try await digital.repository.eraseMappings(member: member)
        _ = try await digital.booking.erase(guest: member)
        for seat in try await digital.repository.seats(member: member) {
            _ = try await digital.repository.remove(seat: seat.id, session: seat.session, nowMs: digital.clock.nowMs)
        }
    }
}

/// Minutes after midnight as `09:00`.
enum Clock24 {
    static func text(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
}
