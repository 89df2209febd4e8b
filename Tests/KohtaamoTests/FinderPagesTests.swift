import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Finder
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import Networks

/// The public finder as a person without an account sees it, on the demo
/// data (`/finder/oulu`: the library's help point, open weekdays 10–16, and
/// the support chat online) at the suite's Tuesday noon in Helsinki.
@Suite struct FinderPagesTests {
    static let tuesdayNoon = Date(timeIntervalSince1970: 1_795_514_400)

    @Test func municipalitiesAreListedWithLinks() async throws {
        try await withApp { _, client in
            let fi = try await Browser(client).get("/finder")
            #expect(fi.status == .ok)
            #expect(fi.text.contains(#"<a href="/finder/oulu">Oulu</a>"#))
            #expect(!fi.text.contains("<script"))
            let sv = try await Browser(client, language: "sv").get("/finder")
            #expect(sv.text.contains(#"<a href="/finder/oulu">Uleåborg</a>"#))
        }
    }

    @Test func municipalityPageShowsEachPointInWords() async throws {
        try await withApp { _, client in
            let r = try await Browser(client).get("/finder/oulu")
            #expect(r.status == .ok)
            let page = r.text
            for text in [
                "<h1>Digituki: Oulu</h1>", "Paikkoja: 2", "Digituki pääkirjastossa", "Oulun kaupunginkirjasto",
                "Kirjasto<br>Kaarlenväylä 3, 90100 Oulu",
                "Voit tulla ilman ajanvarausta. Voit myös varata ajan.", "Auki nyt. Sulkeutuu tänään klo 16.00.",
                "Puhelimen ja tietokoneen käyttö, Viestit ja videopuhelut, Verkkopalvelut ja pankkitunnukset, Turvallisuus ja huijaukset",
                "suomi, englanti", #"<a href="tel:+35880000000">+358 8 000 0000</a>"#, #"<a href="mailto:digituki@demo.invalid">"#,
                "<th scope=\"row\">maanantai</th><td>10.00–16.00</td>", "<th scope=\"row\">lauantai</th><td>suljettu</td>",
                "suljettu (Jouluaatto)", "Digituki chatissa", "Verkossa", "suomi, ruotsi",
                #"Chat on auki nyt. <a href="/s/tukichat">Mene chattiin</a>"#, #"href="/finder/oulu.ics""#,
                // Digital support's demo: the pop-up event and the group session's meetings, read through HappeningSource.
                "Digituki kauppakeskus Valkeassa", "Älypuhelimen alkeet",
            ] {
                #expect(page.contains(text), "missing: \(text)")
            }
            // The online point has no street address and no "closed, no hours" line.
            #expect(!page.contains("Aukioloaikoja ei ole"))
            #expect(!page.contains("<script"))
            #expect(page.utf8.count < 30_000, "the page is \(page.utf8.count) bytes")
        }
    }

    @Test func searchByThemeAndLanguage() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let basics = try await b.get("/finder/oulu?theme=device_basics").text
            #expect(basics.contains("Hakuun sopivia paikkoja: 1. Kaikkia paikkoja: 2."))
            #expect(basics.contains("Digituki pääkirjastossa") && !basics.contains("Digituki chatissa"))
            #expect(basics.contains(#"<option value="device_basics" selected>"#))
            #expect(basics.contains(#"<a href="/finder/oulu" class="finder-clear">Näytä kaikki paikat</a>"#))
            let swedish = try await b.get("/finder/oulu?language=sv").text
            #expect(swedish.contains("Digituki chatissa") && !swedish.contains("Digituki pääkirjastossa"))
            #expect(swedish.contains(#"<option value="sv" selected>ruotsi</option>"#))
            let both = try await b.get("/finder/oulu?theme=safety&language=en").text
            #expect(both.contains("Hakuun sopivia paikkoja: 1.") && both.contains("Digituki pääkirjastossa"))
            // Only what the points offer is a choice; a theme nobody offers finds nothing, and says so.
            #expect(!basics.contains(#"value="job_search""#))
            #expect(basics.contains(#"<option value="fi">suomi</option><option value="sv">ruotsi</option><option value="en">englanti</option>"#))
            let none = try await b.get("/finder/oulu?theme=job_search")
            #expect(none.status == .ok)
            #expect(none.text.contains("Hakuun ei sovi yksikään paikka.") && none.text.contains("Hakuun sopivia paikkoja: 0."))
            let empty = try await b.get("/finder/oulu?theme=&language=").text
            #expect(empty.contains("Paikkoja: 2"))
        }
    }

    @Test func badSearchIsRefusedOnThePageWithTheForm() async throws {
        try await withApp { _, client in
            let b = Browser(client)
            let theme = try await b.get("/finder/oulu?theme=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            #expect(theme.status == .badRequest)
            #expect(theme.text.contains("Tätä aihetta ei ole. Valitse aihe listasta."))
            #expect(theme.text.contains(#"<select id="theme" name="theme" aria-describedby="theme-error" aria-invalid="true">"#))
            #expect(theme.text.contains(##"<a href="#theme">"##), "the error summary links to the field")
            #expect(!theme.text.contains("<script>alert"))
            #expect(!theme.text.contains("Digituki pääkirjastossa"))
            let language = try await b.get("/finder/oulu?language=ru")
            #expect(language.status == .badRequest)
            #expect(language.text.contains("Tällä kielellä ei ole apua täällä."))
            let en = try await Browser(client, language: "en").get("/finder/oulu?language=xx")
            #expect(en.status == .badRequest && en.text.contains("There is no help in that language here."))
        }
    }

    @Test func unknownMunicipalityIsAFriendly404() async throws {
        try await withApp { _, client in
            let r = try await Browser(client).get("/finder/helsinki")
            #expect(r.status == .notFound)
            #expect(r.text.contains("Kuntaa ei löydy") && r.text.contains(#"<a href="/finder/oulu">Oulu</a>"#))
            #expect(try await Browser(client).get("/finder/helsinki.ics").status == .notFound)
            #expect(try await Browser(client).get("/finder/%3Cb%3E").status == .notFound)
        }
    }

    @Test func openNowFollowsTheClock() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            app.clock.set(Self.tuesdayNoon.addingTimeInterval(6 * 3600))  // Tuesday 18.00
            #expect(try await b.get("/finder/oulu").text.contains("Suljettu nyt. Aukeaa huomenna klo 10.00."))
            app.clock.set(Self.tuesdayNoon.addingTimeInterval(4 * 86_400))  // Saturday noon
            #expect(try await b.get("/finder/oulu").text.contains("Suljettu nyt. Aukeaa maanantai 30.11. klo 10.00."))
            // Wednesday 23.12. at 17.00: Christmas Eve is the point's closed day, so Friday is next.
            app.clock.set(Self.tuesdayNoon.addingTimeInterval(29 * 86_400 + 5 * 3600))
            #expect(try await b.get("/finder/oulu").text.contains("Suljettu nyt. Aukeaa perjantai 25.12. klo 10.00."))
            let en = try await Browser(client, language: "en").get("/finder/oulu").text
            #expect(en.contains("Closed now. Opens Friday 25/12 at 10:00."))
        }
    }

    @Test func chatSaysWhetherItIsOpen() async throws {
        try await withApp { app, client in
            let chat = try #require(try await app.network.repository.service(slug: "tukichat"))
            try await app.network.repository.replaceWeeklyHours(service: chat.id, [WeeklyInterval(weekday: 2, opens: 8 * 60, closes: 11 * 60)])
            let closed = try await Browser(client).get("/finder/oulu").text
            #expect(closed.contains(#"Chat on kiinni nyt. <a href="/s/tukichat">Katso chatin aukioloajat</a>"#))
            #expect(!closed.contains("Chat on auki nyt."))
            app.clock.set(Self.tuesdayNoon.addingTimeInterval(-2 * 3600))  // Tuesday 10.00
            let open = try await Browser(client, language: "sv").get("/finder/oulu").text
            #expect(open.contains(#"Chatten är öppen nu. <a href="/s/tukichat">Gå till chatten</a>"#))
        }
    }

    @Test func calendarFeedHasDigitalSupportsEventsWithStableUIDs() async throws {
        try await withApp { _, client in
            let r = try await Browser(client).get("/finder/oulu.ics")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/calendar; charset=utf-8")
            let lines = try GroupCalendarTests.lines(r.text)
            #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
            #expect(lines.contains("X-WR-CALNAME:Digituki: Oulu") && lines.contains("TZID:Europe/Helsinki"))
            // The demo's pop-up event and the four meetings of its group session, each once.
            let uids = lines.filter { $0.hasPrefix("UID:") }
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 5 && Set(uids).count == 5)
            #expect(lines.contains("SUMMARY:Digituki kauppakeskus Valkeassa"))
            #expect(lines.filter { $0 == "SUMMARY:Älypuhelimen alkeet" }.count == 4)
            let again = try GroupCalendarTests.lines(try await Browser(client).get("/finder/oulu.ics").text)
            #expect(again.filter { $0.hasPrefix("UID:") } == uids)
        }
    }

    @Test func pointTextIsShownAsTextAndOnlyWebLinksAreLinks() async throws {
        try await withApp { app, client in
            let org = UUID()
            let point = HelpPoint(
                organisation: org, municipality: "testi", name: "<script>alert(1)</script>", description: "<img src=x onerror=alert(2)>",
                place: .clubhouse, address: "\"><b>katu</b>", themes: [.content], languages: ["zz"], access: .appointment,
                url: "javascript:alert(3)", updatedMs: 0)
            try await app.finder.service.repository.save(
                [point], municipalities: [Municipality(slug: "testi", names: .init(fi: "<i>Testi</i>", sv: "Testi", en: "Testi"))])
            let page = try await Browser(client).get("/finder/testi").text
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script"))
            #expect(page.contains("&lt;img src=x onerror=alert(2)&gt;") && page.contains("&quot;&gt;&lt;b&gt;katu&lt;/b&gt;"))
            #expect(page.contains("Digituki: &lt;i&gt;Testi&lt;/i&gt;"))
            #expect(!page.contains("javascript:"))
            // An unknown language code is shown as the code.
            #expect(page.contains("<dd>zz</dd>") && page.contains("Varaa aika ensin.") && page.contains("Kerho- tai kohtaamispaikka"))
        }
    }
}
