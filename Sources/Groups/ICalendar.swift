import Foundation
import KohtaamoBase

/// An iCalendar feed (RFC 5545) of weekly events in Helsinki time: each
/// event a VEVENT with a weekly RRULE, its times in a VTIMEZONE of
/// Europe/Helsinki, text escaped and lines folded at 75 octets (`ICalendarText`).
package struct ICalendar: Sendable {
    package struct WeeklyEvent: Sendable, Equatable {
        /// Stable across feeds, so a calendar updates the event instead of adding one.
        package var uid: String
        package var weekday: Int  // 1 = Monday … 7 = Sunday
        package var startMinute: Int
        package var durationMinutes: Int
        package var summary: String
        package var description: String = ""
        package var url: String? = nil
    }

    package var name: String
    package var events: [WeeklyEvent]
    /// When the feed was made (DTSTAMP), UTC.
    package var stamp: Date

    /// Weekly events start on their weekday of the week of 6.1.2025 (a
    /// Monday): a fixed first date keeps every feed of the same event the same.
    package static let anchor = (year: 2025, month: 1, day: 6)
    static let byDay = ["", "MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    package var text: String {
        var lines = ICalendarText.head(
            product: "Groups", method: "PUBLISH", extra: ["X-WR-CALNAME:" + ICalendarText.escape(name), "X-WR-TIMEZONE:Europe/Helsinki"])
        let stamp = ICalendarText.utc(self.stamp)
        for e in events {
            let day = Self.anchor.day + e.weekday - 1
            let start = String(format: "%04d%02d%02dT%02d%02d00", Self.anchor.year, Self.anchor.month, day, e.startMinute / 60, e.startMinute % 60)
            lines += [
                "BEGIN:VEVENT", "UID:" + ICalendarText.escape(e.uid), "DTSTAMP:" + stamp, "DTSTART;TZID=Europe/Helsinki:" + start,
                "DURATION:PT\(e.durationMinutes / 60)H\(e.durationMinutes % 60)M", "RRULE:FREQ=WEEKLY;BYDAY=" + Self.byDay[e.weekday],
                "SUMMARY:" + ICalendarText.escape(e.summary),
            ]
            if !e.description.isEmpty { lines.append("DESCRIPTION:" + ICalendarText.escape(e.description)) }
            if let url = e.url { lines.append("URL:" + url) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return ICalendarText.join(lines)
    }
}
