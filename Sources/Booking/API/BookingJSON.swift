import Foundation
import Hummingbird
import KohtaamoBase

/// What the JSON APIs of every feature that books (coaching, digital
/// support) read and answer about times: one piece, so a time looks the
/// same in both (docs/openapi.yaml: Slot, WeeklyPattern, Appointment).
package enum BookingJSON {
    /// RFC 3339 in UTC with milliseconds: 2026-11-24T08:15:02.123Z.
    package static func timestamp(_ ms: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// An RFC 3339 moment as milliseconds; anything else is `bad_slot`.
    package static func time(_ text: String) throws -> Int64 {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        guard text.count <= 40, let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw BookingRefusal.badSlot.appError
        }
        return Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The calendar file of an invitation, to download.
    package static func response(_ invitation: Invitation) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/calendar; charset=utf-8; method=\(invitation.method)",
                .contentDisposition: "attachment; filename=\"\(invitation.fileName)\"", .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: invitation.text)))
    }
}

/// One free time as typed in the API.
package struct SlotInput: Decodable, Sendable {
    /// RFC 3339.
    package let start: String
    package let minutes: Int
    package let place: String?
}

/// A weekly time as typed in the API; `pattern(host:)` reads it.
package struct PatternInput: Decodable, Sendable {
    package let weekday: Int
    /// Helsinki wall time, `HH:MM`.
    package let start: String
    package let minutes: Int
    package let place: String?
    /// `YYYY-MM-DD`.
    package let from: String
    package let until: String?
    /// Days with no free time, `YYYY-MM-DD`.
    package let skipping: [String]?

    /// The pattern for the host (its scope is the feature's to set); a value that is not one is `bad_slot`.
    package func pattern(host: UUID) throws -> WeeklyPattern {
        let bad = BookingRefusal.badSlot.appError
        let parts = start.split(separator: ":").compactMap { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) ? Int($0) : nil }
        guard start.count == 5, parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]), let from = BookingDay(from),
            (skipping?.count ?? 0) <= 400
        else { throw bad }
        let until = try until.map { try BookingDay($0) ?? { throw bad }() }
        let skipping = try (skipping ?? []).map { try BookingDay($0) ?? { throw bad }() }
        return WeeklyPattern(
            scope: UUID(), host: host, weekday: weekday, startMinute: parts[0] * 60 + parts[1], minutes: minutes, place: place ?? "", from: from,
            until: until, skipping: Set(skipping))
    }
}

/// The slot of a booking or a move: its id as text; not an id is `slot_not_found`.
package struct BookInput: Decodable, Sendable {
    package let slot: String
    package var id: UUID {
        get throws {
            guard let id = UUID(uuidString: slot) else { throw BookingRefusal.slotNotFound.appError }
            return id
        }
    }
}

package struct AttendanceInput: Decodable, Sendable { package let attended: Bool }

package struct SlotJSON: Encodable, Sendable {
    let id: String
    let start: String
    let end: String
    let minutes: Int
    let place: String
    /// The appointment on it (the host's list only), else null.
    let appointment: String?
    /// Who booked it (the host's list only), else null.
    let nickname: String?
    package init(_ s: Slot, booked: Appointment?, nickname: String?) {
        (id, minutes, place) = (s.id.text(), s.minutes, s.place)
        start = BookingJSON.timestamp(s.startMs)
        end = BookingJSON.timestamp(s.startMs + Int64(s.minutes) * 60_000)
        appointment = booked?.id.text()
        self.nickname = booked == nil ? nil : (nickname ?? "")
    }
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(start, forKey: .start)
        try c.encode(end, forKey: .end)
        try c.encode(minutes, forKey: .minutes)
        try c.encode(place, forKey: .place)
        try c.encode(appointment, forKey: .appointment)
        try c.encode(nickname, forKey: .nickname)
    }
    enum CodingKeys: String, CodingKey { case id, start, end, minutes, place, appointment, nickname }
}

package struct PatternJSON: Encodable, Sendable {
    let id: String
    let weekday: Int
    let start: String
    let minutes: Int
    let place: String
    let from: String
    let until: String?
    let skipping: [String]
    package init(_ p: WeeklyPattern) {
        (id, weekday, minutes, place) = (p.id.text(), p.weekday, p.minutes, p.place)
        start = String(format: "%02d:%02d", p.startMinute / 60, p.startMinute % 60)
        (from, until) = (p.from.description, p.until?.description)
        skipping = p.skipping.map(\.description).sorted()
    }
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(weekday, forKey: .weekday)
        try c.encode(start, forKey: .start)
        try c.encode(minutes, forKey: .minutes)
        try c.encode(place, forKey: .place)
        try c.encode(from, forKey: .from)
        try c.encode(until, forKey: .until)
        try c.encode(skipping, forKey: .skipping)
    }
    enum CodingKeys: String, CodingKey { case id, weekday, start, minutes, place, from, until, skipping }
}

/// An appointment; the feature names what it is of and who booked it
/// (coaching: `service`, `coachee`; digital support: `organisation`, `client`).
package struct AppointmentJSON: Encodable, Sendable {
    let appointment: Appointment
    let ofKey: String
    let of: String
    let guestKey: String

    package init(_ a: Appointment, of: (key: String, id: UUID), guestKey: String) {
        (appointment, ofKey, self.of, self.guestKey) = (a, of.key, of.id.text(), guestKey)
    }

    struct Key: CodingKey {
        let stringValue: String
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    package func encode(to encoder: any Encoder) throws {
        let a = appointment
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(a.id.text(), forKey: Key("id"))
        try c.encode(a.uid, forKey: Key("uid"))
        try c.encode(of, forKey: Key(ofKey))
        try c.encode(a.guest.text(), forKey: Key(guestKey))
        try c.encode(a.slot.text(), forKey: Key("slot"))
        try c.encode(BookingJSON.timestamp(a.startMs), forKey: Key("start"))
        try c.encode(BookingJSON.timestamp(a.endMs), forKey: Key("end"))
        try c.encode(a.minutes, forKey: Key("minutes"))
        try c.encode(a.place, forKey: Key("place"))
        try c.encode(a.status.rawValue, forKey: Key("status"))
        try c.encode(a.sequence, forKey: Key("sequence"))
    }
}
