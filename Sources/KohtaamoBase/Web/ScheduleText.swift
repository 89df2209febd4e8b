import Foundation

/// Opening hours in words, in the reader's language: "Open now until 16.00",
/// "Opens tomorrow at 9.00", and the weekly table.
package struct ScheduleText: Sendable {
    package let localizer: Localizer
    package let lang: Language

    package init(localizer: Localizer, lang: Language) { (self.localizer, self.lang) = (localizer, lang) }

    package func time(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        switch lang {
        case .en: return String(format: "%d:%02d", h, m)
        case .fi, .sv: return String(format: "%d.%02d", h, m)
        }
    }

    package func time(of date: Date) -> String { time(Schedule.localMinute(of: date)) }

    /// "today", "tomorrow", or "Tuesday 24.11." for a moment relative to now.
    package func day(of date: Date, now: Date) -> String {
        let today = Schedule.localDay(of: now), day = Schedule.localDay(of: date)
        if day == today { return localizer.t("day_today", lang) }
        if day == Schedule.add(days: 1, to: today) { return localizer.t("day_tomorrow", lang) }
        let weekday = localizer.t("weekday_\(Schedule.isoWeekday(of: day))", lang)
        return lang == .en ? "\(weekday) \(day.day)/\(day.month)" : "\(weekday) \(day.day).\(day.month)."
    }

    package func status(_ schedule: Schedule, now: Date) -> (open: Bool, text: String) {
        switch schedule.status(at: now) {
        case .open(nil):
            return (true, localizer.t("status_open_always", lang))
        case .open(let until?):
            // Closing at midnight reads "until 24.00" on that day, not "0.00 tomorrow".
            let minute = Schedule.localMinute(of: until)
            let (d, t) = minute == 0 ? (day(of: until.addingTimeInterval(-1), now: now), time(1440)) : (day(of: until, now: now), time(minute))
            return (true, localizer.t("status_open_until", lang, ["day": d, "time": t]))
        case .closed(let opensAt?):
            return (false, localizer.t("status_closed_opens", lang, ["day": day(of: opensAt, now: now), "time": time(of: opensAt)]))
        case .closed(nil):
            return (false, localizer.t("status_closed_unknown", lang))
        }
    }

    /// A day of the week and its hours ("9.00–16.00" or "closed").
    package struct WeekRow: Sendable {
        package let day: String
        package let hours: String
    }

    /// A dated exception: the day as people say it ("tomorrow", "Friday 24.12."),
    /// the ISO date, the hours, and the note, if any.
    package struct ExceptionRow: Sendable {
        package let day: String
        package let date: String
        package let hours: String
        package let note: String?
    }

    /// Seven rows, Monday first: "Monday", "9.00–16.00" or "closed".
    package func weeklyRows(_ schedule: Schedule) -> [WeekRow] {
        (1...7).map { weekday in
            let intervals = schedule.weekly.filter { $0.weekday == weekday }
            let hours =
                intervals.isEmpty
                ? localizer.t("hours_closed", lang)
                : intervals.map { "\(time($0.opens))–\(time($0.closes))" }.joined(separator: ", ")
            return WeekRow(day: localizer.t("weekday_\(weekday)", lang), hours: hours)
        }
    }

    /// Exceptions from today on, soonest first.
    package func upcomingExceptions(_ schedule: Schedule, now: Date, limit: Int = 10) -> [ExceptionRow] {
        let today = Schedule.localDay(of: now)
        return schedule.exceptions.values.filter { $0.day >= today }.sorted { $0.day < $1.day }.prefix(limit).map { e in
            let date = Schedule.date(e.day, minute: 720)!
            let hours = e.hours.map { "\(time($0.opens))–\(time($0.closes))" } ?? localizer.t("hours_closed", lang)
            return ExceptionRow(day: day(of: date, now: now), date: e.day.description, hours: hours, note: Views.nonEmpty(e.note))
        }
    }
}
