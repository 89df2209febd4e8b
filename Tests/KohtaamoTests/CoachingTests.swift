import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Coaching
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime

/// Coaching as any program would use it: the JSON entry points, on the
/// suite's database (SQLite, or PostgreSQL under scripts/pg-throwaway).
@Suite struct CoachingTests {
    static func object(_ r: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any]) ?? [:]
    }

    static func array(_ r: TestResponse) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [[String: Any]]) ?? []
    }

    /// A new registered client, signed in.
    static func member(_ client: any TestClientProtocol, _ nickname: String) async throws -> Browser {
        let b = Browser(client, language: "en")
        let made = try await b.post(
            "/account/new", [("nickname", nickname), ("password", "salasana-123"), ("repeat", "salasana-123"), ("email", "")])
        #expect(made.status == .seeOther && b.cookies["k_member"] != nil)
        return b
    }

    /// The demo's coaching service and its coach, signed in.
    static func coach(_ app: Kohtaamo, _ client: any TestClientProtocol) async throws -> (service: String, coach: Browser) {
        let info = try #require(try await app.network.directory.service(slug: "valmennus"))
        let coach = Browser(client, language: "en")
        try await coach.signIn("worker1@demo.invalid")
        return (info.id.uuidString.lowercased(), coach)
    }

    /// The coach invites, the person takes the code up: their coaching.
    static func invited(_ coach: Browser, _ service: String, _ person: Browser, group: String? = nil) async throws -> [String: Any] {
        let body = group.map { #"{"group":"\#($0)"}"# }
        let invitation = try await coach.json(.post, "/api/coaching/services/\(service)/invitations", body)
        #expect(invitation.status == .created)
        let code = try #require(Self.object(invitation)["code"] as? String)
        #expect(Self.object(invitation)["path"] as? String == "/coaching/join?code=\(code)")
        // The join page names the service the code invites to.
        #expect(try await person.get("/coaching/join?code=\(code)").text.contains("Coaching for young adults"))
        let joined = try await person.json(.post, "/api/my/coaching/join", #"{"code":"\#(code)"}"#)
        #expect(joined.status == .created, "\(joined.text)")
        // A code works once.
        let again = try await person.json(.post, "/api/my/coaching/join", #"{"code":"\#(code)"}"#)
        #expect(again.status == .badRequest && errorCode(again) == "invitation_invalid")
        #expect(!(try await person.get("/coaching/join?code=\(code)").text.contains("Coaching for young adults")))
        return Self.object(joined)
    }

    static func give(_ coach: Browser, _ service: String, _ body: String) async throws -> [String: Any] {
        let r = try await coach.json(.post, "/api/coaching/services/\(service)/tasks", body)
        #expect(r.status == .created, "\(r.text)")
        return try #require(Self.array(r).first)
    }

    @Test func aCoachInvitesAndTheCoacheeGoesThroughATextTaskWithASendBack() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let person = try await Self.member(client, "Valmennettava Kaksi")
            let coaching = try await Self.invited(coach, service, person)
            #expect(coaching["coach"] as? String == "Työntekijä 1" && coaching["status"] as? String == "active")
            let thread = try #require((coaching["conversation"] as? String).flatMap(UUID.init(uuidString:)))
            // The thread: coach under their work name, the coachee under their nickname; no one else.
            let people = try await app.realtime.participants(thread)
            #expect(Set(people.map(\.sender.name)) == ["Työntekijä 1", "Valmennettava Kaksi"])
            let mine = Self.array(try await person.get("/api/my/coaching"))
            #expect(mine.count == 1 && (mine.first?["service"] as? [String: Any])?["slug"] as? String == "valmennus")
            let member = try #require(
                Self.array(try await coach.get("/api/coaching/services/\(service)/coachees")).first {
                    $0["nickname"] as? String == "Valmennettava Kaksi"
                }?[
                    "member"] as? String)

            let task = try await Self.give(
                coach, service,
                #"{"coachee":"\#(member)","title":"Esittele itsesi","instructions":"Kerro kolme asiaa.\nKatso https://example.org","answerKind":"text"}"#
            )
            let id = try #require(task["id"] as? String)
            #expect(task["status"] as? String == "open" && task["due"] is NSNull && task["answer"] is NSNull)
            // Feedback before an answer: the task is not waiting for it.
            let early = try await coach.json(.post, "/api/coaching/tasks/\(id)/feedback", #"{"accept":true}"#)
            #expect(early.status == .conflict && errorCode(early) == "wrong_state")
            // A text task needs words.
            let empty = try await person.json(.post, "/api/coaching/tasks/\(id)/answer", #"{"text":"  "}"#)
            #expect(empty.status == .badRequest && errorCode(empty) == "bad_answer")
            let answered = Self.object(try await person.json(.post, "/api/coaching/tasks/\(id)/answer", #"{"text":"Pidän kävelystä."}"#))
            #expect(answered["status"] as? String == "answered")
            let twice = try await person.json(.post, "/api/coaching/tasks/\(id)/answer", #"{"text":"Uudestaan"}"#)
            #expect(twice.status == .conflict && errorCode(twice) == "wrong_state")
            // Sent back: feedback is then required.
            let bare = try await coach.json(.post, "/api/coaching/tasks/\(id)/feedback", #"{"accept":false}"#)
            #expect(bare.status == .badRequest && errorCode(bare) == "bad_feedback")
            let back = Self.object(
                try await coach.json(.post, "/api/coaching/tasks/\(id)/feedback", #"{"accept":false,"feedback":"Kerro vielä yksi asia."}"#))
            #expect(back["status"] as? String == "returned")
            _ = try await person.json(.post, "/api/coaching/tasks/\(id)/answer", #"{"text":"Pidän kävelystä ja kirjoista."}"#)
            let done = Self.object(try await coach.json(.post, "/api/coaching/tasks/\(id)/feedback", #"{"accept":true,"feedback":"Hienoa!"}"#))
            #expect(done["status"] as? String == "done")
            let history = try #require(done["history"] as? [[String: Any]])
            #expect(history.map { $0["kind"] as? String } == ["answered", "returned", "answered", "done"])
            #expect(history[1]["feedback"] as? String == "Kerro vielä yksi asia.")
            #expect((done["answer"] as? [String: Any])?["text"] as? String == "Pidän kävelystä ja kirjoista.")
            // The coachee reads it with the same answer.
            let seen = Self.object(try await person.get("/api/coaching/tasks/\(id)"))
            #expect(seen["status"] as? String == "done" && (seen["history"] as? [Any])?.count == 4)
        }
    }

    @Test func checklistFileAndDoneTasksTakeOnlyTheirKindOfAnswer() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let person = try await Self.member(client, "Listaaja")
            let coaching = try await Self.invited(coach, service, person)
            let thread = try #require((coaching["conversation"] as? String).flatMap(UUID.init(uuidString:)))
            let member = try #require(
                Self.array(try await coach.get("/api/coaching/services/\(service)/coachees")).first { $0["nickname"] as? String == "Listaaja" }?[
                    "member"]
                    as? String)

            // A checklist needs steps; other kinds take none.
            let noSteps = try await coach.json(
                .post, "/api/coaching/services/\(service)/tasks", #"{"coachee":"\#(member)","title":"Lista","answerKind":"checklist"}"#)
            #expect(noSteps.status == .badRequest && errorCode(noSteps) == "bad_checklist")
            let list = try await Self.give(
                coach, service,
                #"{"coachee":"\#(member)","title":"Aamu","answerKind":"checklist","checklist":["Herää","Syö aamiainen","Lähde ulos"]}"#)
            let listID = try #require(list["id"] as? String)
            let outOfRange = try await person.json(.post, "/api/coaching/tasks/\(listID)/answer", #"{"checked":[0,3]}"#)
            #expect(outOfRange.status == .badRequest && errorCode(outOfRange) == "bad_answer")
            let ticked = Self.object(try await person.json(.post, "/api/coaching/tasks/\(listID)/answer", #"{"checked":[2,0,0]}"#))
            #expect((ticked["answer"] as? [String: Any])?["checked"] as? [Int] == [0, 2])

            let doneTask = try await Self.give(coach, service, #"{"coachee":"\#(member)","title":"Käy kirjastossa","answerKind":"done"}"#)
            let doneID = try #require(doneTask["id"] as? String)
            let withTicks = try await person.json(.post, "/api/coaching/tasks/\(doneID)/answer", #"{"checked":[0]}"#)
            #expect(withTicks.status == .badRequest)
            let marked = try await person.json(.post, "/api/coaching/tasks/\(doneID)/answer", nil)
            #expect(marked.status == .badRequest && errorCode(marked) == "bad_json")
            #expect(Self.object(try await person.json(.post, "/api/coaching/tasks/\(doneID)/answer", "{}"))["status"] as? String == "answered")

            // A file task takes a file of the coachee's own thread only.
            let fileTask = try await Self.give(coach, service, #"{"coachee":"\#(member)","title":"Kuva","answerKind":"file"}"#)
            let fileID = try #require(fileTask["id"] as? String)
            let noFile = try await person.json(.post, "/api/coaching/tasks/\(fileID)/answer", #"{"text":"tässä"}"#)
            #expect(noFile.status == .badRequest && errorCode(noFile) == "bad_answer")
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 32)
            let elsewhere = try await app.realtime.createConversation(kind: .coaching, participants: [])
            let foreign = try await app.realtime.files.save(
                conversation: elsewhere, name: "muu.png", kind: .png, bytes: Data(png), uploader: .client(UUID()))
            let stolen = try await person.json(.post, "/api/coaching/tasks/\(fileID)/answer", #"{"file":"\#(foreign.id.uuidString)"}"#)
            #expect(stolen.status == .badRequest && errorCode(stolen) == "bad_answer")
            let own = try await app.realtime.files.save(
                conversation: thread, name: "oma kuva.png", kind: .png, bytes: Data(png), uploader: .client(UUID(uuidString: member)!))
            let sent = Self.object(try await person.json(.post, "/api/coaching/tasks/\(fileID)/answer", #"{"file":"\#(own.id.uuidString)"}"#))
            #expect((sent["answer"] as? [String: Any])?["fileName"] as? String == "oma kuva.png")
        }
    }

    @Test func aTaskIsLateAfterItsDueTimeAndProgressCountsIt() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let person = try await Self.member(client, "Myöhästyjä")
            _ = try await Self.invited(coach, service, person)
            let member = try #require(
                Self.array(try await coach.get("/api/coaching/services/\(service)/coachees")).first { $0["nickname"] as? String == "Myöhästyjä" }?[
                    "member"] as? String)
            let past = try await coach.json(
                .post, "/api/coaching/services/\(service)/tasks",
                #"{"coachee":"\#(member)","title":"Vanha","answerKind":"done","due":"2020-01-01T10:00:00Z"}"#)
            #expect(past.status == .badRequest && errorCode(past) == "bad_due")
            let due = ServerFrame.timestamp(app.clock.nowMs + 86_400_000)
            let task = try await Self.give(coach, service, #"{"coachee":"\#(member)","title":"Huomenna","answerKind":"done","due":"\#(due)"}"#)
            #expect(task["late"] as? Bool == false)
            app.clock.advance(by: 2 * 86_400)
            let list = Self.object(try await person.get("/api/coaching/services/\(service)/coachees/\(member)/tasks"))
            #expect((list["tasks"] as? [[String: Any]])?.first?["late"] as? Bool == true)
            let progress = try #require(list["progress"] as? [String: Any])
            #expect(progress["open"] as? Int == 1 && progress["late"] as? Int == 1 && progress["done"] as? Int == 0)
            #expect((progress["weeks"] as? [[String: Any]])?.first?["given"] as? Int == 1)
            // Answered, it is no longer late.
            _ = try await person.json(.post, "/api/coaching/tasks/\(task["id"] as! String)/answer", "{}")
            let after = Self.object(try await person.get("/api/coaching/services/\(service)/coachees/\(member)/tasks"))
            #expect((after["progress"] as? [String: Any])?["late"] as? Int == 0)
        }
    }

    @Test func aGroupTaskGoesToEveryMemberAndOthersSeeNothing() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let made = try await coach.json(.post, "/api/coaching/services/\(service)/groups", #"{"name":"Torstairyhmä"}"#)
            #expect(made.status == .created)
            let group = try #require(Self.object(made)["id"] as? String)
            let a = try await Self.member(client, "Ryhmäläinen A")
            let b = try await Self.member(client, "Ryhmäläinen B")
            _ = try await Self.invited(coach, service, a, group: group)
            _ = try await Self.invited(coach, service, b)
            let coachees = Self.array(try await coach.get("/api/coaching/services/\(service)/coachees"))
            let bID = try #require(coachees.first { $0["nickname"] as? String == "Ryhmäläinen B" }?["member"] as? String)
            let added = Self.object(try await coach.json(.post, "/api/coaching/groups/\(group)/members", #"{"member":"\#(bID)"}"#))
            #expect((added["members"] as? [String])?.count == 2)
            let tasks = try await coach.json(
                .post, "/api/coaching/services/\(service)/tasks", #"{"group":"\#(group)","title":"Ryhmän tehtävä","answerKind":"text"}"#)
            #expect(Self.array(tasks).count == 2 && Set(Self.array(tasks).compactMap { $0["groupTask"] as? String }).count == 1)
            let aTask = try #require(Self.array(tasks).first { $0["coachee"] as? String != bID }?["id"] as? String)
            // B cannot read or answer A's copy; a stranger sees nothing at all.
            #expect(try await b.get("/api/coaching/tasks/\(aTask)").status == .notFound)
            #expect(try await b.json(.post, "/api/coaching/tasks/\(aTask)/answer", #"{"text":"minä"}"#).status == .notFound)
            let stranger = try await Self.member(client, "Ulkopuolinen")
            #expect(Self.array(try await stranger.get("/api/my/coaching")).isEmpty)
            #expect(try await stranger.get("/api/coaching/services/\(service)/coachees/\(bID)/tasks").status == .notFound)
            // A worker who is not a coach of the service: refused.
            let other = Browser(client, language: "en")
            try await other.signIn("worker2@demo.invalid")
            let refused = try await other.get("/api/coaching/services/\(service)/coachees")
            #expect(refused.status == .forbidden && errorCode(refused) == "not_coach")
            #expect(try await other.get("/api/coaching/tasks/\(aTask)").status == .notFound)
            // The group's thread has the coach and both coachees.
            let thread = try #require((Self.object(made)["conversation"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(try await app.realtime.participants(thread).count == 3)
        }
    }

    @Test func theCoordinatorNamesCoachesFromTheirOwnStaffOnly() async throws {
        try await withApp { app, client in
            let (service, _) = try await Self.coach(app, client)
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let settings = Self.object(try await coordinator.get("/api/coaching/services/\(service)/settings"))
            let candidates = try #require(settings["candidates"] as? [[String: Any]])
            let worker1 = try #require(candidates.first { $0["workName"] as? String == "Työntekijä 1" }?["id"] as? String)
            #expect(settings["coaches"] as? [String] == [worker1] && settings["changeLimitHours"] as? Int == 24)
            // Worker 2 is of the other organisation.
            let worker2 = try #require(try await app.accounts.service.repository.staff(email: "worker2@demo.invalid")).id.uuidString
            let foreign = try await coordinator.json(
                .put, "/api/coaching/services/\(service)/settings",
                #"{"coaches":["\#(worker2)"],"changeLimitHours":12,"fileMaxBytes":1048576,"fileTypes":["pdf"]}"#)
            #expect(foreign.status == .badRequest && errorCode(foreign) == "bad_coach")
            let tooBig = try await coordinator.json(
                .put, "/api/coaching/services/\(service)/settings",
                #"{"coaches":["\#(worker1)"],"changeLimitHours":12,"fileMaxBytes":104857600,"fileTypes":["pdf"]}"#)
            #expect(tooBig.status == .badRequest && errorCode(tooBig) == "bad_settings")
            let saved = Self.object(
                try await coordinator.json(
                    .put, "/api/coaching/services/\(service)/settings",
                    #"{"coaches":["\#(worker1)"],"changeLimitHours":12,"fileMaxBytes":1048576,"fileTypes":["pdf","image"]}"#))
            #expect(saved["changeLimitHours"] as? Int == 12 && saved["fileTypes"] as? [String] == ["image", "pdf"])
            // A worker is not the coordinator.
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            #expect(try await worker.get("/api/coaching/services/\(service)/settings").status == .forbidden)
        }
    }

    @Test func theCoacheesDownloadHasTheirCoachingAndErasureTakesIt() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let person = try await Self.member(client, "Poistuja")
            let coaching = try await Self.invited(coach, service, person)
            let thread = try #require((coaching["conversation"] as? String).flatMap(UUID.init(uuidString:)))
            let member = try #require(
                Self.array(try await coach.get("/api/coaching/services/\(service)/coachees")).first { $0["nickname"] as? String == "Poistuja" }?[
                    "member"]
                    as? String)
            let task = try await Self.give(coach, service, #"{"coachee":"\#(member)","title":"Oma tavoite","answerKind":"text"}"#)
            _ = try await person.json(.post, "/api/coaching/tasks/\(task["id"] as! String)/answer", #"{"text":"Haluan oppia uimaan."}"#)
            let download = try await person.get("/account/data")
            #expect(download.text.contains("Haluan oppia uimaan.") && download.text.contains("Oma tavoite"))
            let erased = try await person.post("/account/erase", [("confirm", "1"), ("password", "salasana-123")])
            #expect(erased.status == .seeOther || erased.status == .ok)
            #expect(try await app.coaching.service.repository.tasks(member: UUID(uuidString: member)!).isEmpty)
            #expect(try await app.coaching.service.repository.coachings(member: UUID(uuidString: member)!).isEmpty)
            #expect(try await app.realtime.participants(thread).isEmpty)
            #expect(
                Self.array(try await coach.get("/api/coaching/services/\(service)/coachees")).allSatisfy { $0["nickname"] as? String != "Poistuja" })
        }
    }

    @Test func twoCoacheesRaceForTheLastTimeAndTheInvitationFollowsTheAppointment() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let a = try await Self.member(client, "Varaaja A")
            let b = try await Self.member(client, "Varaaja B")
            _ = try await Self.invited(coach, service, a)
            _ = try await Self.invited(coach, service, b)
            let start = ServerFrame.timestamp(app.clock.nowMs + 3 * 86_400_000)
            let later = ServerFrame.timestamp(app.clock.nowMs + 4 * 86_400_000)
            let made = try await coach.json(.post, "/api/coaching/services/\(service)/slots", #"{"start":"\#(start)","minutes":45}"#)
            #expect(made.status == .created, "\(made.text)")
            let slot = try #require(Self.object(made)["id"] as? String)
            let other = try #require(
                Self.object(try await coach.json(.post, "/api/coaching/services/\(service)/slots", #"{"start":"\#(later)","minutes":45}"#))["id"]
                    as? String)
            let overlapping = try await coach.json(.post, "/api/coaching/services/\(service)/slots", #"{"start":"\#(start)","minutes":30}"#)
            #expect(overlapping.status == .conflict && errorCode(overlapping) == "slot_overlaps")
            #expect(Self.array(try await a.get("/api/coaching/services/\(service)/slots")).contains { $0["id"] as? String == slot })

            // Both book the same time at once: one gets it, the other is told.
            async let first = a.json(.post, "/api/coaching/services/\(service)/appointments", #"{"slot":"\#(slot)"}"#)
            async let second = b.json(.post, "/api/coaching/services/\(service)/appointments", #"{"slot":"\#(slot)"}"#)
            let results = try await [first, second]
            #expect(results.filter { $0.status == .created }.count == 1)
            let loser = try #require(results.first { $0.status != .created })
            #expect(loser.status == .conflict && errorCode(loser) == "slot_taken")
            let (winner, winnerResponse) = results[0].status == .created ? (a, results[0]) : (b, results[1])
            let appointment = try #require(Self.object(winnerResponse)["id"] as? String)
            #expect(!Self.array(try await b.get("/api/coaching/services/\(service)/slots")).contains { $0["id"] as? String == slot })
            let coachView = Self.array(try await coach.get("/api/coaching/services/\(service)/slots"))
            #expect(coachView.first { $0["id"] as? String == slot }?["appointment"] as? String == appointment)

            // The invitation: a request; moved, the same UID with a higher sequence; cancelled, a cancel.
            let ics = try await winner.get("/api/coaching/appointments/\(appointment)/invitation.ics")
            #expect(ics.status == .ok && (ics.headers[.contentType] ?? "").hasPrefix("text/calendar"))
            #expect(ics.text.contains("METHOD:REQUEST") && ics.text.contains("SEQUENCE:0") && ics.text.contains("UID:\(appointment)@kohtaamo"))
            #expect(ics.text.contains("ORGANIZER;CN=Työntekijä 1"))
            let moved = try await winner.json(.post, "/api/coaching/appointments/\(appointment)/move", #"{"slot":"\#(other)"}"#)
            #expect(moved.status == .ok && Self.object(moved)["sequence"] as? Int == 1 && Self.object(moved)["id"] as? String == appointment)
            let update = try await coach.get("/api/coaching/appointments/\(appointment)/invitation.ics").text
            #expect(update.contains("UID:\(appointment)@kohtaamo") && update.contains("SEQUENCE:1") && update.contains("METHOD:REQUEST"))
            // The first time is free again; a stranger cannot read the invitation.
            #expect(Self.array(try await winner.get("/api/coaching/services/\(service)/slots")).contains { $0["id"] as? String == slot })
            #expect(try await Self.member(client, "Vieras").get("/api/coaching/appointments/\(appointment)/invitation.ics").status == .notFound)

            // Past the limit (24 h before) the coachee can no longer move or cancel; the coach can cancel.
            app.clock.advance(by: 3 * 86_400 + 12 * 3600)
            let late = try await winner.json(.post, "/api/coaching/appointments/\(appointment)/cancel", nil)
            #expect(late.status == .conflict && errorCode(late) == "booking_too_late")
            let lateMove = try await winner.json(.post, "/api/coaching/appointments/\(appointment)/move", #"{"slot":"\#(slot)"}"#)
            #expect(lateMove.status == .conflict)
            // (The coach's sign-in of three days ago has run out.)
            try await coach.signIn("worker1@demo.invalid")
            // Marking before the start is refused.
            let early = try await coach.json(.post, "/api/coaching/appointments/\(appointment)/attendance", #"{"attended":false}"#)
            #expect(early.status == .conflict && errorCode(early) == "not_started")
            let cancelled = try await coach.json(.post, "/api/coaching/appointments/\(appointment)/cancel", nil)
            #expect(cancelled.status == .ok && Self.object(cancelled)["status"] as? String == "cancelled")
            let cancel = try await winner.get("/api/coaching/appointments/\(appointment)/invitation.ics").text
            #expect(cancel.contains("METHOD:CANCEL") && cancel.contains("SEQUENCE:2") && cancel.contains("UID:\(appointment)@kohtaamo"))
        }
    }

    @Test func theCoachMarksANoShowOnceTheTimeHasBegun() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let person = try await Self.member(client, "Poissaolija")
            _ = try await Self.invited(coach, service, person)
            let start = ServerFrame.timestamp(app.clock.nowMs + 2 * 3_600_000)
            let slot = try #require(
                Self.object(try await coach.json(.post, "/api/coaching/services/\(service)/slots", #"{"start":"\#(start)","minutes":30}"#))["id"]
                    as? String)
            let booked = try await person.json(.post, "/api/coaching/services/\(service)/appointments", #"{"slot":"\#(slot)"}"#)
            let appointment = try #require(Self.object(booked)["id"] as? String)
            // Within a day: both pages remind of it.
            #expect(
                try await app.coaching.service.upcoming(
                    .staff(try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")).id)
                ).count == 1)
            app.clock.advance(by: 2 * 3600 + 60)
            let marked = try await coach.json(.post, "/api/coaching/appointments/\(appointment)/attendance", #"{"attended":false}"#)
            #expect(marked.status == .ok && Self.object(marked)["status"] as? String == "no_show")
            let mine = Self.array(try await person.get("/api/coaching/services/\(service)/appointments"))
            #expect(mine.first?["status"] as? String == "no_show")
        }
    }

    @Test func eitherSideOfAThreadMayCallAndOutsidersCannot() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let person = try await Self.member(client, "Soittaja")
            let coaching = try await Self.invited(coach, service, person)
            let thread = try #require(coaching["conversation"] as? String)
            // The coachee calls the coach (in a support chat only the worker may).
            let started = try await person.json(.post, "/api/calls", #"{"conversation":"\#(thread)","media":"audio"}"#)
            #expect(started.status == .created, "\(started.text)")
            #expect(Self.object(started)["kind"] as? String == "pair")
            let stranger = try await Self.member(client, "Sivullinen")
            let refused = try await stranger.json(.post, "/api/calls", #"{"conversation":"\#(thread)","media":"audio"}"#)
            #expect(refused.status == .forbidden && errorCode(refused) == "not_participant")
        }
    }

    @Test func filesInAThreadAreTypedByTheirBytesAndStayWithinTheThread() async throws {
        try await withApp { app, client in
            let (service, coach) = try await Self.coach(app, client)
            let person = try await Self.member(client, "Tiedostoja")
            let coaching = try await Self.invited(coach, service, person)
            let thread = try #require(coaching["conversation"] as? String)
            func upload(_ b: Browser, _ name: String, _ bytes: [UInt8], share: Bool = false) async throws -> TestResponse {
                let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                return try await b.client.execute(
                    uri: "/api/coaching/files?c=\(thread)&name=\(encoded)\(share ? "&share=true" : "")", method: .post,
                    headers: [.cookie: b.cookieLine, .contentType: "application/octet-stream"], body: ByteBuffer(bytes: bytes))
            }
            // A web page named as a PDF: refused, by what its bytes are.
            let html = Array("<!DOCTYPE html><html><script>alert(1)</script></html>".utf8)
            let fake = try await upload(person, "todistus.pdf", html)
            #expect(fake.status == .unsupportedMediaType && errorCode(fake) == "file_type_not_allowed")
            #expect(errorCode(try await upload(person, "tyhjä.pdf", [])) == "file_empty")
            let pdf = Array("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".utf8)
            let sent = try await upload(person, "Todistus <b>.pdf", pdf, share: true)
            #expect(sent.status == .created, "\(sent.text)")
            let file = Self.object(sent)
            #expect(file["type"] as? String == "application/pdf" && file["name"] as? String == "Todistus <b>.pdf")
            // Shared: a line in the thread names it for the coach.
            let messages = try await app.realtime.messages(conversation: UUID(uuidString: thread)!, after: 0, limit: 10)
            #expect(messages.last?.body.contains("Todistus <b>.pdf") == true)
            // The coach downloads it as a file, never as a page.
            let path = try #require(file["path"] as? String)
            let download = try await coach.get(path)
            #expect(download.status == .ok && Array(download.body.readableBytesView) == pdf)
            #expect((download.headers[.contentDisposition] ?? "").hasPrefix("attachment"))
            #expect(download.headers[.contentSecurityPolicy] == "default-src 'none'; sandbox")
            #expect(Self.array(try await coach.get("/api/coaching/files?c=\(thread)")).count == 1)
            // Someone outside the thread: nothing.
            let stranger = try await Self.member(client, "Urkkija")
            #expect(try await stranger.get(path).status == .notFound)
            #expect(try await upload(stranger, "x.pdf", pdf).status == .notFound)
            // The service's limit holds.
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let worker1 = try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")).id.uuidString
            let limited = try await coordinator.json(
                .put, "/api/coaching/services/\(service)/settings",
                #"{"coaches":["\#(worker1)"],"changeLimitHours":24,"fileMaxBytes":1024,"fileTypes":["image"]}"#)
            #expect(limited.status == .ok)
            let notImage = try await upload(person, "toinen.pdf", pdf)
            #expect(notImage.status == .unsupportedMediaType && errorCode(notImage) == "file_type_not_allowed")
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 2000)
            let big = try await upload(person, "iso.png", png)
            #expect(big.status == .contentTooLarge && errorCode(big) == "file_too_large")
        }
    }

    @Test func theCoordinatorsPageNamesCoachesAndKeepsWhatWasTypedWhenRefused() async throws {
        try await withApp { app, client in
            let coordinator = Browser(client, language: "fi")
            try await coordinator.signIn("coordinator@demo.invalid")
            let info = try #require(try await app.network.directory.service(slug: "valmennus"))
            let list = try await coordinator.get("/admin/coaching")
            #expect(list.status == .ok && list.text.contains("/admin/services/\(info.id.uuidString)/coaching"))
            let page = try await coordinator.get("/admin/services/\(info.id.uuidString)/coaching")
            #expect(page.status == .ok && page.text.contains("Työntekijä 1"))
            let worker1 = try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")).id.uuidString
            let bad = try await coordinator.post(
                "/admin/services/\(info.id.uuidString)/coaching",
                [("coaches", worker1), ("changeLimitHours", "kaksi"), ("fileMegabytes", "3"), ("fileTypes", "pdf")])
            #expect(bad.status == .badRequest && bad.text.contains("value=\"kaksi\"") && bad.text.contains("0–336"))
            let saved = try await coordinator.post(
                "/admin/services/\(info.id.uuidString)/coaching",
                [("coaches", worker1), ("changeLimitHours", "48"), ("fileMegabytes", "2,5"), ("fileTypes", "pdf"), ("fileTypes", "image")])
            #expect(saved.status == .seeOther)
            let s = try #require(try await app.coaching.service.repository.settings(service: info.id))
            #expect(s.changeLimitHours == 48 && s.fileMaxBytes == Int(2.5 * 1_048_576) && Set(s.fileGroups) == ["pdf", "image"])
            #expect(s.coaches.map(\.uuidString) == [worker1])
            // A worker is not a coordinator.
            let worker = Browser(client, language: "fi")
            try await worker.signIn("worker1@demo.invalid")
            #expect(try await worker.get("/admin/services/\(info.id.uuidString)/coaching").status == .forbidden)
        }
    }

    @Test func theDemoHasACoacheeWithATask() async throws {
        try await withApp { app, client in
            let person = Browser(client, language: "en")
            let signedIn = try await person.post("/account/signin", [("nickname", "valmennettava"), ("password", demoPassword)])
            #expect(signedIn.status == .seeOther)
            let mine = Self.array(try await person.get("/api/my/coaching"))
            let service = try #require((mine.first?["service"] as? [String: Any])?["id"] as? String)
            let coachees = try await app.coaching.service.repository.coachees(service: UUID(uuidString: service)!, coach: nil)
            let me = try #require(coachees.first { $0.nickname == "valmennettava" })
            let list = Self.object(try await person.get("/api/coaching/services/\(service)/coachees/\(me.member.uuidString)/tasks"))
            #expect((list["tasks"] as? [[String: Any]])?.first?["status"] as? String == "open")
        }
    }
}
