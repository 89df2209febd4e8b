import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DigitalSupport
@testable import Kohtaamo
@testable import KohtaamoBase

/// Digital buddies on the suite's database (SQLite, or PostgreSQL under
/// scripts/pg-throwaway): the buddy right only after every module's quiz
/// is passed, wrong answers never complete, assigning only to trained
/// buddies of one's own organisation, a buddy sees only their own clients,
/// only coordinators write the course (and a change keeps the right), and
/// each bad field's code. The demo: a course of two modules ("Näin autat
/// toista", "Turvallisuus ja huijaukset", two questions each), the volunteer
/// (`volunteer1`, of Lähde ry with `worker2`) has passed the first.
@Suite struct DigitalBuddyTests {
    static func object(_ r: TestResponse) -> [String: Any] { ReachoutAPITests.object(r) }
    static func body(_ fields: [String: Any]) -> String { ReachoutAPITests.body(fields) }
    static func staff(_ client: any TestClientProtocol, _ email: String) async throws -> Browser {
        try await ReachoutAPITests.staff(client, email)
    }
    static func refused(_ r: TestResponse, _ status: HTTPResponse.Status, _ code: String, _ comment: Comment? = nil) {
        ReachoutAPITests.refused(r, status, code, comment)
    }

    /// The course's modules as the asker gets them.
    static func modules(_ b: Browser) async throws -> [[String: Any]] {
        Self.object(try await b.get("/api/digital/buddy/course"))["modules"] as? [[String: Any]] ?? []
    }

    /// The volunteer answers the second module (right: the second option of both questions).
    static func finishCourse(_ volunteer: Browser) async throws {
        let second = try #require(try await modules(volunteer).last?["id"] as? String)
        let r = try await volunteer.json(.post, "/api/digital/buddy/course/modules/\(second)/answers", #"{"answers":[1,1]}"#)
        #expect(r.status == .ok && Self.object(r)["completed"] as? Bool == true, "\(r.text)")
    }

    // MARK: the right

    @Test func theBuddyRightComesOnlyWhenEveryModuleIsPassedAndWrongAnswersNeverPass() async throws {
        try await withApp { app, client in
            let volunteer = try await Self.staff(client, "volunteer1@demo.invalid")
            let course = Self.object(try await volunteer.get("/api/digital/buddy/course"))
            let modules = try #require(course["modules"] as? [[String: Any]])
            #expect(modules.map { $0["title"] as? String } == ["Näin autat toista", "Turvallisuus ja huijaukset"])
            #expect(modules.map { $0["done"] as? Bool } == [true, false] && course["done"] as? Int == 1 && course["completedMs"] == nil)
            // The answers are not given away to those who take the course.
            let quiz = try #require(modules[1]["quiz"] as? [[String: Any]])
            #expect(quiz.count == 2 && quiz.allSatisfy { $0["right"] == nil && ($0["options"] as? [String])?.count == 2 })
            Self.refused(try await volunteer.get("/api/digital/buddy"), .forbidden, "buddy_course_not_done")
            let page = try await volunteer.get("/digital/buddy")
            #expect(page.status == .forbidden && page.text.contains("You are not a buddy yet") && page.text.contains("You have done 1 of 2 parts"))

            // Wrong: told which question to look at, not done, still no right; again and again.
            let second = try #require(modules[1]["id"] as? String)
            let answers = "/api/digital/buddy/course/modules/\(second)/answers"
            for body in [#"{"answers":[0,1]}"#, #"{"answers":[0,0]}"#, #"{"answers":[1,0]}"#] {
                let wrong = Self.object(try await volunteer.json(.post, answers, body))
                #expect(wrong["passed"] as? Bool == false && wrong["completed"] as? Bool == false, "\(body)")
            }
            let told = Self.object(try await volunteer.json(.post, answers, #"{"answers":[0,1]}"#))
            #expect(told["wrong"] as? [Int] == [1])
            #expect(try await Self.modules(volunteer)[1]["done"] as? Bool == false)
            Self.refused(try await volunteer.get("/api/digital/buddy"), .forbidden, "buddy_course_not_done")
            let volunteerID = try #require(try await app.accounts.service.repository.staff(email: "volunteer1@demo.invalid")).id
            #expect(try await app.digital.buddies.repository.training(staff: volunteerID) == nil)

            // All right: the module is done, the course completed, the right given.
            let passed = Self.object(try await volunteer.json(.post, answers, #"{"answers":[1,1]}"#))
            #expect(passed["passed"] as? Bool == true && passed["wrong"] as? [Int] == [] && passed["completed"] as? Bool == true)
            let after = Self.object(try await volunteer.get("/api/digital/buddy/course"))
            #expect(after["done"] as? Int == 2 && after["completedMs"] as? Int64 == app.clock.nowMs)
            // Tries are counted (no answers kept): four wrong and one right.
            #expect((after["modules"] as? [[String: Any]])?[1]["attempts"] as? Int == 5)
            let mine = try await volunteer.get("/api/digital/buddy")
            #expect(mine.status == .ok && (Self.object(mine)["clients"] as? [Any])?.isEmpty == true)
            #expect(try await volunteer.get("/digital/buddy").text.contains("No client is assigned to you yet."))
            // A wrong try later does not take the module or the right away.
            _ = try await volunteer.json(.post, answers, #"{"answers":[0,0]}"#)
            #expect(try await Self.modules(volunteer)[1]["done"] as? Bool == true)
            #expect(try await volunteer.get("/api/digital/buddy").status == .ok)
        }
    }

    @Test func aVolunteerTakesTheCourseOnThePagesWithoutJavaScript() async throws {
        try await withApp { app, client in
            let volunteer = try await Self.staff(client, "volunteer1@demo.invalid")
            #expect(try await volunteer.get("/console").text.contains(#"href="/digital/buddy/course""#))
            let course = try await volunteer.get("/digital/buddy/course")
            #expect(course.text.contains("Done: 1 of 2 parts.") && !course.text.contains("Edit the course"))
            let second = try #require(try await Self.modules(volunteer).last?["id"] as? String)
            let page = try await volunteer.get("/digital/buddy/course/\(second)")
            #expect(
                page.text.contains("Pankki tai poliisi ei koskaan kysy tunnuksia") && page.text.contains("https://www.kyberturvallisuuskeskus.fi"))
            let firstWrong = try await volunteer.post("/digital/buddy/course/\(second)", [("q1", "0"), ("q2", "1")])
            #expect(firstWrong.status == .ok && firstWrong.text.contains("Look again at these questions: 1."))
            // One unanswered, one wrong: both to look at again, the choice kept.
            let wrong = try await volunteer.post("/digital/buddy/course/\(second)", [("q1", "1")])
            #expect(wrong.status == .ok && wrong.text.contains("Look again at these questions: 2."))
            #expect(wrong.text.contains(#"id="q1-2" name="q1" value="1" checked"#))
            let right = try await volunteer.post("/digital/buddy/course/\(second)", [("q1", "1"), ("q2", "1")])
            #expect(right.status == .seeOther && right.location == "/digital/buddy/course/\(second)?passed=1#result")
            let done = try await volunteer.get("/digital/buddy/course/\(second)?passed=1")
            #expect(done.text.contains("You finished the course. You are now a buddy."))
            #expect(try await volunteer.get("/digital/buddy").status == .ok)
            _ = app
        }
    }

    // MARK: assigning

    @Test func onlyATrainedBuddyOfTheOrganisationGetsClientsAndSeesOnlyTheirOwn() async throws {
        try await withApp { app, client in
            let volunteer = try await Self.staff(client, "volunteer1@demo.invalid")
            let worker = try await Self.staff(client, "worker2@demo.invalid")
            let buddy = try await ReachoutAPITests.staffID(app, "volunteer1@demo.invalid")
            for nickname in ["kaveriasiakas", "toinenasiakas"] {
                _ = try await app.accounts.members.makeDemoMember(nickname: nickname, passwordHash: "x")
            }
            func assign(_ b: Browser, _ nickname: String, buddy id: String = buddy) async throws -> TestResponse {
                try await b.json(.post, "/api/digital/buddy/assignments", Self.body(["buddy": id, "nickname": nickname]))
            }
            Self.refused(try await assign(worker, "kaveriasiakas"), .conflict, "buddy_not_trained")
            #expect(try await worker.post("/digital/buddies/assignments", [("buddy", buddy), ("nickname", "kaveriasiakas")]).status == .conflict)
            try await Self.finishCourse(volunteer)

            Self.refused(try await assign(volunteer, "kaveriasiakas"), .forbidden, "buddy_not_allowed")
            Self.refused(try await volunteer.get("/api/digital/buddy/assignments"), .forbidden, "buddy_not_allowed")
            #expect(try await volunteer.get("/digital/buddies").status == .forbidden)
            // worker1 is of the other organisation: the volunteer is not their buddy to give.
            let stranger = try await Self.staff(client, "worker1@demo.invalid")
            Self.refused(try await assign(stranger, "kaveriasiakas"), .badRequest, "bad_buddy")
            Self.refused(try await assign(worker, "kaveriasiakas", buddy: UUID().uuidString), .badRequest, "bad_buddy")
            Self.refused(try await assign(worker, "ei-ketaan"), .notFound, "member_not_found")
            Self.refused(try await assign(worker, ""), .notFound, "member_not_found")

            let made = try await assign(worker, "kaveriasiakas")
            #expect(made.status == .created && Self.object(made)["nickname"] as? String == "kaveriasiakas")
            let id = try #require(Self.object(made)["id"] as? String)
            let again = try await assign(worker, "KaveriAsiakas")
            #expect(again.status == .ok && Self.object(again)["id"] as? String == id)
            let list = Self.object(try await worker.get("/api/digital/buddy/assignments"))
            #expect((list["buddies"] as? [[String: Any]])?.map { $0["workName"] as? String } == ["Vapaaehtoinen Ville"])
            #expect((list["assignments"] as? [[String: Any]])?.count == 1)
            #expect(try await worker.get("/digital/buddies").text.contains("kaveriasiakas"))

            // The client signs up to a session of the buddy's organisation and to the demo's one of the other.
            let member = try #require(try await app.digital.service.members.member(nickname: "kaveriasiakas"))
            let w2 = try await DigitalSupportTests.principal(app, "worker2@demo.invalid")
            var input = DigitalService.SessionInput()
            (input.title, input.municipality, input.place, input.seats, input.languages) = ("Kaverikahvit", "Oulu", "Kerho", 5, ["fi"])
            let own = try await app.digital.service.makeSession(w2, input)
            _ = try await app.digital.service.addMeeting(w2, session: own.id, .init(date: "2026-12-01", start: "10.00", end: "11.00"))
            _ = try await app.digital.service.signUp(member: member.id, session: own.id)
            let other = try await DigitalSupportTests.principal(app, "worker1@demo.invalid")
            let theirs = try #require(try await app.digital.service.sessions(other).first)
            _ = try await app.digital.service.signUp(member: member.id, session: theirs.id)

            let mine = Self.object(try await volunteer.get("/api/digital/buddy"))
            let clients = try #require(mine["clients"] as? [[String: Any]])
            #expect(clients.map { $0["nickname"] as? String } == ["kaveriasiakas"])
            #expect((clients[0]["sessions"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Kaverikahvit"])
            let page = try await volunteer.get("/digital/buddy").text
            #expect(page.contains("kaveriasiakas") && page.contains("Kaverikahvit, has a seat, Tuesday 1/12/2026 at 10:00–11:00"))
            #expect(!page.contains("toinenasiakas") && !page.contains("Älypuhelimen alkeet"))

            // The other organisation cannot take it off; the worker can, and the client is gone from the buddy's view.
            Self.refused(try await stranger.json(.delete, "/api/digital/buddy/assignments/\(id)", nil), .notFound, "not_found")
            #expect(try await worker.json(.delete, "/api/digital/buddy/assignments/\(id)", nil).status == .noContent)
            #expect((Self.object(try await volunteer.get("/api/digital/buddy"))["clients"] as? [Any])?.isEmpty == true)
            #expect(!(try await volunteer.get("/digital/buddy").text.contains("kaveriasiakas")))
            Self.refused(try await worker.json(.delete, "/api/digital/buddy/assignments/\(id)", nil), .notFound, "not_found")

            // On the page too: give, then take off the list.
            #expect(try await worker.post("/digital/buddies/assignments", [("buddy", buddy), ("nickname", "toinenasiakas")]).status == .seeOther)
            #expect(try await volunteer.get("/digital/buddy").text.contains("toinenasiakas"))
            let bad = try await worker.post("/digital/buddies/assignments", [("buddy", buddy), ("nickname", "ei-ketaan")])
            #expect(bad.status == .notFound && bad.text.contains("No registered client has this nickname."))
            let buddyID = try #require(UUID(uuidString: buddy))
            let stored = try #require(try await app.digital.buddies.repository.assignments(buddy: buddyID).first)
            #expect(try await worker.post("/digital/buddies/assignments/\(stored.id.text())/remove").status == .seeOther)
            #expect(!(try await volunteer.get("/digital/buddy").text.contains("toinenasiakas")))
        }
    }

    // MARK: writing the course

    static var module: [String: Any] {
        [
            "title": "Uusi osa", "text": "Ensimmäinen kappale.\n\nToinen kappale.",
            "links": [["title": "Ohje", "url": "https://example.org/ohje"]],
            "quiz": [["text": "Onko tämä selvä?", "options": ["Kyllä", "Ei"], "right": 0]],
        ]
    }

    @Test func onlyCoordinatorsWriteTheCourseAndAChangeKeepsTheRight() async throws {
        try await withApp { app, client in
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            let volunteer = try await Self.staff(client, "volunteer1@demo.invalid")
            let worker = try await Self.staff(client, "worker1@demo.invalid")
            var modules = try await Self.modules(coordinator)
            #expect(modules.count == 2 && (modules[0]["quiz"] as? [[String: Any]])?.first?["right"] as? Int == 0)
            func put(_ b: Browser, _ list: [[String: Any]]) async throws -> TestResponse {
                try await b.json(.put, "/api/digital/buddy/course", Self.body(["modules": list]))
            }
            func editable(_ m: [String: Any]) -> [String: Any] {
                var out = m.filter { ["id", "title", "text", "links", "quiz"].contains($0.key) }
                out["quiz"] = (m["quiz"] as? [[String: Any]])?.map { q in q.filter { ["text", "options", "right"].contains($0.key) } }
                return out
            }
            let kept = modules.map(editable)
            Self.refused(try await put(worker, kept), .forbidden, "course_not_allowed")
            Self.refused(try await put(volunteer, kept), .forbidden, "course_not_allowed")
            #expect(try await worker.get("/digital/buddy/modules/new").status == .forbidden)

            // The volunteer completes the course; then the first module changes and a third comes.
            try await Self.finishCourse(volunteer)
            var changed = kept
            changed[0]["text"] = "Uusi teksti ensimmäiseen osaan."
            let saved = try await put(coordinator, changed + [Self.module])
            #expect(saved.status == .ok, "\(saved.text)")
            modules = try await Self.modules(coordinator)
            #expect(modules.map { $0["version"] as? Int } == [2, 1, 1] && modules.map { $0["title"] as? String }.last == "Uusi osa")
            let seen = try await Self.modules(volunteer)
            #expect(seen.map { $0["done"] as? Bool } == [true, true, false] && seen.map { $0["changed"] as? Bool } == [true, false, false])
            // Still a buddy: the right stays.
            #expect(try await volunteer.get("/api/digital/buddy").status == .ok)
            #expect(try await volunteer.get("/digital/buddy/course").text.contains("The part has changed. Read it again."))
            // A module of the course removed: the rest keep their progress.
            #expect(try await put(coordinator, Array(modules.map(editable).dropFirst())).status == .ok)
            #expect(try await Self.modules(volunteer).map { $0["done"] as? Bool } == [true, false])
            _ = app
        }
    }

    @Test func eachBadFieldOfTheCourseAndTheAnswersHasItsCode() async throws {
        try await withApp { _, client in
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            func put(_ change: [String: Any]) async throws -> TestResponse {
                try await coordinator.json(.put, "/api/digital/buddy/course", Self.body(["modules": [Self.module.merging(change) { _, b in b }]]))
            }
            let q: (Any, [String], Int) -> [[String: Any]] = { text, options, right in [["text": text, "options": options, "right": right]] }
            for (change, code) in [
                (["title": ""], "bad_title"), (["title": String(repeating: "x", count: 121)], "bad_title"), (["title": "a\u{0007}b"], "bad_title"),
                (["text": " "], "bad_text"), (["text": String(repeating: "x", count: 8001)], "bad_text"),
                (["links": [["title": "Ohje", "url": "http://example.org/ohje"]]], "bad_link"),
                (["links": [["title": "", "url": "https://example.org/ohje"]]], "bad_link"),
                (["links": [["title": "Ohje", "url": "javascript:alert(1)"]]], "bad_link"),
                (["links": Array(repeating: ["title": "Ohje", "url": "https://example.org/ohje"], count: 11)], "bad_link"),
                (["quiz": [] as [Any]], "bad_quiz"), (["quiz": q("Kysymys?", ["Vain yksi"], 0)], "bad_quiz"),
                (["quiz": q("Kysymys?", ["A", "B"], 2)], "bad_quiz"), (["quiz": q("Kysymys?", ["A", "B"], -1)], "bad_quiz"),
                (["quiz": q("", ["A", "B"], 0)], "bad_quiz"), (["quiz": q("Kysymys?", ["A", "B", "C", "D", "E"], 0)], "bad_quiz"),
                (["quiz": Array(repeating: q("Kysymys?", ["A", "B"], 0)[0], count: 6)], "bad_quiz"),
                (["id": UUID().uuidString], "bad_course"), (["id": "not-a-uuid"], "bad_course"),
            ] as [([String: Any], String)] {
                Self.refused(try await put(change), .badRequest, code, "\(change)")
            }
            let many = Self.body(["modules": Array(repeating: Self.module, count: 21)])
            Self.refused(try await coordinator.json(.put, "/api/digital/buddy/course", many), .badRequest, "bad_course")
            Self.refused(try await coordinator.json(.put, "/api/digital/buddy/course", "{}"), .badRequest, "bad_json")
            // Nothing was saved by any of them.
            #expect(try await Self.modules(coordinator).count == 2)

            let first = try #require(try await Self.modules(coordinator).first?["id"] as? String)
            let answers = "/api/digital/buddy/course/modules/\(first)/answers"
            for body in [#"{"answers":[0]}"#, #"{"answers":[0,1,0]}"#, #"{"answers":[0,2]}"#, #"{"answers":[-1,1]}"#] {
                Self.refused(try await coordinator.json(.post, answers, body), .badRequest, "bad_answer", "\(body)")
            }
            Self.refused(
                try await coordinator.json(.post, "/api/digital/buddy/course/modules/\(UUID())/answers", #"{"answers":[0,1]}"#), .notFound,
                "not_found")
        }
    }

    @Test func aCoordinatorWritesAPartOnItsPageAndMovesAndRemovesIt() async throws {
        try await withApp { _, client in
            let coordinator = try await Self.staff(client, "coordinator@demo.invalid")
            #expect(try await coordinator.get("/digital/buddy/course").text.contains("Edit the course"))
            let bad = try await coordinator.post(
                "/digital/buddy/modules/new",
                [("title", ""), ("text", "Teksti."), ("links", "Ohje http://example.org"), ("q1", "Kysymys?"), ("q1-o1", "A")])
            #expect(bad.status == .badRequest && bad.text.contains("Write a title") && bad.text.contains("Write each link on its own line"))
            #expect(bad.text.contains("Write 1 to 5 questions") && bad.text.contains(#"value="Kysymys?""#))
            let made = try await coordinator.post(
                "/digital/buddy/modules/new",
                [
                    ("title", "Kolmas osa"), ("text", "Teksti.\n\nToinen kappale."), ("links", "Ohje | https://example.org/ohje"), ("q1", "Kysymys?"),
                    ("q1-o1", "A"), ("q1-o2", ""), ("q1-o3", "C"), ("q1-right", "3"),
                ])
            let location = try #require(made.location)
            #expect(made.status == .seeOther && location.hasSuffix("?saved=1"))
            var modules = try await Self.modules(coordinator)
            #expect(modules.map { $0["title"] as? String } == ["Näin autat toista", "Turvallisuus ja huijaukset", "Kolmas osa"])
            let quiz = try #require((modules[2]["quiz"] as? [[String: Any]])?.first)
            #expect(quiz["options"] as? [String] == ["A", "C"] && quiz["right"] as? Int == 1)
            let form = try await coordinator.get(location)
            #expect(form.text.contains("Saved.") && form.text.contains("Ohje | https://example.org/ohje"))
            let id = try #require(modules[2]["id"] as? String)
            #expect(try await coordinator.post("/digital/buddy/modules/\(id)/move", [("direction", "up")]).status == .seeOther)
            modules = try await Self.modules(coordinator)
            #expect(modules.map { $0["title"] as? String } == ["Näin autat toista", "Kolmas osa", "Turvallisuus ja huijaukset"])
            #expect(try await coordinator.post("/digital/buddy/modules/\(id)/delete").status == .seeOther)
            #expect(try await Self.modules(coordinator).count == 2)
        }
    }

    // MARK: what a buddy sees, and the client's own data

    /// What a buddy sees comes from the real parts: the worker maps the
    /// client and sets goals (the needs mapping), the client books a time
    /// of the organisation (digital appointments). A done goal, a cancelled
    /// time and another organisation's goal stay out of the buddy's view.
    @Test func aBuddySeesTheGoalsAndAppointmentsOfTheirClientsAndTheClientsDataHasTheBuddy() async throws {
        try await withApp { app, client in
            let volunteer = try await Self.staff(client, "volunteer1@demo.invalid")
            try await Self.finishCourse(volunteer)
            let worker = try await DigitalSupportTests.principal(app, "worker2@demo.invalid")
            let buddy = try await DigitalSupportTests.principal(app, "volunteer1@demo.invalid")
            let (member, _) = try await app.accounts.members.makeDemoMember(nickname: "tavoitteellinen", passwordHash: "x")
            _ = try await app.digital.buddies.assign(worker, buddy: buddy.staffID, nickname: "tavoitteellinen")
            let service = app.digital.buddies
            #expect(try await service.myClients(buddy).clients.allSatisfy { $0.goals.isEmpty && $0.appointments.isEmpty })

            let digital = app.digital.service
            let answers = Dictionary(uniqueKeysWithValues: MappingDefaults.questions.map { ($0.id, "1") })
            _ = try await digital.makeMapping(worker, member: member, answers: answers)
            _ = try await digital.addGoal(worker, member: member, theme: "messaging", text: "Osaan lähettää kuvan")
            let done = try await digital.addGoal(worker, member: member, theme: "safety", text: "Tunnistan huijauksen")
            try await digital.setGoal(worker, member: member, goal: done.id, done: true)
            // Another organisation's worker keeps a goal of the same client: not this buddy's to see.
            let other = try await DigitalSupportTests.principal(app, "worker1@demo.invalid")
            _ = try await digital.makeMapping(other, member: member, answers: answers)
            _ = try await digital.addGoal(other, member: member, theme: "content", text: "Muun järjestön tavoite")
            let start = (app.clock.nowMs / 60_000 + 3 * 24 * 60) * 60_000
            let slot = try await digital.addSlot(worker, startMs: start, minutes: 45, place: "Kirjasto, 2. krs")
            let cancelled = try await digital.addSlot(worker, startMs: start + 86_400_000, minutes: 30, place: "Puhelu")
            _ = try await digital.book(member, organisation: worker.organisationID, slot: slot.id)
            let gone = try await digital.book(member, organisation: worker.organisationID, slot: cancelled.id)
            _ = try await digital.booking.cancel(appointment: gone.id, by: .guest(member), now: app.clock.now)

            let seen = try await service.myClients(buddy).clients
            #expect(seen.count == 1)
            #expect(seen.first?.goals == [BuddyGoal(text: "Osaan lähettää kuvan", theme: .messaging)])
            #expect(seen.first?.appointments == [BuddyAppointment(startMs: start, endMs: start + 45 * 60_000, place: "Kirjasto, 2. krs")])
            let page = try await volunteer.get("/digital/buddy")
            #expect(page.text.contains("Osaan lähettää kuvan") && page.text.contains("Kirjasto, 2. krs"))
            #expect(!page.text.contains("Tunnistan huijauksen") && !page.text.contains("Muun järjestön tavoite") && !page.text.contains("Puhelu"))

            let data = String(decoding: try await app.digital.buddyMemberData.export(member: member, language: .fi), as: UTF8.self)
            #expect(data.contains("Vapaaehtoinen Ville"))
            try await app.digital.buddyMemberData.erase(member: member)
            #expect(try await service.repository.assignments(member: member).isEmpty)
            #expect(try await service.myClients(buddy).clients.isEmpty)
        }
    }

    /// Every route of the buddy API is in docs/openapi.yaml, under the DigitalBuddies tag.
    @Test func everyRouteIsDescribed() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        try await withApp(demo: false) { app, _ in
            let routes = app.router().routes.filter { "\($0.path)".hasPrefix("/api/digital/buddy") }
            #expect(routes.count == 7)
            for route in routes {
                let path = "\(route.path)"
                guard let start = text.range(of: "\n  \(path):\n") else {
                    Issue.record("\(path) is not in docs/openapi.yaml")
                    continue
                }
                let rest = text[text.index(before: start.upperBound)...]
                let block = rest[..<(rest.range(of: "\n  /")?.lowerBound ?? rest.endIndex)]
                #expect(block.contains("\n    \(route.method.rawValue.lowercased()):\n"), "\(route.method) \(path) is not described")
                #expect(block.contains("tags: [DigitalBuddies]"), "\(path) is not under the DigitalBuddies tag")
            }
        }
    }
}
