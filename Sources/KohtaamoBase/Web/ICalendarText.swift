import Foundation

/// The text rules of iCalendar (RFC 5545) that every calendar file of the app
/// shares: the groups' weekly feeds and the appointments' invitations. One
/// copy, so a fix to escaping or folding reaches both.
package enum ICalendarText {
    /// Helsinki: EET (+02:00), EEST (+03:00) from the last Sunday of March
    /// 03.00 to the last Sunday of October 04.00 local time. Times written
    /// with `TZID=Europe/Helsinki` refer to this block.
    package static let helsinki = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Helsinki",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0300", "TZNAME:EEST", "DTSTART:19700329T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0300", "TZOFFSETTO:+0200", "TZNAME:EET", "DTSTART:19701025T040000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    /// A calendar's first lines: `BEGIN:VCALENDAR` to `METHOD`, and the
    /// Helsinki time zone every dated event refers to.
    package static func head(product: String, method: String, extra: [String] = []) -> [String] {
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kohtaamo//\(product)//FI", "CALSCALE:GREGORIAN", "METHOD:" + method] + extra + helsinki
    }

    /// The lines every dated event (an appointment, a pop-up event) starts
    /// with: its UID and SEQUENCE (a calendar updates the same event), the
    /// stamp, start and end as Helsinki wall time, and its texts.
    package static func eventHead(
        uid: String, sequence: Int, stamp: Date, startMs: Int64, endMs: Int64, summary: String, description: String, location: String
    ) -> [String] {
        let start = Date(timeIntervalSince1970: Double(startMs) / 1000), end = Date(timeIntervalSince1970: Double(endMs) / 1000)
        var lines = [
            "BEGIN:VEVENT", "UID:" + uid, "SEQUENCE:\(sequence)", "DTSTAMP:" + utc(stamp),
            "DTSTART;TZID=Europe/Helsinki:" + helsinkiLocal(start), "DTEND;TZID=Europe/Helsinki:" + helsinkiLocal(end),
            "SUMMARY:" + escape(summary),
        ]
        if !description.isEmpty { lines.append("DESCRIPTION:" + escape(description)) }
        if !location.isEmpty { lines.append("LOCATION:" + escape(location)) }
        return lines
    }

    private static func calendar(_ identifier: String) -> Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: identifier)!
        return c
    }

    private static let utcCalendar = calendar("UTC")
    private static let helsinkiCalendar = calendar("Europe/Helsinki")

    /// A moment in UTC: `20261124T100000Z` (DTSTAMP).
    package static func utc(_ date: Date) -> String {
        let d = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", d.year!, d.month!, d.day!, d.hour!, d.minute!, d.second!)
    }

    /// A moment as Helsinki wall time, `20261124T120000`, for a property
    /// with `;TZID=Europe/Helsinki`.
    package static func helsinkiLocal(_ date: Date) -> String {
        let d = helsinkiCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02d", d.year!, d.month!, d.day!, d.hour!, d.minute!, d.second!)
    }

    /// TEXT values: backslash, semicolon, comma and line breaks escaped;
    /// other control characters dropped.
    package static func escape(_ s: String) -> String {
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

    /// A parameter value (such as `CN=`): quoted only when it holds `:`,
    /// `;` or `,` (RFC 5545 3.1); a double quote cannot be escaped in a
    /// parameter, so it and control characters are dropped.
    package static func parameter(_ s: String) -> String {
        let kept = String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\"" && $0.properties.generalCategory != .control }))
        return kept.contains(where: { ":;,".contains($0) }) ? "\"" + kept + "\"" : kept
    }

    /// Lines longer than 75 octets continue on the next with one space,
    /// never splitting a character.
    package static func fold(_ line: String) -> String {
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

    /// The lines as a file: each folded, each ending in CRLF.
    package static func join(_ lines: [String]) -> String {
        lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }
}
