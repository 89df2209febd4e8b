import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Coaching
@testable import Kohtaamo
@testable import KohtaamoBase

/// The appointment pages without a browser, in Finnish, on the demo's
/// coaching (`worker1` coaches `valmennettava`; the clock is Tuesday
/// 24.11.2026 at 12.00 in Helsinki): the coach adds times through the
/// forms, the coachee books, moves and is refused, both see the other's step.
@Suite struct CoachingTimesPagesTests {
    /// The id in the first `name="slot" value="…"` after `text` on the page.
    func slot(after text: String, in page: String) throws -> String {
        let at = try #require(page.range(of: text), "\(text) not on the page").upperBound
        let marker = try #require(page[at...].range(of: #"name="slot" value=""#)).upperBound
        return String(page[marker...].prefix(36))
    }

    @Test func theCoachAddsATimeAndTheCoacheeBooksIt() async throws {
        try await withApp { app, client in
            let coach = Browser(client, language: "fi")
            try await coach.signIn("worker1@demo.invalid")
            #expect(try await coach.get("/coaching/valmennus").text.contains(#"href="/coaching/valmennus/times""#))
            let empty = try await coach.get("/coaching/valmennus/times")
            #expect(empty.status == .ok && empty.text.contains("keskiviikko 25.11.2026 klo 10.00–10.45. Puhelu keskustelussa."))

            // One time, in Helsinki time, with a place (shown as text).
            let added = try await coach.post(
                "/coaching/valmennus/times/slots", [("date", "2026-11-26"), ("time", "9.30"), ("minutes", "30"), ("place", "Huone <b>2</b>")])
            #expect(added.status == .seeOther && added.headers[.location] == "/coaching/valmennus/times#slots")
            let page = try await coach.get("/coaching/valmennus/times")
            #expect(page.text.contains("torstai 26.11.2026 klo 09.30–10.00. Huone &lt;b&gt;2&lt;/b&gt;."))

            // Refused: the time overlaps (409), the length is out of range, the date is no date (400); each keeps what was typed.
            let overlap = try await coach.post(
                "/coaching/valmennus/times/slots", [("date", "2026-11-26"), ("time", "09:45"), ("minutes", "30"), ("place", "Kahvila")])
            #expect(overlap.status == .conflict)
            #expect(
                overlap.text.contains(#"value="09:45""#) && overlap.text.contains(#"value="Kahvila""#)
                    && overlap.text.contains(#"value="2026-11-26""#))
            #expect(overlap.text.contains(##"href="#slot-time""##) && overlap.text.contains("Sinulla on jo aika, joka on osin samaan aikaan."))
            let short = try await coach.post(
                "/coaching/valmennus/times/slots", [("date", "2026-11-27"), ("time", "12:00"), ("minutes", "5"), ("place", "")])
            #expect(short.status == .badRequest && short.text.contains(##"href="#slot-minutes""##) && short.text.contains(#"value="5""#))
            let noDate = try await coach.post(
                "/coaching/valmennus/times/slots", [("date", "huomenna"), ("time", "12:00"), ("minutes", "30"), ("place", "")])
            #expect(noDate.status == .badRequest && noDate.text.contains(#"value="huomenna""#) && noDate.text.contains(#"aria-invalid="true""#))

            // A weekly time; a day to skip that is no day is refused and kept.
            let badPattern = try await coach.post(
                "/coaching/valmennus/times/patterns",
                [("weekday", "1"), ("time", "13:00"), ("minutes", "60"), ("place", ""), ("from", "30.11.2026"), ("until", ""), ("skipping", "joulu")])
            #expect(
                badPattern.status == .badRequest && badPattern.text.contains(">joulu</textarea>") && badPattern.text.contains(#"value="30.11.2026""#))
            let pattern = try await coach.post(
                "/coaching/valmennus/times/patterns",
                [
                    ("weekday", "1"), ("time", "13:00"), ("minutes", "60"), ("place", ""), ("from", "30.11.2026"), ("until", ""),
                    ("skipping", "7.12.2026"),
                ])
            #expect(pattern.status == .seeOther)
            let withPattern = try await coach.get("/coaching/valmennus/times").text
            #expect(withPattern.contains("maanantai 13.00–14.00") && withPattern.contains("Ei aikaa: 7.12.2026."))
            #expect(withPattern.contains("maanantai 30.11.2026 klo 13.00–14.00") && !withPattern.contains("maanantai 7.12.2026 klo 13.00"))

            // The coachee sees the times and the rule in plain words, and books through the form.
            let person = Browser(client, language: "fi")
            #expect(try await person.post("/account/signin", [("nickname", "valmennettava"), ("password", demoPassword)]).status == .seeOther)
            #expect(try await person.get("/my/coaching/valmennus").text.contains(#"href="/my/coaching/valmennus/times""#))
            let free = try await person.get("/my/coaching/valmennus/times")
            #expect(free.status == .ok && free.text.contains("Voit siirtää tai perua ajan viimeistään 24 tuntia ennen sen alkua."))
            let id = try slot(after: "<li>torstai 26.11.2026 klo 09.30–10.00", in: free.text)
            let booked = try await person.post("/my/coaching/valmennus/times/book", [("slot", id)])
            #expect(booked.status == .seeOther && booked.headers[.location] == "/my/coaching/valmennus/times#appointments")
            let mine = try await person.get("/my/coaching/valmennus/times").text
            let marker = try #require(mine.range(of: #"href="/api/coaching/appointments/"#)).upperBound
            let appointment = String(mine[marker...].prefix(36))
            let ics = try await person.get("/api/coaching/appointments/\(appointment)/invitation.ics")
            #expect(ics.status == .ok && ics.text.contains("BEGIN:VCALENDAR"))
            // The same time again: taken, shown on the page, not a crash.
            let again = try await person.post("/my/coaching/valmennus/times/book", [("slot", id)])
            #expect(
                again.status == .conflict && again.text.contains("Joku varasi tämän ajan juuri ennen sinua.")
                    && again.text.contains(##"href="#free""##))

            // The coach sees who booked it.
            let seen = try await coach.get("/coaching/valmennus/times").text
            #expect(seen.contains("Varannut: valmennettava") && seen.contains("Nimimerkki: <strong>valmennettava</strong>"))

            // Moved to tomorrow 10.00: now within a day, so a reminder, and too late to change.
            let target = try slot(after: "<li>keskiviikko 25.11.2026 klo 10.00–10.45", in: mine)
            let moved = try await person.post("/my/coaching/valmennus/times/appointments/\(appointment)/move", [("slot", target)])
            #expect(moved.status == .seeOther)
            let soon = try await person.get("/my/coaching/valmennus/times").text
            #expect(soon.contains("Muista aikasi:</strong> keskiviikko 25.11.2026 klo 10.00–10.45."))
            #expect(soon.contains("Aikaa ei voi enää siirtää tai perua.") && !soon.contains("/appointments/\(appointment)/cancel"))
            let late = try await person.post("/my/coaching/valmennus/times/appointments/\(appointment)/cancel")
            #expect(
                late.status == .conflict && late.text.contains("Aika on jo liian lähellä.")
                    && late.text.contains(##"href="#appointment-\##(appointment)""##))

            // Marking before the start is refused on the page; once it has begun, the thread's link and "came".
            let early = try await coach.post("/coaching/valmennus/times/appointments/\(appointment)/attendance", [("attended", "1")])
            #expect(early.status == .conflict && early.text.contains("Aika ei ole vielä alkanut."))
            app.coaching.service.clock.set(Date(timeIntervalSince1970: 1_795_514_400 + 22 * 3600 + 5 * 60))
            let now = try await person.get("/my/coaching/valmennus/times").text
            #expect(now.contains("Aikasi on nyt:") && now.contains(#"<a href="/my/coaching/valmennus">Avaa keskustelu ja aloita puhelu</a>"#))
            // A day later the coach's session has run out: they sign in again.
            try await coach.signIn("worker1@demo.invalid")
            let came = try await coach.post("/coaching/valmennus/times/appointments/\(appointment)/attendance", [("attended", "1")])
            #expect(came.status == .seeOther && came.headers[.location] == "/coaching/valmennus/times#appointments")
            #expect(try await person.get("/my/coaching/valmennus/times").text.contains("Puhelu keskustelussa. Tuli paikalle."))

            // Another service's appointment is not found through this page's path.
            #expect(try await person.post("/my/coaching/valmennus/times/appointments/\(UUID().uuidString)/cancel").status == .notFound)
        }
    }
}
