/// Finland's public holidays, and the two eves most workplaces close on
/// (Midsummer Eve, Christmas Eve). Easter moves, so it is computed (the
/// Gregorian computus); the others are fixed or "the Saturday between".
/// Each has a text key (`holiday_<name>`) for the pages.
package enum FinnishHolidays {
    /// The holiday on this day, as its name (`new_year`, `good_friday`, …), or nil.
    package static func name(of day: HelsinkiDay) -> String? {
        all(year: day.year)[day]
    }

    /// Every holiday of a year, by day.
    package static func all(year: Int) -> [HelsinkiDay: String] {
        let easter = easterSunday(year)
        var out: [HelsinkiDay: String] = [
            HelsinkiDay(year: year, month: 1, day: 1): "new_year",
            HelsinkiDay(year: year, month: 1, day: 6): "epiphany",
            easter.adding(days: -2): "good_friday",
            easter: "easter_sunday",
            easter.adding(days: 1): "easter_monday",
            HelsinkiDay(year: year, month: 5, day: 1): "may_day",
            easter.adding(days: 39): "ascension",
            easter.adding(days: 49): "pentecost",
            HelsinkiDay(year: year, month: 12, day: 6): "independence",
            HelsinkiDay(year: year, month: 12, day: 24): "christmas_eve",
            HelsinkiDay(year: year, month: 12, day: 25): "christmas",
            HelsinkiDay(year: year, month: 12, day: 26): "boxing_day",
        ]
        // Midsummer Day: the Saturday of 20–26 June, its eve the day before.
        let midsummer = saturday(onOrAfter: HelsinkiDay(year: year, month: 6, day: 20))
        out[midsummer.adding(days: -1)] = "midsummer_eve"
        out[midsummer] = "midsummer"
        // All Saints' Day: the Saturday of 31 October – 6 November.
        out[saturday(onOrAfter: HelsinkiDay(year: year, month: 10, day: 31))] = "all_saints"
        return out
    }

    /// Easter Sunday of a Gregorian year (the anonymous computus).
    static func easterSunday(_ y: Int) -> HelsinkiDay {
        let a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return HelsinkiDay(year: y, month: month, day: day)
    }

    private static func saturday(onOrAfter day: HelsinkiDay) -> HelsinkiDay {
        day.adding(days: (6 - day.weekday + 7) % 7)
    }
}
