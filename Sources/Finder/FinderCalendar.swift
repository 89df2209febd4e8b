import Foundation
import KohtaamoBase

/// A municipality's pop-up events and group sessions as an iCalendar feed
/// (RFC 5545) that people subscribe to: one VEVENT per happening, its UID
/// made of the happening's id (so an edit updates the same event and raises
/// its SEQUENCE), times as Helsinki wall time, a cancelled one kept with
/// STATUS:CANCELLED so subscribed calendars drop it instead of keeping it.
package struct FinderCalendar: Sendable {
    /// The calendar's name ("Digituki: Oulu").
    package var name: String
    package var happenings: [Happening]
    /// When the feed was made (DTSTAMP).
    package var stamp: Date
    /// The site's address ("https://kohtaamo.example"): a link such as `/g/ryhma` becomes absolute.
    package var base: String
    /// Words added to a happening's description: "No registration needed." or "Seats left: 3".
    package var note: @Sendable (Happening) -> String = { _ in "" }

    package init(
        name: String, happenings: [Happening], stamp: Date, base: String, note: @escaping @Sendable (Happening) -> String = { _ in "" }
    ) {
        (self.name, self.happenings, self.stamp, self.base, self.note) = (name, happenings, stamp, base, note)
    }

    /// The stable UID of a happening: the same in every feed and after every edit.
    package static func uid(_ h: Happening) -> String { h.id.uuidString.lowercased() + "@kohtaamo" }

    package var text: String {
        var lines = ICalendarText.head(
            product: "Finder", method: "PUBLISH", extra: ["X-WR-CALNAME:" + ICalendarText.escape(name), "X-WR-TIMEZONE:Europe/Helsinki"])
        for h in happenings {
            let description = [h.description, note(h)].filter { !$0.isEmpty }.joined(separator: "\n\n")
            lines += ICalendarText.eventHead(
                uid: Self.uid(h), sequence: h.sequence, stamp: stamp, startMs: h.startMs, endMs: h.endMs, summary: h.title,
                description: description, location: h.place)
            // Only a web address goes in URL: a link is ours, but a value with a line break or a quote would break the file.
            if let link = h.link, !link.isEmpty, !link.contains(where: { $0.isWhitespace || $0 == "\"" }) {
                lines.append("URL:" + (link.hasPrefix("/") ? base + link : link))
            }
            lines.append("STATUS:" + (h.cancelled ? "CANCELLED" : "CONFIRMED"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return ICalendarText.join(lines)
    }
}
