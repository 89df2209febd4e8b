import Foundation

/// One opening interval of a weekday, in local minutes after midnight.
package struct WeeklyInterval: Sendable, Equatable {
    package var weekday: Int  // 1 = Monday … 7 = Sunday
    package var opens: Int
    package var closes: Int  // may be 1440 (24.00)
    package init(weekday: Int, opens: Int, closes: Int) {
        (self.weekday, self.opens, self.closes) = (weekday, opens, closes)
    }
}

/// A local date that differs from the weekly pattern.
package struct DayException: Sendable, Equatable {
    package var day: LocalDay
    /// nil means closed all day.
    package var hours: (opens: Int, closes: Int)?
    package var note: String
    package init(day: LocalDay, hours: (opens: Int, closes: Int)?, note: String) {
        (self.day, self.hours, self.note) = (day, hours, note)
    }
    package static func == (a: DayException, b: DayException) -> Bool {
        a.day == b.day && a.hours?.opens == b.hours?.opens && a.hours?.closes == b.hours?.closes && a.note == b.note
    }
}

/// A calendar date in the service's time zone.
package struct LocalDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var year: Int, month: Int, day: Int
    package init(year: Int, month: Int, day: Int) { (self.year, self.month, self.day) = (year, month, day) }

    /// Parses YYYY-MM-DD; nil for anything else or an impossible date.
    package init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        var comps = DateComponents(year: y, month: m, day: d, hour: 12)
        comps.calendar = Schedule.calendar
        guard let date = comps.date, Schedule.calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: y, month: m, day: d)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    package var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
    package static func < (a: LocalDay, b: LocalDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// Opening hours of a service: a weekly pattern plus exceptions, always
/// interpreted in Europe/Helsinki wall-clock time (so 9.00 stays 9.00 across
/// daylight-saving changes).
package struct Schedule: Sendable {
    package static let timeZone = TimeZone(identifier: "Europe/Helsinki")!
    package static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }()

    package var weekly: [WeeklyInterval]
    package var exceptions: [LocalDay: DayException]

    package init(weekly: [WeeklyInterval], exceptions: [DayException] = []) {
        self.weekly = weekly.sorted { ($0.weekday, $0.opens) < ($1.weekday, $1.opens) }
        self.exceptions = Dictionary(exceptions.map { ($0.day, $0) }, uniquingKeysWith: { a, _ in a })
    }

    package enum Status: Sendable, Equatable {
        /// Open; `until` is when it next closes (nil: open for the next week or more).
        case open(until: Date?)
        /// Closed; `opensAt` is the next opening within two weeks, if any.
        case closed(opensAt: Date?)
    }

    package var isEmpty: Bool { weekly.isEmpty && !exceptions.values.contains { $0.hours != nil } }

    /// The intervals of one local day, exceptions applied, as absolute times.
    package func intervals(on day: LocalDay) -> [(start: Date, end: Date)] {
        let minutes: [(Int, Int)]
        if let exception = exceptions[day] {
            minutes = exception.hours.map { [($0.opens, $0.closes)] } ?? []
        } else {
            let weekday = Self.isoWeekday(of: day)
            minutes = weekly.filter { $0.weekday == weekday }.map { ($0.opens, $0.closes) }
        }
        return minutes.compactMap { opens, closes in
            guard let start = Self.date(day, minute: opens), let end = Self.date(day, minute: closes), end > start else { return nil }
            return (start, end)
        }
    }

    package func status(at now: Date) -> Status {
        let today = Self.localDay(of: now)
        // Look a day back too: an interval from yesterday can still be running.
        var upcoming: [(start: Date, end: Date)] = []
        for offset in -1...14 {
            upcoming += intervals(on: Self.add(days: offset, to: today))
        }
        upcoming = upcoming.filter { $0.end > now }.sorted { $0.start < $1.start }
        guard let first = upcoming.first else { return .closed(opensAt: nil) }
        if first.start > now { return .closed(opensAt: first.start) }
        // Open now: follow back-to-back intervals (e.g. 0.00–24.00 every day)
        // to find when it really closes.
        var end = first.end
        for next in upcoming.dropFirst() {
            if next.start <= end { end = max(end, next.end) } else { return .open(until: end) }
        }
        return .open(until: end > now.addingTimeInterval(7 * 86_400) ? nil : end)
    }

    // MARK: calendar helpers

    package static func localDay(of date: Date) -> LocalDay {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return LocalDay(year: c.year!, month: c.month!, day: c.day!)
    }

    package static func add(days: Int, to day: LocalDay) -> LocalDay {
        let noon = date(day, minute: 12 * 60)!
        return localDay(of: calendar.date(byAdding: .day, value: days, to: noon)!)
    }

    /// 1 = Monday … 7 = Sunday.
    package static func isoWeekday(of day: LocalDay) -> Int {
        let weekday = calendar.component(.weekday, from: date(day, minute: 12 * 60)!)  // 1 = Sunday
        return weekday == 1 ? 7 : weekday - 1
    }

    /// The absolute moment of a local wall-clock time. 24.00 is the next day's
    /// midnight. A time skipped by the spring change resolves forward.
    package static func date(_ day: LocalDay, minute: Int) -> Date? {
        if minute >= 1440 { return date(add(days: 1, to: day), minute: minute - 1440) }
        var comps = DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        comps.calendar = calendar
        comps.timeZone = timeZone
        return calendar.date(from: comps)
    }

    /// Minutes after local midnight of `date`.
    package static func localMinute(of date: Date) -> Int {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return c.hour! * 60 + c.minute!
    }

    /// Parses "9", "9.00", "09:30", "24.00"; nil for anything else.
    package static func parseTime(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let parts = t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "." })
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ part in !part.isEmpty && part.count <= 2 && part.allSatisfy { $0.isASCII && $0.isNumber } }),
            let h = Int(parts[0])
        else { return nil }
        let m = parts.count == 2 ? Int(parts[1])! : 0
        if parts.count == 2, parts[1].count != 2 { return nil }
        guard (0...24).contains(h), (0...59).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }
}
