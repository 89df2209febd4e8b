import Finder
import Foundation
import KohtaamoBase
import Networks

extension Kohtaamo {
    /// The demo's finder (`/finder/oulu`): Oulu City Library, a third
    /// organisation of the demo network, with its digital help in the main
    /// library (weekdays 10–16, closed on the next weekday holiday), and the
    /// network's support chat `tukichat` (of `chatOwner`) as online help.
    /// Returns the library's organisation, for digital support's demo events.
    @discardableResult
    func fillDemoFinder(network: UUID, chatOwner: UUID, now: Date) async throws -> UUID {
        let library = try await self.network.repository.createOrganisation(
            network: network, names: .init(fi: "Oulun kaupunginkirjasto", sv: "Uleåborgs stadsbibliotek", en: "Oulu City Library"), at: now)
        let oulu = Municipality(slug: "oulu", names: .init(fi: "Oulu", sv: "Uleåborg", en: "Oulu"))
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        let main = HelpPoint(
            organisation: library.id, municipality: oulu.slug, name: "Digituki pääkirjastossa",
            description: "Tule kysymään puhelimesta, tabletista tai tietokoneesta. Ota oma laite mukaan.", place: .library,
            address: "Kaarlenväylä 3", postalCode: "90100", city: "Oulu", themes: [.deviceBasics, .messaging, .onlineServices, .safety],
            languages: ["fi", "en"], access: .both, phone: "+358 8 000 0000", email: "digituki@demo.invalid",
            url: "https://www.example.org/oulu/digituki", hours: (1...5).map { WeeklyInterval(weekday: $0, opens: 10 * 60, closes: 16 * 60) },
            exceptions: [Self.nextWeekdayHoliday(after: now)], updatedMs: nowMs)
        let chat = HelpPoint(
            organisation: chatOwner, municipality: oulu.slug, name: "Digituki chatissa",
            description: "Kirjoita kysymyksesi chattiin. Et tarvitse tunnuksia.", place: .online,
            themes: [.onlineServices, .safety], languages: ["fi", "sv"], access: .dropIn, chatService: "tukichat", updatedMs: nowMs)
        try await finder.service.repository.save([main, chat], municipalities: [oulu])
        return library.id
    }

    /// The first Finnish public holiday on a fixed date that falls on a weekday after `now`: closed all day.
    static func nextWeekdayHoliday(after now: Date) -> DayException {
        let holidays = [
            (1, 1, "Uudenvuodenpäivä"), (1, 6, "Loppiainen"), (5, 1, "Vappu"), (12, 6, "Itsenäisyyspäivä"), (12, 24, "Jouluaatto"),
            (12, 25, "Joulupäivä"), (12, 26, "Tapaninpäivä"),
        ]
        let today = Schedule.localDay(of: now)
        for year in today.year...(today.year + 2) {
            for (month, day, name) in holidays {
                let d = LocalDay(year: year, month: month, day: day)
                if d > today && Schedule.isoWeekday(of: d) <= 5 { return DayException(day: d, hours: nil, note: name) }
            }
        }
        return DayException(day: Schedule.add(days: 30, to: today), hours: nil, note: "Suljettu")
    }
}
