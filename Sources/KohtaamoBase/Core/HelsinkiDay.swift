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
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            let noon = Helsinki.calendar.date(from: DateComponents(year: y, month: m, day: d, hour: 12)),
            Helsinki.calendar.dateComponents([.year, .month, .day], from: noon) == DateComponents(year: y, month: m, day: d)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The Helsinki day a moment falls on.
    package init(_ date: Date) {
        let c = Helsinki.calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!)
    }

    package init(ms: Int64) { self.init(Date(timeIntervalSince1970: Double(ms) / 1000)) }

    package var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

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
    package var weekday: Int {
        let sundayFirst = Helsinki.calendar.component(.weekday, from: at(minute: 12 * 60))
        return (sundayFirst + 5) % 7 + 1
    }

    package func adding(days: Int) -> HelsinkiDay {
        HelsinkiDay(Helsinki.calendar.date(byAdding: .day, value: days, to: at(minute: 12 * 60))!)
    }

    /// Whole days from `other` to this day (negative when it is earlier).
    package func days(since other: HelsinkiDay) -> Int {
        Helsinki.calendar.dateComponents([.day], from: other.at(minute: 12 * 60), to: at(minute: 12 * 60)).day!
    }

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
