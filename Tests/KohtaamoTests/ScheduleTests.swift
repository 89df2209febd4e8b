import Foundation
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Opening-hours rules in Europe/Helsinki time, including exceptions and
/// the daylight-saving changes.
@Suite struct ScheduleTests {
    /// An absolute moment from a Helsinki wall-clock time.
    func helsinki(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int = 0) -> Date {
        Schedule.date(LocalDay(year: y, month: m, day: d), minute: h * 60 + min)!
    }
    func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    let weekdays = Schedule(weekly: (1...5).map { WeeklyInterval(weekday: $0, opens: 9 * 60, closes: 16 * 60) })

    @Test func openDuringHoursClosesAtClosingTime() {
        // Tuesday 24.11.2026 12.00
        #expect(weekdays.status(at: helsinki(2026, 11, 24, 12)) == .open(until: helsinki(2026, 11, 24, 16)))
    }

    @Test func closedInTheEveningOpensNextMorning() {
        #expect(weekdays.status(at: helsinki(2026, 11, 24, 17)) == .closed(opensAt: helsinki(2026, 11, 25, 9)))
    }

    @Test func closedOnFridayEveningOpensOnMonday() {
        #expect(weekdays.status(at: helsinki(2026, 11, 27, 16, 30)) == .closed(opensAt: helsinki(2026, 11, 30, 9)))
    }

    @Test func closingMomentItselfIsClosed() {
        #expect(weekdays.status(at: helsinki(2026, 11, 24, 16)) == .closed(opensAt: helsinki(2026, 11, 25, 9)))
    }

    @Test func holidayExceptionSkipsTheDay() {
        let s = Schedule(
            weekly: weekdays.weekly,
            exceptions: [
                DayException(day: LocalDay(year: 2026, month: 12, day: 24), hours: nil, note: "Jouluaatto"),
                DayException(day: LocalDay(year: 2026, month: 12, day: 25), hours: nil, note: "Joulupäivä"),
            ])
        // Wednesday 23.12 after closing: Thursday and Friday are holidays, so Monday 28.12.
        #expect(s.status(at: helsinki(2026, 12, 23, 18)) == .closed(opensAt: helsinki(2026, 12, 28, 9)))
        #expect(s.status(at: helsinki(2026, 12, 24, 12)) == .closed(opensAt: helsinki(2026, 12, 28, 9)))
    }

    @Test func specialHoursReplaceTheWeeklyOnes() {
        let s = Schedule(
            weekly: weekdays.weekly,
            exceptions: [
                DayException(day: LocalDay(year: 2026, month: 11, day: 28), hours: (10 * 60, 14 * 60), note: "Lauantaiauki"),
                DayException(day: LocalDay(year: 2026, month: 11, day: 24), hours: (12 * 60, 13 * 60), note: ""),
            ])
        #expect(s.status(at: helsinki(2026, 11, 24, 10)) == .closed(opensAt: helsinki(2026, 11, 24, 12)))
        #expect(s.status(at: helsinki(2026, 11, 24, 12, 30)) == .open(until: helsinki(2026, 11, 24, 13)))
        #expect(s.status(at: helsinki(2026, 11, 27, 17)) == .closed(opensAt: helsinki(2026, 11, 28, 10)))
    }

    @Test func springForwardKeepsWallClockTimes() {
        // 29.3.2026 at 03.00 clocks go to 04.00 (UTC+2 → UTC+3).
        let sundays = Schedule(weekly: [WeeklyInterval(weekday: 7, opens: 10 * 60, closes: 12 * 60)])
        let saturdayEvening = utc("2026-03-28T18:00:00Z")  // 20.00 Helsinki (UTC+2)
        #expect(sundays.status(at: saturdayEvening) == .closed(opensAt: utc("2026-03-29T07:00:00Z")))  // 10.00 at UTC+3
        // A day before the change the same hour is an hour later in UTC.
        #expect(sundays.status(at: utc("2026-03-21T18:00:00Z")) == .closed(opensAt: utc("2026-03-22T08:00:00Z")))
    }

    @Test func fallBackKeepsWallClockTimes() {
        // 25.10.2026 at 04.00 clocks go back to 03.00 (UTC+3 → UTC+2).
        let sundays = Schedule(weekly: [WeeklyInterval(weekday: 7, opens: 10 * 60, closes: 12 * 60)])
        #expect(sundays.status(at: utc("2026-10-24T18:00:00Z")) == .closed(opensAt: utc("2026-10-25T08:00:00Z")))
        // An interval across the change at night is 25 hours long in the evening-to-evening sense.
        let nights = Schedule(weekly: [WeeklyInterval(weekday: 7, opens: 0, closes: 6 * 60)])
        #expect(nights.status(at: utc("2026-10-24T22:30:00Z")) == .open(until: utc("2026-10-25T04:00:00Z")))  // 06.00 at UTC+2
    }

    @Test func aroundTheClockIsOpenWithoutEnd() {
        let always = Schedule(weekly: (1...7).map { WeeklyInterval(weekday: $0, opens: 0, closes: 1440) })
        #expect(always.status(at: helsinki(2026, 3, 29, 3, 30)) == .open(until: nil))
    }

    @Test func backToBackIntervalsAcrossMidnightMerge() {
        let lateNight = Schedule(weekly: [
            WeeklyInterval(weekday: 2, opens: 20 * 60, closes: 1440),
            WeeklyInterval(weekday: 3, opens: 0, closes: 2 * 60),
        ])
        #expect(lateNight.status(at: helsinki(2026, 11, 24, 23)) == .open(until: helsinki(2026, 11, 25, 2)))
    }

    @Test func emptyScheduleIsClosedWithNoOpening() {
        #expect(Schedule(weekly: []).status(at: Date()) == .closed(opensAt: nil))
    }

    @Test(arguments: [("9", 540), ("9.00", 540), ("09:30", 570), ("24.00", 1440), ("0", 0), (" 17.45 ", 1065)])
    func parsesTimes(text: String, minutes: Int) {
        #expect(Schedule.parseTime(text) == minutes)
    }

    @Test(arguments: ["", "25", "9.6", "9.60", "24.01", "-1", "9:00:00", "nine", "٩", "9.0a"])
    func refusesBadTimes(text: String) {
        #expect(Schedule.parseTime(text) == nil)
    }

    @Test func localDayParsing() {
        #expect(LocalDay("2026-12-24") == LocalDay(year: 2026, month: 12, day: 24))
        #expect(LocalDay("2026-02-30") == nil)
        #expect(LocalDay("2026-2-3") == nil)
        #expect(LocalDay("24.12.2026") == nil)
        #expect(Schedule.isoWeekday(of: LocalDay(year: 2026, month: 11, day: 24)) == 2)
    }
}
