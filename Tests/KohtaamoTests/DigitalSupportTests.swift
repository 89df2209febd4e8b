import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DigitalSupport
@testable import Kohtaamo
@testable import KohtaamoBase

/// Digital support's rules on the suite's database (SQLite, or PostgreSQL
/// under scripts/pg-throwaway): seats and the waiting list (also twenty
/// sign-ups at once), events' sequence and cancellation, what the finder
/// gets, who may do what, and the sealed label. The clock is the demo's
/// Tuesday 2026-11-24 12:00 in Helsinki; the demo has a pop-up event in Oulu
/// on Sunday 29.11. and "Älypuhelimen alkeet" (8 seats, one taken, four
/// Thursday meetings from 3.12.).
@Suite struct DigitalSupportTests {
    // The JSON helpers of reach-out's API tests serve here too.
    static func object(_ r: TestResponse) -> [String: Any] { ReachoutAPITests.object(r) }
    static func array(_ r: TestResponse) -> [[String: Any]] { ReachoutAPITests.array(r) }
    static func body(_ fields: [String: Any]) -> String { ReachoutAPITests.body(fields) }
    static func staff(_ client: any TestClientProtocol, _ email: String) async throws -> Browser {
        try await ReachoutAPITests.staff(client, email)
    }
    static func refused(_ r: TestResponse, _ status: HTTPResponse.Status, _ code: String, _ comment: Comment? = nil) {
        ReachoutAPITests.refused(r, status, code, comment)
    }

    static var event: [String: Any] {
        [
            "title": "Digiapu kirjastossa", "municipality": "Oulu", "place": "Oulun pääkirjasto", "date": "2026-12-01", "start": "10.00",
            "end": "13:00", "languages": ["fi"], "themes": ["messaging"],
        ]
    }

    static var session: [String: Any] {
        [
            "title": "Tabletti tutuksi", "municipality": "Oulu", "place": "Kerhotalo", "seats": 8, "languages": ["fi", "sv"],
        ]
    }

    /// A signed-in registered client (a Browser with their cookie) and their id.
    static func member(_ app: Kohtaamo, _ client: any TestClientProtocol, _ nickname: String) async throws -> (Browser, UUID) {
        let (id, token) = try await app.accounts.members.makeDemoMember(nickname: nickname, passwordHash: "x")
        let b = Browser(client, language: "en")
        b.cookies["k_member"] = token
        return (b, id)
    }

    static func principal(_ app: Kohtaamo, _ email: String) async throws -> StaffPrincipal {
        let s = try #require(try await app.accounts.service.repository.staff(email: email))
        let network = try #require(try await app.network.repository.networks().first).id
        return StaffPrincipal(
            staffID: s.id, sessionID: UUID(), email: email, role: s.role, organisationID: s.organisationID, networkID: network, workName: s.workName)
    }

    // MARK: seats and the waiting list

    @Test func twentySignUpsAtOnceForEightSeatsSeatEightAndQueueTwelveInOrder() async throws {
        try await withApp { app, client in
            let digital = app.digital.service
            let worker = try await Self.principal(app, "worker1@demo.invalid")
            var input = DigitalService.SessionInput()
            (input.title, input.municipality, input.place, input.seats, input.languages) = ("Kilpajuoksu", "Oulu", "Kirjasto", 8, ["fi"])
            let session = try await digital.makeSession(worker, input)
            var members: [UUID] = []
            for n in 1...20 { members.append(try await app.accounts.members.makeDemoMember(nickname: "kisaaja\(n)", passwordHash: "x").id) }
            // On PostgreSQL, half of them through a second node on the same database: each node queues its
            // own sign-ups, so only the database's lock keeps the two apart.
            let secondNode = TestDatabase.postgresURL == nil ? nil : try await Kohtaamo.open(configuration: app.configuration, bcryptCost: 4)
            let nodes = [digital] + (secondNode.map { [$0.digital.service] } ?? [])
            let seats = try await withThrowingTaskGroup(of: SessionSeat.self) { group in
                for (n, m) in members.enumerated() {
                    let node = nodes[n % nodes.count]
                    group.addTask { try await node.signUp(member: m, session: session.id) }
                }
                var out: [SessionSeat] = []
                for try await s in group { out.append(s) }
                return out
            }
            await secondNode?.storage.close()
            #expect(seats.filter { $0.status == .seated }.count == 8)
            #expect(seats.filter { $0.status == .waiting }.count == 12)
            let stored = try await digital.participants(worker, session: session.id)
            #expect(stored.filter { $0.status == .seated }.count == 8 && stored.count == 20)
            // Arrival order: one rank each, the seated ones first.
            #expect(Set(stored.map(\.rank)) == Set(1...20))
            #expect(stored.filter { $0.status == .seated }.map(\.rank).max()! < stored.filter { $0.status == .waiting }.map(\.rank).min()!)
            // Signing up again gives the same place.
            let again = try await digital.signUp(member: members[0], session: session.id)
            #expect(again.id == stored.first { $0.member == members[0] }?.id)
            #expect(try await digital.participants(worker, session: session.id).count == 20)

            // A seated client leaves: the first waiting moves up, and sees it on their page.
            let leaver = try #require(stored.first { $0.status == .seated }?.member)
            let firstWaiting = try #require(stored.first { $0.status == .waiting })
            try await digital.leave(member: leaver, session: session.id)
            var now = try await digital.participants(worker, session: session.id)
            #expect(now.filter { $0.status == .seated }.count == 8 && now.count == 19)
            let moved = try #require(now.first { $0.id == firstWaiting.id })
            #expect(moved.status == .seated && moved.promotedMs != nil)
            let movedMember = try #require(moved.member)
            let mine = try await digital.mine(member: movedMember)
            #expect(mine.count == 1 && mine[0].position == nil && mine[0].seat.promotedMs != nil)
            // The next in the queue is now first.
            let second = try #require(now.first { $0.status == .waiting })
            let secondMember = try #require(second.member)
            #expect(try await digital.mine(member: secondMember).first?.position == 1)

            // Staff take out someone waiting: no seat changes hands.
            try await digital.removeParticipant(worker, session: session.id, seat: second.id)
            now = try await digital.participants(worker, session: session.id)
            #expect(now.filter { $0.status == .seated }.count == 8 && now.count == 18)
            // More seats: the first two waiting move up.
            input.seats = 10
            let waitingBefore = now.filter { $0.status == .waiting }.map(\.id)
            _ = try await digital.editSession(worker, id: session.id, input)
            now = try await digital.participants(worker, session: session.id)
            #expect(now.filter { $0.status == .seated }.count == 10)
            #expect(Set(now.filter { $0.status == .seated }.map(\.id)).isSuperset(of: waitingBefore.prefix(2)))
            // Fewer seats: no one loses theirs, and a newcomer waits.
            input.seats = 5
            _ = try await digital.editSession(worker, id: session.id, input)
            #expect(try await digital.participants(worker, session: session.id).filter { $0.status == .seated }.count == 10)
            let late = try await app.accounts.members.makeDemoMember(nickname: "myohainen", passwordHash: "x").id
            #expect(try await digital.signUp(member: late, session: session.id).status == .waiting)
        }
    }

    @Test func aClientSignsUpOnThePublicPageQueuesWhenFullAndSeesTheMoveOnTheirPage() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            var body = Self.session
            body["seats"] = 1
            let made = try await worker.json(.post, "/api/digital/sessions", Self.body(body))
            #expect(made.status == .created, "\(made.text)")
            let id = try #require(Self.object(made)["id"] as? String)
            #expect(
                try await worker.json(.post, "/api/digital/sessions/\(id)/meetings", #"{"date":"2026-12-02","start":"10:00","end":"11:30"}"#)
                    .status == .created)
            let page = "/digital/sessions/\(id)/public"
            let visitor = Browser(client, language: "en")
            let seen = try await visitor.get(page)
            #expect(seen.status == .ok && seen.text.contains("Tabletti tutuksi") && seen.text.contains("Seats left: 1."))
            #expect(!seen.text.contains("/signup") && seen.text.contains("/account/signin?next="))
            let (aino, _) = try await Self.member(app, client, "aino")
            #expect(try await aino.get(page).text.contains("Sign me up"))
            let signed = try await aino.post("/digital/sessions/\(id)/signup")
            #expect(signed.status == .seeOther && signed.location == page + "?signed=1")
            #expect(try await aino.get(page).text.contains("You have a seat."))
            let (pekka, _) = try await Self.member(app, client, "pekka")
            let full = try await pekka.get(page).text
            #expect(full.contains("The session is full.") && full.contains("Join the waiting list"))
            let queued = try await pekka.json(.post, "/api/my/digital/sessions/\(id)/signup", nil)
            #expect(
                queued.status == .created && Self.object(queued)["status"] as? String == "waiting" && Self.object(queued)["position"] as? Int == 1)
            #expect(try await pekka.get("/my/digital").text.contains("You are number 1 on the waiting list."))
            // Aino leaves from her page: Pekka moves up, and his page says so.
            #expect(try await aino.post("/my/digital/\(id)/leave").location == "/my/digital?left=1")
            let his = try await pekka.get("/my/digital").text
            #expect(his.contains("You have a seat.") && his.contains("You moved up from the waiting list."))
            let json = Self.array(try await pekka.get("/api/my/digital"))
            #expect(json.first?["status"] as? String == "seated" && json.first?["moved"] as? Bool == true)
            // Leaving twice: nothing to leave.
            Self.refused(try await aino.json(.post, "/api/my/digital/sessions/\(id)/leave", nil), .notFound, "not_found")
            // Cancelled: no one signs up.
            #expect(try await worker.json(.post, "/api/digital/sessions/\(id)/cancel", nil).status == .ok)
            Self.refused(try await aino.json(.post, "/api/my/digital/sessions/\(id)/signup", nil), .conflict, "session_cancelled")
            #expect(try await visitor.get(page).text.contains("Cancelled"))
        }
    }

    // MARK: events

    @Test func everyEditRaisesTheSequenceAndACancelledEventStaysInTheFeed() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            let made = try await worker.json(.post, "/api/digital/events", Self.body(Self.event))
            #expect(made.status == .created, "\(made.text)")
            let e = Self.object(made)
            let id = try #require(e["id"] as? String)
            #expect(e["sequence"] as? Int == 0 && e["municipalitySlug"] as? String == "oulu" && e["start"] as? String == "10:00")
            var changed = Self.event
            changed["title"] = "Digiapu kirjastossa, uusi aika"
            changed["start"] = "11.00"
            let edited = try await worker.json(.put, "/api/digital/events/\(id)", Self.body(changed))
            #expect(edited.status == .ok && Self.object(edited)["sequence"] as? Int == 1 && Self.object(edited)["start"] as? String == "11:00")
            let cancelled = try await worker.json(.post, "/api/digital/events/\(id)/cancel", nil)
            #expect(Self.object(cancelled)["sequence"] as? Int == 2 && Self.object(cancelled)["cancelled"] as? Bool == true)
            Self.refused(try await worker.json(.put, "/api/digital/events/\(id)", Self.body(changed)), .conflict, "event_cancelled")
            Self.refused(try await worker.json(.post, "/api/digital/events/\(id)/cancel", nil), .conflict, "event_cancelled")
            let feed = try await app.finder.service.happenings(municipality: "oulu")
            let h = try #require(feed.first { $0.id.uuidString.lowercased() == id })
            #expect(h.cancelled && h.sequence == 2 && h.kind == .popup && h.title == "Digiapu kirjastossa, uusi aika")
            #expect(h.startMs == HelsinkiDay(year: 2026, month: 12, day: 1).ms(minute: 11 * 60))
        }
    }

    /// 10.00 in Helsinki is 8.00 UTC in winter and 7.00 in summer.
    @Test func anEventsMomentsFollowHelsinkiSummerTime() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            for (date, utcHour) in [("2027-01-12", 8), ("2027-06-15", 7)] {
                var body = Self.event
                body["date"] = date
                let made = Self.object(try await worker.json(.post, "/api/digital/events", Self.body(body)))
                let startMs = try #require(made["startMs"] as? Int64 ?? (made["startMs"] as? Int).map(Int64.init))
                let hour = Calendar(identifier: .gregorian).dateComponents(
                    in: TimeZone(identifier: "UTC")!, from: Date(timeIntervalSince1970: Double(startMs) / 1000)
                ).hour
                #expect(hour == utcHour, "\(date)")
            }
        }
    }

    // MARK: the finder

    @Test func theFinderGetsPublicEventsAndMeetingsOfItsMunicipalityAndWindow() async throws {
        try await withApp { app, client in
            let now = app.clock.nowMs
            let day: Int64 = 86_400_000
            let source = app.digital.happenings
            let all = try await source.happenings(municipality: "oulu", fromMs: now, toMs: now + 60 * day)
            // The demo: one event and four meetings.
            #expect(all.filter { $0.kind == .popup }.map(\.title) == ["Digituki kauppakeskus Valkeassa"])
            let meetings = all.filter { $0.kind == .groupSession }
            #expect(meetings.count == 4 && meetings.allSatisfy { $0.title == "Älypuhelimen alkeet" && $0.seatsLeft == 7 })
            let session = try #require(try await app.digital.service.repository.sessions(organisation: meetings[0].organisation).first)
            #expect(meetings.allSatisfy { $0.link == "/digital/sessions/\(session.id.text())/public" })
            // A meeting's own id, the same on every read.
            #expect(Set(meetings.map(\.id)) == Set(try await app.digital.service.repository.meetings(session: session.id).map(\.id)))
            #expect(all.map(\.startMs) == all.map(\.startMs).sorted())
            // Another municipality, a window before them, a window of only the event.
            #expect(try await source.happenings(municipality: "helsinki", fromMs: now, toMs: now + 60 * day).isEmpty)
            #expect(try await source.happenings(municipality: "oulu", fromMs: now, toMs: now + day).isEmpty)
            let sunday = try await source.happenings(municipality: "oulu", fromMs: now + 4 * day, toMs: now + 6 * day)
            #expect(sunday.map(\.kind) == [.popup])
            #expect(try await source.municipalities(fromMs: now, toMs: now + 60 * day) == ["oulu"])
            // Not public: not in the finder.
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            var hidden = Self.event
            (hidden["isPublic"], hidden["municipality"]) = (false, "Kemi")
            #expect(try await worker.json(.post, "/api/digital/events", Self.body(hidden)).status == .created)
            #expect(try await source.happenings(municipality: "kemi", fromMs: now, toMs: now + 60 * day).isEmpty)
            // Through the finder's own listing too.
            #expect(try await app.finder.service.happenings(municipality: "oulu").count == 5)
        }
    }

    // MARK: rights and refusals

    @Test func anotherOrganisationsStaffGetNotFoundAndVolunteersAreRefused() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            let event = try #require(Self.object(try await worker.json(.post, "/api/digital/events", Self.body(Self.event)))["id"] as? String)
            let session = try #require(Self.array(try await worker.get("/api/digital/sessions")).first?["id"] as? String)
            // worker2 is of the other organisation.
            let other = try await Self.staff(client, "worker2@demo.invalid")
            Self.refused(try await other.get("/api/digital/events/\(event)"), .notFound, "not_found")
            Self.refused(try await other.json(.put, "/api/digital/events/\(event)", Self.body(Self.event)), .notFound, "not_found")
            Self.refused(try await other.json(.post, "/api/digital/events/\(event)/cancel", nil), .notFound, "not_found")
            Self.refused(try await other.get("/api/digital/sessions/\(session)/participants"), .notFound, "not_found")
            Self.refused(
                try await other.json(.post, "/api/digital/sessions/\(session)/participants", #"{"label":"Kaappaaja"}"#), .notFound, "not_found")
            #expect(try await other.get("/digital/events/\(event)").status == .notFound)
            #expect(try await other.get("/digital/sessions/\(session)").status == .notFound)
            #expect(Self.array(try await other.get("/api/digital/events")).isEmpty)
            let volunteer = try await Self.staff(client, "volunteer1@demo.invalid")
            Self.refused(try await volunteer.get("/api/digital/events"), .forbidden, "digital_not_allowed")
            Self.refused(try await volunteer.json(.post, "/api/digital/events", Self.body(Self.event)), .forbidden, "digital_not_allowed")
            Self.refused(try await volunteer.json(.post, "/api/digital/sessions", Self.body(Self.session)), .forbidden, "digital_not_allowed")
            #expect(try await volunteer.get("/digital/events/new").status == .forbidden)
            // Nothing of theirs changed.
            let eventID = try #require(UUID(uuidString: event)), sessionID = try #require(UUID(uuidString: session))
            let stored = try #require(try await app.digital.service.repository.event(id: eventID))
            #expect(stored.sequence == 0 && !stored.cancelled)
            #expect(try await app.digital.service.repository.seats(session: sessionID).count == 1)
            // A session that is not public has no public page.
            var closed = Self.session
            closed["isPublic"] = false
            let hidden = try #require(Self.object(try await worker.json(.post, "/api/digital/sessions", Self.body(closed)))["id"] as? String)
            #expect(try await Browser(client).get("/digital/sessions/\(hidden)/public").status == .notFound)
            let (aino, _) = try await Self.member(app, client, "aino")
            Self.refused(try await aino.json(.post, "/api/my/digital/sessions/\(hidden)/signup", nil), .notFound, "not_found")
        }
    }

    @Test func eachBadFieldHasItsCode() async throws {
        try await withApp { _, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            func event(_ change: [String: Any]) -> String { Self.body(Self.event.merging(change) { _, b in b }) }
            for (change, code) in [
                (["title": ""], "bad_title"), (["title": String(repeating: "x", count: 121)], "bad_title"), (["title": "a\u{0007}b"], "bad_title"),
                (["description": String(repeating: "x", count: 2001)], "bad_description"), (["municipality": "!!!"], "bad_municipality"),
                (["municipality": ""], "bad_municipality"), (["place": " "], "bad_place"),
                (["address": String(repeating: "x", count: 201)], "bad_address"), (["date": "2026-11-23"], "bad_day"),
                (["date": "2026-02-30"], "bad_day"), (["date": "2030-01-01"], "bad_day"), (["start": "25:00"], "bad_time"),
                (["end": "09:00"], "bad_time"), (["themes": ["cooking"]], "bad_theme"), (["languages": []], "bad_language"),
                (["languages": ["suomi!"]], "bad_language"),
            ] as [([String: Any], String)] {
                Self.refused(try await worker.json(.post, "/api/digital/events", event(change)), .badRequest, code, "\(change)")
            }
            func session(_ change: [String: Any]) -> String { Self.body(Self.session.merging(change) { _, b in b }) }
            for seats in [0, 201, -1] {
                Self.refused(try await worker.json(.post, "/api/digital/sessions", session(["seats": seats])), .badRequest, "bad_seats")
            }
            // Online: no place needed.
            #expect(try await worker.json(.post, "/api/digital/sessions", session(["place": "", "online": true])).status == .created)
            Self.refused(try await worker.json(.post, "/api/digital/sessions", session(["place": ""])), .badRequest, "bad_place")
            Self.refused(try await worker.json(.post, "/api/digital/sessions", #"{"title":1}"#), .badRequest, "bad_json")
            let id = try #require(Self.object(try await worker.json(.post, "/api/digital/sessions", session([:])))["id"] as? String)
            Self.refused(
                try await worker.json(.post, "/api/digital/sessions/\(id)/meetings", #"{"date":"2026-12-02","start":"12:00","end":"11:00"}"#),
                .badRequest, "bad_time")
            Self.refused(
                try await worker.json(.post, "/api/digital/sessions/\(id)/meetings", #"{"date":"2020-12-02","start":"10:00","end":"11:00"}"#),
                .badRequest, "bad_day")
            Self.refused(try await worker.json(.post, "/api/digital/sessions/\(id)/participants", #"{"label":""}"#), .badRequest, "bad_label")
            Self.refused(try await worker.json(.delete, "/api/digital/sessions/\(id)/meetings/\(UUID())", nil), .notFound, "not_found")
            #expect(try await worker.get("/api/digital/events/not-a-uuid").status == .notFound)
        }
    }

    // MARK: pages

    @Test func aWorkerKeepsEventsAndSessionsOnThePagesWithoutJavaScript() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            #expect(try await worker.get("/digital/events").text.contains("Digituki kauppakeskus Valkeassa"))
            let bad = try await worker.post(
                "/digital/events/new",
                [
                    ("title", ""), ("municipality", "Oulu"), ("place", "Kirjasto"), ("date", "2026-12-01"), ("start", "10.00"), ("end", "9.00"),
                    ("languages", "fi"), ("isPublic", "1"),
                ])
            #expect(bad.status == .badRequest && bad.text.contains("Write a title") && bad.text.contains("The end is after the start"))
            #expect(bad.text.contains(#"value="Kirjasto""#))
            let made = try await worker.post(
                "/digital/events/new",
                [
                    ("title", "Puhelinapu"), ("municipality", "Oulu"), ("place", "Kirjasto"), ("date", "2026-12-01"), ("start", "10.00"),
                    ("end", "12.00"), ("theme", "safety"), ("languages", "fi, en"), ("isPublic", "1"),
                ])
            let location = try #require(made.location)
            #expect(made.status == .seeOther && location.hasSuffix("?saved=1"))
            let form = try await worker.get(location)
            #expect(form.text.contains("Saved.") && form.text.contains(#"value="Puhelinapu""#) && form.text.contains("Cancel the event"))
            let id = String(location.dropFirst("/digital/events/".count).prefix(36))
            #expect(try await worker.post("/digital/events/\(id)/cancel").status == .seeOther)
            let eventID = try #require(UUID(uuidString: id))
            #expect(try await app.digital.service.repository.event(id: eventID)?.cancelled == true)

            let session = try await worker.post(
                "/digital/sessions/new",
                [
                    ("title", "Pankkitunnukset"), ("municipality", "Oulu"), ("place", "Kerhotalo"), ("seats", "2"), ("languages", "fi"),
                    ("isPublic", "1"),
                ])
            let page = try #require(session.location).replacingOccurrences(of: "?saved=1", with: "")
            #expect(try await worker.post(page + "/meetings", [("date", "2026-12-02"), ("start", "10.00"), ("end", "11.00")]).status == .seeOther)
            let badMeeting = try await worker.post(page + "/meetings", [("date", "eilen"), ("start", "10.00"), ("end", "11.00")])
            #expect(badMeeting.status == .badRequest && badMeeting.text.contains("Give the day as YYYY-MM-DD"))
            for label in ["Aino, 040 123 4567", "Pekka", "Liisa"] {
                #expect(try await worker.post(page + "/participants", [("label", label)]).status == .seeOther)
            }
            let shown = try await worker.get(page)
            #expect(shown.text.contains("Seated: 2 of 2.") && shown.text.contains("Liisa") && shown.text.contains("Waiting list"))
            #expect(shown.text.contains("Wednesday 2/12/2026 at 10:00–11:00"))
            let sessionID = try #require(UUID(uuidString: String(page.dropFirst("/digital/sessions/".count))))
            let aino = try #require(try await app.digital.service.repository.seats(session: sessionID).first { $0.label.hasPrefix("Aino") })
            #expect(try await worker.post(page + "/participants/\(aino.id.text())/remove").status == .seeOther)
            let people = try await app.digital.service.repository.seats(session: sessionID)
            #expect(people.map(\.label) == ["Pekka", "Liisa"] && people.allSatisfy { $0.status == .seated })
            #expect(try await worker.get("/digital/sessions").text.contains("Pankkitunnukset"))
        }
    }

    // MARK: privacy

    @Test func aWorkersLabelIsSealedAndAMembersSignUpsAreInTheirDataAndGoWithThem() async throws {
        try await withApp { app, client in
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            let marker = "DIGI-\(UUID().uuidString.prefix(8))"
            let id = try #require(Self.object(try await worker.json(.post, "/api/digital/sessions", Self.body(Self.session)))["id"] as? String)
            let added = try await worker.json(.post, "/api/digital/sessions/\(id)/participants", #"{"label":"\#(marker) Aino"}"#)
            #expect(added.status == .created && Self.object(added)["name"] as? String == "\(marker) Aino")
            let raw = try rawDatabase(app.configuration)
            #expect(raw.count > 10_000)
            let hex = Data(marker.utf8).map { String(format: "%02x", $0) }.joined()
            #expect(raw.range(of: Data(marker.utf8)) == nil && raw.range(of: Data(hex.utf8)) == nil, "the label is readable in the database")
            #expect(raw.range(of: Data("Tabletti tutuksi".utf8)) != nil)
            let again = try await Kohtaamo.open(configuration: app.configuration, bcryptCost: 4)
            let sessionID = try #require(UUID(uuidString: id))
            #expect(try await again.digital.service.repository.seats(session: sessionID).first?.label == "\(marker) Aino")
            await again.storage.close()

            // A member's download has their sign-up; erasing them frees their seat for the first waiting.
            let (aino, member) = try await Self.member(app, client, "aino")
            var small = Self.session
            small["seats"] = 1
            let full = try #require(Self.object(try await worker.json(.post, "/api/digital/sessions", Self.body(small)))["id"] as? String)
            #expect(try await aino.json(.post, "/api/my/digital/sessions/\(full)/signup", nil).status == .created)
            #expect(try await worker.json(.post, "/api/digital/sessions/\(full)/participants", #"{"label":"Odottaja"}"#).status == .created)
            let data = String(decoding: try await app.digital.memberData.export(member: member, language: .fi), as: UTF8.self)
            #expect(data.contains("Tabletti tutuksi") && data.contains("seated"))
            try await app.digital.memberData.erase(member: member)
            let fullID = try #require(UUID(uuidString: full))
            let left = try await app.digital.service.repository.seats(session: fullID)
            #expect(left.map(\.label) == ["Odottaja"] && left[0].status == .seated)
            #expect(try await app.digital.service.repository.seats(member: member).isEmpty)
        }
    }
}
