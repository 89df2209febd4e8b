import Foundation
import KohtaamoBase

/// How the appointment pages of every feature (coaching, digital support)
/// say times and read them from forms: Helsinki wall time, the weekday by
/// name, and days as people write them (`2026-12-24` from a date field, or
/// `24.12.2026` typed by hand). The words are the catalogues' `times_*`.
package struct TimesText: Sendable {
    package let t: [String: String]
    package let language: Language
    package let nowMs: Int64
    /// What an empty place means in this feature ("a call in the thread").
    package let call: String

    package init(t: [String: String], language: Language, nowMs: Int64, call: String) {
        (self.t, self.language, self.nowMs, self.call) = (t, language, nowMs, call)
    }

    package func weekday(_ n: Int) -> String { t["times_weekday_\(n)"] ?? String(n) }

    /// A day and a time in Helsinki: "24.11.2026 klo 10.00".
    package func time(_ ms: Int64) -> String {
        Helsinki.text(ms, in: language)
    }

    /// "tiistai 24.11.2026 klo 10.00–10.45".
    package func span(_ startMs: Int64, minutes: Int) -> String {
        let end = startMs + Int64(minutes) * 60_000
        return "\(weekday(BookingDay(ms: startMs).weekday)) \(time(startMs))–\(clock(end))"
    }

    /// A wall-clock time alone: "10.45" (English "10:45").
    package func clock(_ ms: Int64) -> String {
        let f = DateFormatter()
        f.timeZone = Helsinki.timeZone
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = language == .en ? "HH:mm" : "HH.mm"
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    package func clock(minute: Int) -> String {
        String(format: language == .en ? "%02d:%02d" : "%02d.%02d", minute / 60, minute % 60)
    }

    package func day(_ d: BookingDay) -> String { language == .en ? "\(d.day)/\(d.month)/\(d.year)" : "\(d.day).\(d.month).\(d.year)" }

    /// Where the meeting is: the place, or the feature's call.
    package func place(_ place: String) -> String { place.isEmpty ? call : place }

    package func status(_ s: Appointment.Status) -> String { t["times_status_\(s.rawValue)"] ?? s.rawValue }

    /// The rule for changes in plain words.
    package func limit(hours: Int) -> String {
        hours <= 0
            ? (t["times_limit_none"] ?? "")
            : (t["times_limit"] ?? "").replacingOccurrences(of: "{hours}", with: String(hours))
    }

    package func error(_ r: BookingRefusal) -> String { t[r.messageKey] ?? r.messageKey }

    /// A day from a form: `YYYY-MM-DD`, or `d.M.yyyy` / `d/M/yyyy` typed by hand.
    package static func day(_ text: String) -> BookingDay? {
        if let d = BookingDay(text) { return d }
        let p = text.split(whereSeparator: { $0 == "." || $0 == "/" }).map { Int($0) }
        guard p.count == 3, let d = p[0], let m = p[1], let y = p[2], (1000...9999).contains(y) else { return nil }
        return BookingDay(String(format: "%04d-%02d-%02d", y, m, d))
    }

    /// Minutes after midnight from `HH:MM` or `HH.MM` (also `9.30`).
    package static func minute(_ text: String) -> Int? {
        let p =
            text.split(separator: ":", omittingEmptySubsequences: false).count == 2
            ? text.split(separator: ":", omittingEmptySubsequences: false) : text.split(separator: ".", omittingEmptySubsequences: false)
        guard p.count == 2, (1...2).contains(p[0].count), p[1].count == 2, let h = Int(p[0]), let m = Int(p[1]), (0..<24).contains(h),
            (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }
}
