import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// The coordinators' view: figures without contents, and a transcript only
/// with a reason that goes to the audit log.
@Suite struct SupervisorTests {
    @Test func overviewShowsQueueAndWorkersButNoMessages() async throws {
        try await withApp { app, client in
            let started = try await Browser(client).json(.post, "/api/support/tukichat/chats", #"{"nickname":"Varis"}"#)
            let c = (try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as! [String: Any])["conversation"] as! String
            let w = Browser(client)
            _ = try await w.json(.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#)
            _ = try await w.json(.post, "/api/shifts", #"{"services":["tukichat"]}"#)
            _ = try await w.json(.post, "/api/support/chats/\(c)/take", nil)
            let id = UUID(uuidString: c)!
            let me = try await app.realtime.participants(id).first { $0.sender.role == .client }!.identity
            _ = try await app.realtime.post(
                conversation: id, clientID: UUID(), sender: me, from: Sender(name: "Varis", role: .client), body: "hyvin henkilökohtainen asia")
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let page = try await coordinator.get("/console/supervisor")
            #expect(page.status == .ok)
            #expect(page.text.contains("Työntekijä 1: 1"))
            #expect(page.text.contains("Varis"))
            #expect(!page.text.contains("hyvin henkilökohtainen asia"))
            // Workers do not see it.
            #expect(try await w.get("/console/supervisor").status == .forbidden)
        }
    }

    @Test func transcriptNeedsAReasonAndIsLogged() async throws {
        try await withApp { app, client in
            let started = try await Browser(client).json(.post, "/api/support/tukichat/chats", nil)
            let c = (try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as! [String: Any])["conversation"] as! String
            let id = UUID(uuidString: c)!
            let me = try await app.realtime.participants(id).first!.identity
            _ = try await app.realtime.post(
                conversation: id, clientID: UUID(), sender: me, from: Sender(name: "A", role: .client), body: "tarvitsen apua")
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get("/console/transcripts/\(c)").status == .ok)
            let noReason = try await coordinator.post("/console/transcripts/\(c)", [("reason", "")])
            #expect(noReason.status == .badRequest)
            #expect(!noReason.text.contains("tarvitsen apua"))
            #expect(
                try await app.chat.audit.entries(organisations: [
                    try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
                ])
                .filter { $0.action == "transcript.open" }.isEmpty)
            let opened = try await coordinator.post("/console/transcripts/\(c)", [("reason", "Asiakas pyysi palautetta työntekijästä")])
            #expect(opened.status == .ok)
            #expect(opened.text.contains("tarvitsen apua"))
            let org = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            let log = try await app.chat.audit.entries(organisations: [org]).filter { $0.action == "transcript.open" }
            #expect(log.count == 1)
            #expect(log.first?.action == "transcript.open")
            #expect(log.first?.target == c)
            #expect(log.first?.reason == "Asiakas pyysi palautetta työntekijästä")
            #expect(log.first?.staffName == "Koordinaattori Anni")
            #expect(try await coordinator.get("/admin/audit").text.contains("Asiakas pyysi palautetta"))
            // Another network's coordinator cannot open it.
            let other = try await RolesTests.otherNetwork(app)
            _ = try await app.accounts.service.repository.updateStaff(
                id: other.staff.id, organisationID: other.org.id, role: .coordinator, active: true)
            let stranger = Browser(client)
            try await stranger.signIn("vieras@other.invalid")
            #expect(try await stranger.post("/console/transcripts/\(c)", [("reason", "uteliaisuus vain")]).status == .notFound)
        }
    }

    /// Closing ends the worker's access: the transcript and the notes are no
    /// longer theirs to fetch or sync; only the reasoned, audited path reads it.
    @Test func closedChatIsNoLongerTheWorkersToReadAgain() async throws {
        try await withLiveApp { app, client, port in
            let pair = try await ChatPair.open(client)
            let id = UUID(uuidString: pair.conversation)!
            let notes = try await app.chat.service.repository.chat(id)!.notes!
            let me = try await app.realtime.participants(id).first { $0.sender.role == .client }!.identity
            _ = try await app.realtime.post(
                conversation: id, clientID: UUID(), sender: me, from: Sender(name: "Mansikka", role: .client), body: "kerron vain sinulle")
            let fetch = { (c: UUID) in
                try await client.execute(uri: "/api/conversations/\(c.uuidString)/messages", method: .get, headers: [.cookie: pair.workerCookie])
            }
            // While the chat is the worker's, both read back.
            let before = try await fetch(id)
            #expect(before.status == .ok && before.text.contains("kerron vain sinulle"))
            #expect(try await fetch(notes).status == .ok)
            let close = try await client.execute(
                uri: "/api/support/chats/\(pair.conversation)/close", method: .post,
                headers: [.contentType: "application/json", .cookie: pair.workerCookie], body: ByteBuffer(string: "{}"))
            #expect(close.status == .noContent)
            for c in [id, notes] {
                let again = try await fetch(c)
                #expect(again.status == .notFound && !again.text.contains("kerron vain sinulle"))
                #expect(
                    try await app.realtime.participant(
                        .staff(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id), in: c) == nil)
            }
            let socket = TestSocket(port: port, cookie: pair.workerCookie)
            socket.send(#"{"t":"sync","c":"\#(pair.conversation)","after":0}"#)
            let refused = await socket.next("error")
            #expect(refused?["code"] as? String == "not_participant")
            #expect(!socket.skipped.contains { ($0["body"] as? String)?.contains("kerron vain sinulle") == true })
            socket.close()
            // A supervisor still reads it, with a reason, and that is logged.
            let coordinator = Browser(client)
            try await coordinator.signIn("coordinator@demo.invalid")
            let opened = try await coordinator.post("/console/transcripts/\(pair.conversation)", [("reason", "Asiakas pyysi tarkistusta")])
            #expect(opened.status == .ok && opened.text.contains("kerron vain sinulle"))
            let org = try await app.accounts.service.repository.staff(email: "coordinator@demo.invalid")!.organisationID
            #expect(
                try await app.chat.audit.entries(organisations: [org]).filter { $0.action == "transcript.open" && $0.target == pair.conversation }
                    .count == 1)
        }
    }

    @Test func coordinatorSetsHowManyChatsAWorkerTakes() async throws {
        try await withApp { app, client in
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let w1 = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            #expect(try await app.chat.service.repository.maxChats(staff: w1.id) == 3)
            #expect(try await coordinator.post("/console/supervisor/limits/\(w1.id)", [("max", "1")]).status == .seeOther)
            #expect(try await app.chat.service.repository.maxChats(staff: w1.id) == 1)
            #expect(try await coordinator.post("/console/supervisor/limits/\(w1.id)", [("max", "11")]).status == .badRequest)
            // worker2 is in Lähde ry, which this coordinator does not manage.
            let w2 = try await app.accounts.service.repository.staff(email: "worker2@demo.invalid")!
            #expect(try await coordinator.post("/console/supervisor/limits/\(w2.id)", [("max", "5")]).status == .notFound)
            // The limit holds: a second take is refused.
            let worker = Browser(client)
            _ = try await worker.json(.post, "/api/session", #"{"email":"worker1@demo.invalid","password":"\#(demoPassword)"}"#)
            _ = try await worker.json(.post, "/api/shifts", #"{"services":["tukichat"]}"#)
            var ids: [String] = []
            for _ in 0..<2 {
                let r = try await Browser(client).json(.post, "/api/support/tukichat/chats", nil)
                ids.append((try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as! [String: Any])["conversation"] as! String)
            }
            #expect(try await worker.json(.post, "/api/support/chats/\(ids[0])/take", nil).status == .ok)
            #expect(errorCode(try await worker.json(.post, "/api/support/chats/\(ids[1])/take", nil)) == "limit_reached")
        }
    }
}
