import Foundation

/// An iCalendar feed (RFC 5545) of weekly events in Helsinki time: each
/// event a VEVENT with a weekly RRULE, its times in a VTIMEZONE of
/// Europe/Helsinki, text escaped and lines folded at 75 octets.
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
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kohtaamo//Groups//FI", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.escape(name), "X-WR-TIMEZONE:Europe/Helsinki",
        ]
        lines += Self.helsinki
        let stamp = Self.utc(self.stamp)
        for e in events {
            let day = Self.anchor.day + e.weekday - 1
            let start = String(format: "%04d%02d%02dT%02d%02d00", Self.anchor.year, Self.anchor.month, day, e.startMinute / 60, e.startMinute % 60)
            lines += [
                "BEGIN:VEVENT", "UID:" + Self.escape(e.uid), "DTSTAMP:" + stamp, "DTSTART;TZID=Europe/Helsinki:" + start,
                "DURATION:PT\(e.durationMinutes / 60)H\(e.durationMinutes % 60)M", "RRULE:FREQ=WEEKLY;BYDAY=" + Self.byDay[e.weekday],
                "SUMMARY:" + Self.escape(e.summary),
            ]
            if !e.description.isEmpty { lines.append("DESCRIPTION:" + Self.escape(e.description)) }
            if let url = e.url { lines.append("URL:" + url) }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Helsinki: EET (+02:00), EEST (+03:00) from the last Sunday of March
    /// 03.00 to the last Sunday of October 04.00 local time.
    static let helsinki = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Helsinki",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0300", "TZNAME:EEST", "DTSTART:19700329T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0300", "TZOFFSETTO:+0200", "TZNAME:EET", "DTSTART:19701025T040000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    static func utc(_ date: Date) -> String {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        let d = c.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", d.year!, d.month!, d.day!, d.hour!, d.minute!, d.second!)
    }

    /// TEXT values: backslash, semicolon, comma and line breaks escaped;
    /// other control characters dropped.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n", "\r": out += "\\n"
            default:
                if ch.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) { out.append(ch) }
            }
        }
        return out
    }

    /// Lines longer than 75 octets continue on the next with one space,
    /// never splitting a character.
    static func fold(_ line: String) -> String {
        var out = "", count = 0
        for ch in line {
            let size = String(ch).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(ch)
            count += size
        }
        return out
    }
}
