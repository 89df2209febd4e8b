import Foundation
import Testing

@testable import Finder
@testable import KohtaamoBase

/// The finder's iCalendar feed of pop-up events and group sessions, written
/// from happenings made here (digital support, which makes the real ones,
/// is built separately): Helsinki wall time in summer and winter, stable
/// UIDs, SEQUENCE, a cancelled one, and text that needs escaping and folding.
@Suite struct FinderCalendarTests {
    static let organisation = UUID()

    static func happening(
        _ id: UUID = UUID(), kind: Happening.Kind = .popup, title: String = "Digituki", description: String = "", place: String = "Pääkirjasto",
        start: Int64, minutes: Int64 = 120, seats: Int? = nil, link: String? = nil, sequence: Int = 0, cancelled: Bool = false
    ) -> Happening {
        Happening(
            id: id, kind: kind, organisation: organisation, municipality: "oulu", title: title, description: description, place: place,
            online: false, startMs: start * 1000, endMs: (start + minutes * 60) * 1000, themes: [.safety], languages: ["fi"], seatsLeft: seats,
            link: link, sequence: sequence, updatedMs: 0, cancelled: cancelled)
    }

    // 2027-06-15 10.00 in Helsinki is 07.00 UTC (summer, +03:00); 2027-01-12 10.00 is 08.00 UTC (winter, +02:00).
    static let summer: Int64 = 1_813_042_800
    static let winter: Int64 = 1_799_740_800

    func feed(_ happenings: [Happening], stamp: Date = Date(timeIntervalSince1970: 1_795_514_400)) -> String {
        FinderCalendar(
            name: "Digituki: Oulu", happenings: happenings, stamp: stamp, base: "https://kohtaamo.example",
            note: { $0.kind == .popup ? "Ei ilmoittautumista." : "Vapaita paikkoja: \($0.seatsLeft ?? 0)." }
        ).text
    }

    @Test func timesAreHelsinkiWallTimeInSummerAndWinter() throws {
        let lines = try GroupCalendarTests.lines(feed([Self.happening(start: Self.summer), Self.happening(start: Self.winter, minutes: 90)]))
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        for needed in ["VERSION:2.0", "PRODID:-//Kohtaamo//Finder//FI", "CALSCALE:GREGORIAN", "X-WR-CALNAME:Digituki: Oulu", "TZID:Europe/Helsinki"] {
            #expect(lines.contains(needed), "missing \(needed)")
        }
        let events = GroupCalendarTests.events(lines)
        #expect(events.count == 2)
        #expect(events[0]["DTSTART;TZID=Europe/Helsinki"] == "20270615T100000")
        #expect(events[0]["DTEND;TZID=Europe/Helsinki"] == "20270615T120000")
        #expect(events[1]["DTSTART;TZID=Europe/Helsinki"] == "20270112T100000")
        #expect(events[1]["DTEND;TZID=Europe/Helsinki"] == "20270112T113000")
        #expect(events.allSatisfy { $0["DTSTAMP"] == "20261124T100000Z" && $0["STATUS"] == "CONFIRMED" })
    }

    @Test func uidsStayTheSameAndSequenceCountsChanges() throws {
        let id = UUID()
        let first = GroupCalendarTests.events(try GroupCalendarTests.lines(feed([Self.happening(id, start: Self.summer, sequence: 0)])))
        let moved = GroupCalendarTests.events(
            try GroupCalendarTests.lines(
                feed([Self.happening(id, start: Self.summer + 3600, sequence: 2)], stamp: Date(timeIntervalSince1970: 1_795_600_000))))
        #expect(first[0]["UID"] == id.uuidString.lowercased() + "@kohtaamo")
        #expect(moved[0]["UID"] == first[0]["UID"])
        #expect(first[0]["SEQUENCE"] == "0" && moved[0]["SEQUENCE"] == "2")
        #expect(moved[0]["DTSTART;TZID=Europe/Helsinki"] == "20270615T110000")
    }

    @Test func cancelledStaysInTheFeedAsCancelled() throws {
        let events = GroupCalendarTests.events(
            try GroupCalendarTests.lines(
                feed([Self.happening(start: Self.summer, sequence: 1, cancelled: true), Self.happening(start: Self.winter)])))
        #expect(events.map { $0["STATUS"] } == ["CANCELLED", "CONFIRMED"])
        #expect(events[0]["SEQUENCE"] == "1")
    }

    @Test func textIsEscapedAndFoldedAndLinksAreAbsolute() throws {
        let title = "Älypuhelin, tabletti; ja \\ kaikki muu: tule kysymään kirjastoon, niin autamme sinua mielellämme"
        let text = feed([
            Self.happening(
                kind: .groupSession, title: title, description: "Rivi yksi\nRivi kaksi", place: "Kaarlenväylä 3, Oulu", start: Self.summer,
                seats: 3, link: "/g/ryhma"),
            Self.happening(start: Self.winter, link: "https://example.org/a?b=1"),
            Self.happening(start: Self.winter, link: "huono osoite\r\nX-EVIL:1"),
        ])
        let lines = try GroupCalendarTests.lines(text)
        #expect(!lines.contains("X-EVIL:1"))
        let events = GroupCalendarTests.events(lines)
        #expect(events[0]["SUMMARY"] == "Älypuhelin\\, tabletti\\; ja \\\\ kaikki muu: tule kysymään kirjastoon\\, niin autamme sinua mielellämme")
        #expect(events[0]["DESCRIPTION"] == "Rivi yksi\\nRivi kaksi\\n\\nVapaita paikkoja: 3.")
        #expect(events[0]["LOCATION"] == "Kaarlenväylä 3\\, Oulu")
        #expect(events[0]["URL"] == "https://kohtaamo.example/g/ryhma")
        #expect(events[1]["URL"] == "https://example.org/a?b=1")
        #expect(events[1]["DESCRIPTION"] == "Ei ilmoittautumista.")
        #expect(events[2]["URL"] == nil)
        #expect(text.contains("\r\n "), "the long summary is folded")
    }

    @Test func emptyFeedIsStillACalendar() throws {
        let lines = try GroupCalendarTests.lines(feed([]))
        #expect(lines.contains("BEGIN:VTIMEZONE") && !lines.contains("BEGIN:VEVENT"))
    }
}
