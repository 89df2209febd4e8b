import Foundation

/// Europe/Helsinki: every time in the product is Helsinki wall time. A
/// daily 9.00 is 9.00 in winter and in summer, so the offset to UTC is
/// worked out per day, never added as a constant.
package enum Helsinki {
    package static let timeZone = TimeZone(identifier: "Europe/Helsinki")!
    package static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        c.firstWeekday = 2
        return c
    }()
}

/// A calendar date in Helsinki, as a person says it ("Tuesday 24.11.").
/// Written `YYYY-MM-DD` in the database and in forms. Booking calls it
/// `BookingDay`; reach-out plans and absences use it too.
package struct HelsinkiDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package var year: Int, month: Int, day: Int

    package init(year: Int, month: Int, day: Int) { (self.year, self.month, self.day) = (year, month, day) }

    /// Parses YYYY-MM-DD; nil for anything else or a date that does not exist.
    package init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        // 2026-02-30 would count on to 2026-03-02: a date that does not come back the same does not exist.
        let day = HelsinkiDay(year: y, month: m, day: d)
        guard HelsinkiDay(dayNumber: day.dayNumber) == day else { return nil }
        self = day
    }

    /// Days from 1970-01-01 to this date. Dates are counted, not asked of
    /// the calendar: a day in Helsinki is always a whole calendar day, and a
    /// year of statistics adds days hundreds of thousands of times.
    /// (The Gregorian count of days from a civil date, in eras of 400 years.)
    package var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1  // from 1 March
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days from 1970-01-01.
    package init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153  // 0 = March
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: dayOfYear - (153 * shifted + 2) / 5 + 1)
    }

    /// The Helsinki day a moment falls on.
    package init(_ date: Date) {
        let c = Helsinki.calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!)
    }

    package init(ms: Int64) { self.init(Date(timeIntervalSince1970: Double(ms) / 1000)) }

    package var description: String {
        func padded(_ n: Int, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    package static func < (a: HelsinkiDay, b: HelsinkiDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The moment of a wall-clock minute of this day in Helsinki (9.00 is
    /// 9.00 whatever the offset). A minute the spring change skips (3.00–3.59
    /// on the last Sunday of March) is moved by the calendar to one that exists.
    package func at(minute: Int) -> Date {
        let c = DateComponents(year: year, month: month, day: day, hour: minute / 60, minute: minute % 60)
        return Helsinki.calendar.date(from: c)!
    }

    package func ms(minute: Int) -> Int64 { Int64((at(minute: minute).timeIntervalSince1970 * 1000).rounded()) }

    /// 1 = Monday … 7 = Sunday.
    package var weekday: Int { ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1 }  // 1970-01-01 was a Thursday

    package func adding(days: Int) -> HelsinkiDay { HelsinkiDay(dayNumber: dayNumber + days) }

    /// Whole days from `other` to this day (negative when it is earlier).
    package func days(since other: HelsinkiDay) -> Int { dayNumber - other.dayNumber }

    /// The Monday of this day's week (the key of the weekly statistics).
    package var monday: HelsinkiDay { adding(days: 1 - weekday) }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let day = HelsinkiDay(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "a day is written YYYY-MM-DD")
        }
        self = day
    }
}
