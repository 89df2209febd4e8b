import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Booking
@testable import DigitalSupport
@testable import Kohtaamo
@testable import KohtaamoBase

/// Appointments of individual digital support, on the suite's database
/// (SQLite, or PostgreSQL under scripts/pg-throwaway), through the shared
/// appointment pages and the JSON API. The clock is the demo's Tuesday
/// 24.11.2026 12.00 in Helsinki; the demo's `worker1` (organisation A) has
/// weekly times on Thursdays 13.00–13.45 at the main library, and the demo
/// client `yhteydenpito` has booked the first (26.11.).
@Suite struct DigitalTimesTests {
    static func object(_ r: TestResponse) -> [String: Any] { ReachoutAPITests.object(r) }
    static func array(_ r: TestResponse) -> [[String: Any]] { ReachoutAPITests.array(r) }

    /// A signed-in registered client reading Finnish, and their id.
    static func client(_ app: Kohtaamo, _ client: any TestClientProtocol, _ nickname: String) async throws -> (Browser, UUID) {
        let (id, token) = try await app.accounts.members.makeDemoMember(nickname: nickname, passwordHash: "x")
        let b = Browser(client, language: "fi")
        b.cookies["k_member"] = token
        return (b, id)
    }

    static func organisation(_ app: Kohtaamo, _ email: String) async throws -> UUID {
        try #require(try await app.accounts.service.repository.staff(email: email)).organisationID
    }

    /// The id in the first `name="slot" value="…"` after `text` on the page.
    static func slot(after text: String, in page: String) throws -> String {
        let at = try #require(page.range(of: text), "\(text) not on the page").upperBound
        let marker = try #require(page[at...].range(of: #"name="slot" value=""#)).upperBound
        return String(page[marker...].prefix(36))
    }

    @Test func aWorkerPublishesAClientBooksAndASecondBookingOfTheSameTimeIsRefused() async throws {
        try await withApp { app, client in
            let organisation = try await Self.organisation(app, "worker1@demo.invalid")
            let worker = Browser(client, language: "fi")
            try await worker.signIn("worker1@demo.invalid")
            let demo = try await worker.get("/digital/times")
            #expect(demo.status == .ok && demo.text.contains("torstai 26.11.2026 klo 13.00–13.45. Oulun pääkirjasto, digitukipiste."))
            #expect(demo.text.contains("Varannut: yhteydenpito") && demo.text.contains("torstai 13.00–13.45"))
            // The coaching time of the same worker is not on this page.
            #expect(!demo.text.contains("keskiviikko 25.11.2026 klo 10.00–10.45"))

            // One time with a place; an empty place is a call.
            let added = try await worker.post(
                "/digital/times/slots", [("date", "27.11.2026"), ("time", "10.00"), ("minutes", "60"), ("place", "Pääkirjasto, 2. krs")])
            #expect(added.status == .seeOther && added.headers[.location] == "/digital/times#slots")
            #expect(
                try await worker.post("/digital/times/slots", [("date", "2026-11-27"), ("time", "14:00"), ("minutes", "30"), ("place", "")]).status
                    == .seeOther)
            let overlap = try await worker.post(
                "/digital/times/slots", [("date", "2026-11-27"), ("time", "10:30"), ("minutes", "30"), ("place", "Kahvila")])
            #expect(overlap.status == .conflict && overlap.text.contains(#"value="Kahvila""#) && overlap.text.contains(##"href="#slot-time""##))

            // A client books from the organisation's page; a second client gets "taken" on the page.
            let (aino, _) = try await Self.client(app, client, "aino")
            let page = try await aino.get("/my/digital/times/\(organisation.text())")
            #expect(page.status == .ok && page.text.contains("Voit siirtää tai perua ajan viimeistään 24 tuntia ennen sen alkua."))
            #expect(page.text.contains("perjantai 27.11.2026 klo 14.00–14.30. Puhelu."))
            #expect(!page.text.contains("<li>torstai 26.11.2026 klo 13.00"), "the demo's booked time is not free")
            let id = try Self.slot(after: "<li>perjantai 27.11.2026 klo 10.00–11.00. Pääkirjasto, 2. krs.", in: page.text)
            let booked = try await aino.post("/my/digital/times/\(organisation.text())/book", [("slot", id)])
            #expect(booked.status == .seeOther && booked.headers[.location] == "/my/digital/times/\(organisation.text())#appointments")
            let (eero, _) = try await Self.client(app, client, "eero")
            let again = try await eero.post("/my/digital/times/\(organisation.text())/book", [("slot", id)])
            #expect(
                again.status == .conflict && again.text.contains("Joku varasi tämän ajan juuri ennen sinua.")
                    && again.text.contains(##"href="#free""##))

            // The worker sees who booked; the client sees it on /my/digital and gets the invitation.
            #expect(try await worker.get("/digital/times").text.contains("Asiakas: <strong>aino</strong>"))
            let mine = try await aino.get("/my/digital").text
            #expect(
                mine.contains("perjantai 27.11.2026 klo 10.00–11.00. Pääkirjasto, 2. krs.")
                    && mine.contains("/my/digital/times/\(organisation.text())"))
            let times = try await aino.get("/my/digital/times/\(organisation.text())").text
            let marker = try #require(times.range(of: #"href="/api/my/digital/appointments/"#)).upperBound
            let appointment = String(times[marker...].prefix(36))
            let ics = try await aino.get("/api/my/digital/appointments/\(appointment)/invitation.ics")
            #expect(ics.status == .ok && ics.text.contains("BEGIN:VCALENDAR") && ics.text.contains("LOCATION:Pääkirjasto\\, 2. krs"))
            // Another client cannot reach it.
            #expect(try await eero.get("/api/my/digital/appointments/\(appointment)/invitation.ics").status == .notFound)
            #expect(try await eero.post("/my/digital/times/\(organisation.text())/appointments/\(appointment)/cancel").status == .notFound)

            // An organisation that does not exist has no page.
            #expect(try await aino.get("/my/digital/times/\(UUID().uuidString)").status == .notFound)
        }
    }

    /// The demo as a reviewer meets it: the finder's "book a time" on the
    /// library's help point leads to the library guide's free Tuesday times,
    /// and a client books one there.
    @Test func theFindersBookingLinkLeadsToTimesAClientCanBook() async throws {
        try await withApp { app, client in
            let page = try await Browser(client, language: "fi").get("/finder/oulu")
            let library = try #require(try await app.finder.service.repository.allPoints().first { $0.name == "Digituki pääkirjastossa" })
            #expect(page.text.contains(#"href="/my/digital/times/\#(library.organisation.text())""#))
            #expect(try await Self.organisation(app, "kirjasto@demo.invalid") == library.organisation)
            let (reader, _) = try await Self.client(app, client, "kirjastossa")
            let times = try await reader.get("/my/digital/times/\(library.organisation.text())")
            #expect(times.status == .ok && times.text.contains("Varaa: tiistai") && times.text.contains("Oulun pääkirjasto, 2. krs"))
            let free = Self.array(try await reader.get("/api/my/digital/times/\(library.organisation.text())"))
            let first = try #require(free.first?["id"] as? String)
            let booked = try await reader.json(.post, "/api/my/digital/times/\(library.organisation.text())/appointments", #"{"slot":"\#(first)"}"#)
            #expect(booked.status == .created, "\(booked.text)")
        }
    }

    @Test func theClientMovesAndCancelsBeforeTheLimitButNotWithinIt() async throws {
        try await withApp { app, client in
            let organisation = try await Self.organisation(app, "worker1@demo.invalid")
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            func add(_ start: String) async throws -> String {
                let r = try await worker.json(.post, "/api/digital/times/slots", #"{"start":"\#(start)","minutes":30,"place":"Kirjasto"}"#)
                #expect(r.status == .created)
                return try #require(Self.object(r)["id"] as? String)
            }
            let later = try await add("2026-11-30T08:00:00Z")
            let other = try await add("2026-12-01T08:00:00Z")
            let tomorrow = try await add("2026-11-25T07:00:00Z")
            let (aino, member) = try await Self.client(app, client, "aino")
            aino.language = "en"
            let free = Self.array(try await aino.get("/api/my/digital/times/\(organisation.text())")).compactMap { $0["id"] as? String }
            #expect(Set([later, other, tomorrow]).isSubset(of: Set(free)))
            let booked = try await aino.json(.post, "/api/my/digital/times/\(organisation.text())/appointments", #"{"slot":"\#(later)"}"#)
            #expect(booked.status == .created && Self.object(booked)["organisation"] as? String == organisation.text())
            let id = try #require(Self.object(booked)["id"] as? String)
            ReachoutAPITests.refused(
                try await aino.json(.post, "/api/my/digital/times/\(organisation.text())/appointments", #"{"slot":"\#(later)"}"#), .conflict,
                "slot_taken")

            // More than a day ahead: moved, then cancelled.
            let moved = try await aino.json(.post, "/api/my/digital/appointments/\(id)/move", #"{"slot":"\#(other)"}"#)
            #expect(moved.status == .ok && Self.object(moved)["slot"] as? String == other && Self.object(moved)["sequence"] as? Int == 1)
            let cancelled = try await aino.json(.post, "/api/my/digital/appointments/\(id)/cancel", nil)
            #expect(cancelled.status == .ok && Self.object(cancelled)["status"] as? String == "cancelled")

            // Within a day: neither, on the API nor on the page; the worker still may cancel.
            let soon = try await aino.json(.post, "/api/my/digital/times/\(organisation.text())/appointments", #"{"slot":"\#(tomorrow)"}"#)
            let soonID = try #require(Self.object(soon)["id"] as? String)
            ReachoutAPITests.refused(
                try await aino.json(.post, "/api/my/digital/appointments/\(soonID)/move", #"{"slot":"\#(later)"}"#), .conflict, "booking_too_late")
            ReachoutAPITests.refused(try await aino.json(.post, "/api/my/digital/appointments/\(soonID)/cancel", nil), .conflict, "booking_too_late")
            aino.language = "fi"
            let late = try await aino.post("/my/digital/times/\(organisation.text())/appointments/\(soonID)/cancel")
            #expect(late.status == .conflict && late.text.contains("Aika on jo liian lähellä."))
            #expect(late.text.contains("Aikaa ei voi enää muuttaa. Jos et pääse, kerro siitä digitukeen."))
            let byWorker = try await worker.json(.post, "/api/digital/appointments/\(soonID)/cancel", nil)
            #expect(byWorker.status == .ok && Self.object(byWorker)["client"] as? String == member.text())

            // Upcoming ones for a buddy's page: none left of aino's.
            #expect(try await app.digital.service.appointments(of: member, organisation: organisation).isEmpty)
        }
    }

    @Test func anotherOrganisationsWorkerSeesNothingAndAVolunteerPublishesNothing() async throws {
        try await withApp { app, client in
            let organisation = try await Self.organisation(app, "worker1@demo.invalid")
            let demoBooking = try #require(
                try await app.digital.service.booking.repository.appointments(scope: DigitalService.scope(of: organisation), fromMs: 0, toMs: 1 << 50)
                    .first)
            // worker2 is of the other organisation.
            let other = try await ReachoutAPITests.staff(client, "worker2@demo.invalid")
            #expect(Self.array(try await other.get("/api/digital/times/slots")).isEmpty)
            #expect(Self.array(try await other.get("/api/digital/times/patterns")).isEmpty)
            #expect(Self.array(try await other.get("/api/digital/appointments")).isEmpty)
            ReachoutAPITests.refused(
                try await other.json(.post, "/api/digital/appointments/\(demoBooking.id.text())/cancel", nil), .notFound, "appointment_not_found")
            ReachoutAPITests.refused(
                try await other.json(.post, "/api/digital/appointments/\(demoBooking.id.text())/attendance", #"{"attended":true}"#), .notFound,
                "appointment_not_found")
            ReachoutAPITests.refused(
                try await other.json(.delete, "/api/digital/times/slots/\(demoBooking.slot.text())", nil), .notFound, "slot_not_found")
            let page = try await other.get("/digital/times")
            #expect(page.status == .ok && !page.text.contains("yhteydenpito") && !page.text.contains("digitukipiste"))

            let volunteer = try await ReachoutAPITests.staff(client, "volunteer1@demo.invalid")
            ReachoutAPITests.refused(
                try await volunteer.json(.post, "/api/digital/times/slots", #"{"start":"2026-12-02T08:00:00Z","minutes":30}"#), .forbidden,
                "digital_not_allowed")
            ReachoutAPITests.refused(
                try await volunteer.json(.post, "/api/digital/times/patterns", #"{"weekday":1,"start":"10:00","minutes":30,"from":"2026-12-01"}"#),
                .forbidden, "digital_not_allowed")
            #expect(try await volunteer.get("/digital/times").status == .forbidden)
            #expect(
                try await volunteer.post("/digital/times/slots", [("date", "2026-12-02"), ("time", "10:00"), ("minutes", "30"), ("place", "")]).status
                    == .forbidden)
            // Still the demo's one booking, booked.
            let after = try await app.digital.service.booking.repository.appointments(
                scope: DigitalService.scope(of: organisation), fromMs: 0, toMs: 1 << 50)
            #expect(after.count == 1 && after[0].status == .booked)
        }
    }

    @Test func weeklyTimesAndAttendanceThroughTheAPIAndTheClientsDataGoesWithThem() async throws {
        try await withApp { app, client in
            let organisation = try await Self.organisation(app, "worker1@demo.invalid")
            let worker = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let made = try await worker.json(
                .post, "/api/digital/times/patterns",
                #"{"weekday":2,"start":"09:00","minutes":45,"place":"Puhelu","from":"2026-12-01","skipping":["2026-12-08"]}"#)
            #expect(made.status == .created && Self.object(made)["skipping"] as? [String] == ["2026-12-08"])
            let pattern = try #require(Self.object(made)["id"] as? String)
            #expect(Self.array(try await worker.get("/api/digital/times/patterns")).count == 2)
            ReachoutAPITests.refused(
                try await worker.json(.post, "/api/digital/times/patterns", #"{"weekday":2,"start":"25:00","minutes":45,"from":"2026-12-01"}"#),
                .badRequest, "bad_slot")
            let slots = Self.array(try await worker.get("/api/digital/times/slots"))
            #expect(slots.contains { $0["start"] as? String == "2026-12-01T07:00:00.000Z" && $0["place"] as? String == "Puhelu" })
            #expect(!slots.contains { ($0["start"] as? String ?? "").hasPrefix("2026-12-08") })
            #expect(try await worker.json(.delete, "/api/digital/times/patterns/\(pattern)", nil).status == .noContent)

            // The demo's booking: attendance only once it has begun.
            let demo = try #require(Self.array(try await worker.get("/api/digital/appointments")).first?["id"] as? String)
            ReachoutAPITests.refused(
                try await worker.json(.post, "/api/digital/appointments/\(demo)/attendance", #"{"attended":true}"#), .conflict, "not_started")
            app.digital.service.clock.set(Date(timeIntervalSince1970: 1_795_514_400 + 2 * 86_400 + 3_600 + 60))
            // Two days later the worker's session has run out: they sign in again.
            let again = try await ReachoutAPITests.staff(client, "worker1@demo.invalid")
            let came = try await again.json(.post, "/api/digital/appointments/\(demo)/attendance", #"{"attended":false}"#)
            #expect(came.status == .ok && Self.object(came)["status"] as? String == "no_show")

            // The client's download has their appointment; erasing them frees their times.
            let (aino, member) = try await Self.client(app, client, "aino")
            let free = try #require(try await app.digital.service.freeSlots(organisation: organisation).first)
            #expect(try await aino.post("/my/digital/times/\(organisation.text())/book", [("slot", free.id.text())]).status == .seeOther)
            let data = String(decoding: try await app.digital.memberData.export(member: member, language: .fi), as: UTF8.self)
            #expect(data.contains(#""appointments":[{"#) && data.contains("Oulun pääkirjasto, digitukipiste") && data.contains(#""status":"booked""#))
            try await app.digital.memberData.erase(member: member)
            #expect(try await app.digital.service.appointments(member: member, organisation: organisation).isEmpty)
            #expect(try await app.digital.service.freeSlots(organisation: organisation).contains { $0.id == free.id })
        }
    }
}
