import Booking
import Foundation
import KohtaamoBase

/// How the appointment pages say times and read them from forms: Helsinki
/// wall time, the weekday by name, and days as people write them
/// (`2026-12-24` from a date field, or `24.12.2026` typed by hand).
struct CoachingTimesText {
    let text: CoachingPageText

    var t: [String: String] { text.t }
    var nowMs: Int64 { text.nowMs }

    func weekday(_ n: Int) -> String { t["coaching_times_weekday_\(n)"] ?? String(n) }

    /// "tiistai 24.11.2026 klo 10.00–10.45".
    func span(_ startMs: Int64, minutes: Int) -> String {
        let end = startMs + Int64(minutes) * 60_000
        return "\(weekday(BookingDay(ms: startMs).weekday)) \(text.time(startMs))–\(clock(end))"
    }

    /// A wall-clock time alone: "10.45" (English "10:45").
    func clock(_ ms: Int64) -> String {
        let f = DateFormatter()
        f.timeZone = CoachingPageText.helsinki
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = text.language == .en ? "HH:mm" : "HH.mm"
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    func clock(minute: Int) -> String {
        String(format: text.language == .en ? "%02d:%02d" : "%02d.%02d", minute / 60, minute % 60)
    }

    func day(_ d: BookingDay) -> String { text.language == .en ? "\(d.day)/\(d.month)/\(d.year)" : "\(d.day).\(d.month).\(d.year)" }

    /// Where the meeting is: the place, or a call in the thread.
    func place(_ place: String) -> String { place.isEmpty ? (t["coaching_times_call"] ?? "") : place }

    func status(_ s: Appointment.Status) -> String { t["coaching_times_status_\(s.rawValue)"] ?? s.rawValue }

    /// The rule for changes in plain words.
    func limit(hours: Int) -> String {
        hours <= 0
            ? (t["coaching_times_limit_none"] ?? "")
            : (t["coaching_times_limit"] ?? "").replacingOccurrences(of: "{hours}", with: String(hours))
    }

    func error(_ r: BookingRefusal) -> String { t[r.messageKey] ?? r.messageKey }

    /// A day from a form: `YYYY-MM-DD`, or `d.M.yyyy` / `d/M/yyyy` typed by hand.
    static func day(_ text: String) -> BookingDay? {
        if let d = BookingDay(text) { return d }
        let p = text.split(whereSeparator: { $0 == "." || $0 == "/" }).map { Int($0) }
        guard p.count == 3, let d = p[0], let m = p[1], let y = p[2], (1000...9999).contains(y) else { return nil }
        return BookingDay(String(format: "%04d-%02d-%02d", y, m, d))
    }

    /// Minutes after midnight from `HH:MM` or `HH.MM` (also `9.30`).
    static func minute(_ text: String) -> Int? {
        let p =
            text.split(separator: ":", omittingEmptySubsequences: false).count == 2
            ? text.split(separator: ":", omittingEmptySubsequences: false) : text.split(separator: ".", omittingEmptySubsequences: false)
        guard p.count == 2, (1...2).contains(p[0].count), p[1].count == 2, let h = Int(p[0]), let m = Int(p[1]), (0..<24).contains(h),
            (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }
}
