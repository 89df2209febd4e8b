import Foundation
import KohtaamoBase

/// What the finder shows of digital support: public pop-up events (a
/// cancelled one stays, marked cancelled) and each meeting of a public
/// group session, with the seats left and a link to the session's page.
/// A happening's id is the event's or the meeting's own, so it is stable
/// across edits.
struct DigitalHappenings: HappeningSource {
    let repository: any DigitalRepository

    /// Helsinki days around a window: a day's events are read by day, then kept by their moments.
    private func days(_ fromMs: Int64, _ toMs: Int64) -> (HelsinkiDay, HelsinkiDay) {
        (HelsinkiDay(ms: fromMs).adding(days: -1), HelsinkiDay(ms: toMs).adding(days: 1))
    }

    func happenings(municipality: String, fromMs: Int64, toMs: Int64) async throws -> [Happening] {
        try await all(municipality: municipality, fromMs: fromMs, toMs: toMs)
    }

    func municipalities(fromMs: Int64, toMs: Int64) async throws -> Set<String> {
        Set(try await all(municipality: nil, fromMs: fromMs, toMs: toMs).map(\.municipality))
    }

    private func all(municipality: String?, fromMs: Int64, toMs: Int64) async throws -> [Happening] {
        guard fromMs < toMs else { return [] }
        let (from, to) = days(fromMs, toMs)
        var out: [Happening] = []
        for e in try await repository.publicEvents(municipality: municipality, from: from, to: to) where e.endMs > fromMs && e.startMs < toMs {
            out.append(
                Happening(
                    id: e.id, kind: .popup, organisation: e.organisation, municipality: e.municipality, title: e.title, description: e.description,
                    place: e.address.isEmpty ? e.place : "\(e.place), \(e.address)", online: false, startMs: e.startMs, endMs: e.endMs,
                    themes: e.themes, languages: e.languages, seatsLeft: nil, link: nil, sequence: e.sequence, updatedMs: e.updatedMs,
                    cancelled: e.cancelled))
        }
        let meetings = try await repository.publicMeetings(municipality: municipality, from: from, to: to).filter {
            $0.1.endMs > fromMs && $0.1.startMs < toMs
        }
        let seated = try await repository.seatedCounts(sessions: Array(Set(meetings.map(\.0.id))))
        for (s, m) in meetings {
            out.append(
                Happening(
                    id: m.id, kind: .groupSession, organisation: s.organisation, municipality: s.municipality, title: s.title,
                    description: s.description, place: s.online ? "online" : (s.address.isEmpty ? s.place : "\(s.place), \(s.address)"),
                    online: s.online, startMs: m.startMs, endMs: m.endMs, themes: s.themes, languages: s.languages,
                    seatsLeft: max(0, s.seats - (seated[s.id] ?? 0)), link: DigitalPaths.publicSession(s.id), sequence: s.sequence,
                    updatedMs: s.updatedMs, cancelled: s.cancelled))
        }
        return out.sorted { ($0.startMs, $0.id.uuidString) < ($1.startMs, $1.id.uuidString) }
    }
}

/// The paths other pages link to.
package enum DigitalPaths {
    package static func publicSession(_ id: UUID) -> String { "/digital/sessions/\(id.text())/public" }
    /// A worker's own free times and appointments.
    package static let hostTimes = "/digital/times"
    /// Where a registered client books a time of the organisation's digital support.
    package static func guestTimes(_ organisation: UUID) -> String { "/my/digital/times/\(organisation.text())" }
}
