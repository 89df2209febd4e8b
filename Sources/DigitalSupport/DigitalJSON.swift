import Foundation
import KohtaamoBase

/// The JSON of digital support's API (docs/openapi.yaml, tag DigitalSupport).
struct EventJSON: Encodable {
    let id: String
    let title: String
    let description: String
    let municipality: String
    let municipalitySlug: String
    let place: String
    let address: String
    let date: HelsinkiDay
    let start: String
    let end: String
    let startMs: Int64
    let endMs: Int64
    let themes: [String]
    let languages: [String]
    let isPublic: Bool
    let cancelled: Bool
    let sequence: Int

    init(_ e: PopupEvent) {
        (id, title, description, municipality, municipalitySlug) = (e.id.text(), e.title, e.description, e.municipalityName, e.municipality)
        (place, address, date, start, end) = (e.place, e.address, e.day, Clock24.text(e.startMinute), Clock24.text(e.endMinute))
        (startMs, endMs, themes, languages) = (e.startMs, e.endMs, e.themes.map(\.rawValue), e.languages)
        (isPublic, cancelled, sequence) = (e.isPublic, e.cancelled, e.sequence)
    }
}

struct MeetingJSON: Encodable {
    let id: String
    let date: HelsinkiDay
    let start: String
    let end: String
    let startMs: Int64
    let endMs: Int64

    init(_ m: SessionMeeting) {
        (id, date, start, end, startMs, endMs) = (m.id.text(), m.day, Clock24.text(m.startMinute), Clock24.text(m.endMinute), m.startMs, m.endMs)
    }
}

struct SessionJSON: Encodable {
    let id: String
    let title: String
    let description: String
    let municipality: String
    let municipalitySlug: String
    let place: String
    let address: String
    let online: Bool
    let seats: Int
    let seated: Int
    let waiting: Int
    let themes: [String]
    let languages: [String]
    let isPublic: Bool
    let cancelled: Bool
    let sequence: Int
    let meetings: [MeetingJSON]
    let link: String

    init(_ s: GroupSession, meetings: [SessionMeeting], seats people: [SessionSeat]) {
        (id, title, description, municipality, municipalitySlug) = (s.id.text(), s.title, s.description, s.municipalityName, s.municipality)
        (place, address, online, seats) = (s.place, s.address, s.online, s.seats)
        seated = people.filter { $0.status == .seated }.count
        waiting = people.count - seated
        (themes, languages, isPublic, cancelled, sequence) = (s.themes.map(\.rawValue), s.languages, s.isPublic, s.cancelled, s.sequence)
        self.meetings = meetings.map(MeetingJSON.init)
        link = DigitalPaths.publicSession(s.id)
    }
}

struct ParticipantJSON: Encodable {
    let id: String
    let name: String
    let registered: Bool
    let status: String
    /// 1 = first to move up; absent when seated.
    let position: Int?

    init(_ s: SessionSeat, name: String, position: Int?) {
        (id, self.name, registered, status, self.position) = (s.id.text(), name, s.member != nil, s.status.rawValue, position)
    }

    /// The people of one session, waiting ones numbered in order.
    static func list(_ seats: [SessionSeat], names: [UUID: String]) -> [ParticipantJSON] {
        var waiting = 0
        return seats.map { s in
            if s.status == .waiting { waiting += 1 }
            return ParticipantJSON(s, name: names[s.id] ?? "", position: s.status == .waiting ? waiting : nil)
        }
    }
}

struct MySessionJSON: Encodable {
    let session: String
    let title: String
    let place: String
    let online: Bool
    let cancelled: Bool
    let status: String
    let position: Int?
    let moved: Bool
    let meetings: [MeetingJSON]
    let link: String

    init(_ m: DigitalService.MySeat) {
        (session, title, place, online, cancelled) = (m.session.id.text(), m.session.title, m.session.place, m.session.online, m.session.cancelled)
        (status, position, moved) = (m.seat.status.rawValue, m.position, m.seat.promotedMs != nil)
        meetings = m.meetings.map(MeetingJSON.init)
        link = DigitalPaths.publicSession(m.session.id)
    }
}
