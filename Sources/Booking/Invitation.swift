import Foundation
import KohtaamoBase

/// An appointment as an iCalendar invitation (RFC 5545, iTIP RFC 5546) that
/// a person adds to their own calendar. A booking and a move are a REQUEST, a
/// cancellation a CANCEL; all with the appointment's one UID and its
/// SEQUENCE, so the calendar updates or removes the same event. People are
/// named by CN only: their CAL-ADDRESS is `urn:uuid:<id>`, never an e-mail.
package struct Invitation: Sendable {
    package var appointment: Appointment
    /// What the event is called ("Valmennus: Aino").
    package var summary: String
    package var description: String = ""
    /// The host's work name.
    package var hostName: String
    /// The guest's nickname.
    package var guestName: String
    /// Where a call happens when the appointment has no place (the page's address).
    package var callAddress: String? = nil
    /// When the invitation was made (DTSTAMP).
    package var stamp: Date

    package init(
        appointment: Appointment, summary: String, description: String = "", hostName: String, guestName: String,
        callAddress: String? = nil, stamp: Date
    ) {
        (self.appointment, self.summary, self.description) = (appointment, summary, description)
        (self.hostName, self.guestName, self.callAddress, self.stamp) = (hostName, guestName, callAddress, stamp)
    }

    /// CANCEL for a cancelled appointment, REQUEST otherwise.
    package var method: String { appointment.status == .cancelled ? "CANCEL" : "REQUEST" }

    /// The file's name for a download: `appointment-<id>.ics`.
    package var fileName: String { "appointment-\(appointment.id.uuidString.lowercased()).ics" }

    /// The calendar file (`text/calendar; charset=utf-8; method=…`).
    package var text: String {
        let a = appointment
        let location = a.place.isEmpty ? (callAddress ?? "") : a.place
        var lines = ICalendarText.head(product: "Booking", method: method)
        lines += ICalendarText.eventHead(
            uid: a.uid, sequence: a.sequence, stamp: stamp, startMs: a.startMs, endMs: a.endMs, summary: summary, description: description,
            location: location)
        lines += [
            "ORGANIZER;CN=" + ICalendarText.parameter(hostName) + ":urn:uuid:" + a.host.uuidString.lowercased(),
            "ATTENDEE;CN=" + ICalendarText.parameter(guestName) + ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:urn:uuid:"
                + a.guest.uuidString.lowercased(),
            "STATUS:" + (a.status == .cancelled ? "CANCELLED" : "CONFIRMED"),
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return ICalendarText.join(lines)
    }
}
