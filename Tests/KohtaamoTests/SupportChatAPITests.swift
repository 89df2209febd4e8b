import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// The support chat's HTTP entry points (PROTOCOL.md): start, shifts, queue,
/// take (one wins), close, messages, delete.
@Suite struct SupportChatAPITests {
    func start(_ b: Browser, _ service: String = "tukichat", nickname: String? = nil) async throws -> TestResponse {
        try await b.json(.post, "/api/support/\(service)/chats", nickname.map { #"{"nickname":\#(ServerFrame.string($0))}"# })
    }

    func conversation(_ r: TestResponse) -> String {
        (try! JSONSerialization.jsonObject(with: Data(r.text.utf8)) as! [String: Any])["conversation"] as! String
    }

    func worker(_ client: any TestClientProtocol, _ email: String, shift: [String] = ["tukichat"]) async throws -> Browser {
        let b = Browser(client, language: "en")
        #expect(try await b.json(.post, "/api/session", #"{"email":"\#(email)","password":"\#(demoPassword)"}"#).status == .noContent)
        if !shift.isEmpty {
            let list = shift.map { "\"\($0)\"" }.joined(separator: ",")
            #expect(try await b.json(.post, "/api/shifts", #"{"services":[\#(list)]}"#).status == .noContent)
        }
        return b
    }

    @Test func startGivesConversationPositionAndAnonymousCookie() async throws {
        try await withApp { _, client in
            let first = Browser(client)
            let r = try await start(first, nickname: "Kettu")
            #expect(r.status == .created)
            let cookie = r.headers[values: .setCookie].first { $0.hasPrefix("k_client=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Max-Age") && !cookie.contains("Expires"))  // gone when the browser closes
            let object = try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as! [String: Any]
            #expect(object["position"] as? Int == 1)
            #expect(UUID(uuidString: object["conversation"] as! String) != nil)
            #expect(try await start(Browser(client)).text.contains(#""position":2"#))
            // The same browser keeps its token.
            let again = try await start(first)
            #expect(again.headers[values: .setCookie].isEmpty)
        }
    }

    @Test func refusalsWhenClosedUnknownOrAbused() async throws {
        try await withApp { app, client in
            let b = Browser(client, language: "en")
            #expect(try await start(b, "no-such").status == .notFound)
            #expect(try await start(b, "digituki-kirjasto").status == .notFound)  // not a chat
            let long = try await start(b, nickname: String(repeating: "x", count: 31))
            #expect(long.status == .badRequest)
            #expect(errorCode(long) == "bad_nickname")
            for _ in 1...3 { #expect(try await start(b).status == .created) }
            let fourth = try await start(b)
            #expect(fourth.status == .tooManyRequests)
            #expect(errorCode(fourth) == "rate_limited")
            #expect(fourth.headers[.retryAfter] != nil)
            // Outside opening hours: 409 `closed`.
            let chat = try await app.network.repository.service(slug: "tukichat")!
            try await app.network.repository.replaceWeeklyHours(service: chat.id, [])
            let closed = try await start(Browser(client, language: "en"))
            #expect(closed.status == .conflict)
            #expect(errorCode(closed) == "closed")
        }
    }

    @Test func shiftsOnlyForServicesOfTheOrganisation() async throws {
        try await withApp { app, client in
            // worker2 is in Lähde ry, with which Aalto ry shares the chat.
            _ = try await worker(client, "worker2@demo.invalid")
            let b = try await worker(client, "worker1@demo.invalid", shift: [])
            #expect(errorCode(try await b.json(.post, "/api/shifts", #"{"services":["digituki-kirjasto"]}"#)) == "not_found")
            #expect(errorCode(try await b.json(.post, "/api/shifts", #"{"services":[]}"#)) == "bad_services")
            #expect(errorCode(try await b.get("/api/support/queue")) == "not_on_shift")
            let other = try await RolesTests.otherNetwork(app)
            let outsider = ServiceRecord(
                id: UUID(), organisationID: other.org.id, slug: "vieras-chat", kind: .supportChat,
                names: .init(fi: "Vieras chat", sv: "", en: ""), descriptions: .init(fi: "", sv: "", en: ""),
                languages: ["fi"], isPublic: true, sharedWith: [])
            _ = try await app.network.repository.saveService(outsider, at: app.clock.now)
            let refused = try await b.json(.post, "/api/shifts", #"{"services":["vieras-chat"]}"#)
            #expect(refused.status == .forbidden)
            #expect(errorCode(refused) == "not_your_service")
            #expect(try await Browser(client).json(.post, "/api/shifts", #"{"services":["tukichat"]}"#).status == .unauthorized)
        }
    }

    @Test func queueListsWaitingChatsInOrder() async throws {
        try await withApp { _, client in
            let a = conversation(try await start(Browser(client), nickname: "Eka"))
            let b = conversation(try await start(Browser(client), nickname: "Toka"))
            let w = try await worker(client, "worker1@demo.invalid")
            let queue = try JSONSerialization.jsonObject(with: Data(try await w.get("/api/support/queue").text.utf8)) as! [[String: Any]]
            #expect(queue.map { $0["conversation"] as! String } == [a, b])
            #expect(queue.map { $0["position"] as! Int } == [1, 2])
            #expect(queue.allSatisfy { $0["service"] as? String == "tukichat" && ($0["waitingSince"] as? String)?.hasSuffix("Z") == true })
        }
    }

    @Test func twoWorkersTakingAtOnceOneWinsTheOtherIsTold() async throws {
        try await withApp { _, client in
            let c = conversation(try await start(Browser(client)))
            let w1 = try await worker(client, "worker1@demo.invalid")
            let w2 = try await worker(client, "worker2@demo.invalid")
            async let r1 = w1.post("/api/support/chats/\(c)/take", [], csrf: false)
            async let r2 = w2.post("/api/support/chats/\(c)/take", [], csrf: false)
            let statuses = [try await r1.status, try await r2.status].map(\.code).sorted()
            #expect(statuses == [200, 409])
            let third = try await w2.post("/api/support/chats/\(c)/take", [], csrf: false)
            #expect(errorCode(third) == "taken")
            #expect(try await w1.get("/api/support/queue").text == "[]")
        }
    }

    @Test func aWorkerTakesUpToTheLimit() async throws {
        try await withApp { _, client in
            var chats: [String] = []
            for _ in 0..<4 { chats.append(conversation(try await start(Browser(client)))) }
            let w = try await worker(client, "worker1@demo.invalid")
            for c in chats.prefix(3) { #expect(try await w.json(.post, "/api/support/chats/\(c)/take", nil).status == .ok) }
            let fourth = try await w.json(.post, "/api/support/chats/\(chats[3])/take", nil)
            #expect(fourth.status == .conflict)
            #expect(errorCode(fourth) == "limit_reached")
            // Closing one frees a place.
            #expect(try await w.json(.post, "/api/support/chats/\(chats[0])/close", #"{"topics":[]}"#).status == .noContent)
            #expect(try await w.json(.post, "/api/support/chats/\(chats[3])/take", nil).status == .ok)
        }
    }

    @Test func twoTakesAtOnceByOneWorkerDoNotPassTheLimit() async throws {
        try await withApp { app, client in
            let w = try await worker(client, "worker1@demo.invalid")
            let me = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id
            try await app.chat.service.repository.setMaxChats(staff: me, 1)
            for _ in 0..<5 {
                let a = conversation(try await start(Browser(client))), b = conversation(try await start(Browser(client)))
                async let r1 = w.json(.post, "/api/support/chats/\(a)/take", nil)
                async let r2 = w.json(.post, "/api/support/chats/\(b)/take", nil)
                let answers = [try await r1, try await r2]
                #expect(answers.map(\.status.code).sorted() == [200, 409])
                #expect(answers.compactMap(errorCode) == ["limit_reached"])
                #expect(try await app.chat.service.repository.activeCount(worker: me) == 1)
                let taken = answers[0].status == .ok ? a : b
                #expect(try await w.json(.post, "/api/support/chats/\(taken)/close", nil).status == .noContent)
            }
        }
    }

    @Test func onlyTheWorkerInTheChatClosesIt() async throws {
        try await withApp { _, client in
            let c = conversation(try await start(Browser(client)))
            let w1 = try await worker(client, "worker1@demo.invalid")
            let w2 = try await worker(client, "worker2@demo.invalid")
            #expect(try await w1.json(.post, "/api/support/chats/\(c)/take", nil).status == .ok)
            #expect(try await w2.json(.post, "/api/support/chats/\(c)/close", "{}").status == .forbidden)
            #expect(errorCode(try await w1.json(.post, "/api/support/chats/\(c)/close", #"{"topics":["a,b"]}"#)) == "bad_topics")
            #expect(try await w1.json(.post, "/api/support/chats/\(c)/close", nil).status == .noContent)
            #expect(try await w1.json(.post, "/api/support/chats/\(c)/close", nil).status == .notFound)
        }
    }

    @Test func transferToAColleagueWithANoteOnlyStaffSee() async throws {
        try await withApp { app, client in
            let c = conversation(try await start(Browser(client)))
            let id = UUID(uuidString: c)!
            let w1 = try await worker(client, "worker1@demo.invalid")
            let w2 = try await worker(client, "worker2@demo.invalid")
            let taken =
                try JSONSerialization.jsonObject(with: Data(try await w1.json(.post, "/api/support/chats/\(c)/take", nil).text.utf8))
                as! [String: Any]
            let notes = try #require((taken["notes"] as? String).flatMap(UUID.init(uuidString:)))
            let w2id = try await app.accounts.service.repository.staff(email: "worker2@demo.invalid")!.id
            let w1id = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id
            let colleagues =
                try JSONSerialization.jsonObject(with: Data(try await w1.get("/api/support/chats/\(c)/colleagues").text.utf8)) as! [[String: String]]
            #expect(colleagues.map { $0["name"] } == ["Työntekijä 2"])
            #expect(try await w2.json(.post, "/api/support/chats/\(c)/transfer", #"{"to":"\#(w1id)"}"#).status == .forbidden)  // not w2's chat
            #expect(errorCode(try await w1.json(.post, "/api/support/chats/\(c)/transfer", #"{"note":"x"}"#)) == "bad_transfer")
            let moved = try await w1.json(
                .post, "/api/support/chats/\(c)/transfer", #"{"to":"\#(w2id)","note":"Asiakas on yksinäinen, kysy ystävistä."}"#)
            #expect(moved.status == .noContent)
            #expect(try await app.chat.service.repository.chat(id)?.worker == w2id)
            #expect(try await app.realtime.participant(.staff(w1id), in: id) == nil)
            #expect(try await app.realtime.participant(.staff(w2id), in: id) != nil)
            #expect(try await app.realtime.participant(.staff(w2id), in: notes) != nil)
            let clientIdentity = try await app.realtime.participants(id).first { $0.sender.role == .client }!.identity
            #expect(try await app.realtime.participant(clientIdentity, in: notes) == nil)  // the client never sees notes
            let noteMessages = try await app.realtime.store.messages(conversation: notes, after: 0, limit: 10)
            #expect(noteMessages.map(\.body) == ["Asiakas on yksinäinen, kysy ystävistä."])
            #expect(noteMessages.first?.from.name == "Työntekijä 1")
            // The new worker can close it; the old one cannot.
            #expect(try await w1.json(.post, "/api/support/chats/\(c)/close", nil).status == .forbidden)
            #expect(try await w2.json(.post, "/api/support/chats/\(c)/close", nil).status == .noContent)
        }
    }

    @Test func transferBackToTheQueue() async throws {
        try await withApp { app, client in
            let c = conversation(try await start(Browser(client)))
            let w1 = try await worker(client, "worker1@demo.invalid")
            #expect(try await w1.json(.post, "/api/support/chats/\(c)/take", nil).status == .ok)
            #expect(try await w1.get("/api/support/queue").text == "[]")
            let back = try await w1.json(.post, "/api/support/chats/\(c)/transfer", #"{"service":"tukichat","note":"Tarvitsee ruotsinkielisen."}"#)
            #expect(back.status == .noContent)
            #expect(try await app.chat.service.repository.chat(UUID(uuidString: c)!)?.status == .waiting)
            #expect(try await w1.get("/api/support/queue").text.contains(c))
            #expect(errorCode(try await w1.json(.post, "/api/support/chats/\(c)/transfer", #"{"service":"no-such"}"#)) == "forbidden")
            // Whoever takes it next also sees the notes.
            let w2 = try await worker(client, "worker2@demo.invalid")
            let taken =
                try JSONSerialization.jsonObject(with: Data(try await w2.json(.post, "/api/support/chats/\(c)/take", nil).text.utf8))
                as! [String: Any]
            let notes = UUID(uuidString: taken["notes"] as! String)!
            #expect(try await app.realtime.store.messages(conversation: notes, after: 0, limit: 10).map(\.body) == ["Tarvitsee ruotsinkielisen."])
        }
    }

    @Test func messageHistoryPagesForParticipantsOnly() async throws {
        try await withApp { app, client in
            let clientBrowser = Browser(client)
            let c = conversation(try await start(clientBrowser))
            let id = UUID(uuidString: c)!
            let clientIdentity = try await app.realtime.participants(id).first!.identity
            for n in 1...7 {
                _ = try await app.realtime.post(
                    conversation: id, clientID: UUID(), sender: clientIdentity, from: Sender(name: "Asiakas", role: .client), body: "viesti \(n)")
            }
            func page(_ query: String) async throws -> [[String: Any]] {
                try JSONSerialization.jsonObject(with: Data(try await clientBrowser.get("/api/conversations/\(c)/messages\(query)").text.utf8))
                    as! [[String: Any]]
            }
            #expect(try await page("").map { $0["seq"] as! Int } == Array(1...7))
            #expect(try await page("?after=2&limit=3").map { $0["seq"] as! Int } == [3, 4, 5])
            #expect(try await page("?after=7").isEmpty)
            #expect(try await page("?limit=1").first?["mine"] as? Bool == true)
            #expect(try await clientBrowser.get("/api/conversations/\(c)/messages?limit=1001").status == .badRequest)
            #expect(try await clientBrowser.get("/api/conversations/\(c)/messages?after=x").status == .badRequest)
            let stranger = Browser(client)
            _ = try await start(stranger)
            #expect(try await stranger.get("/api/conversations/\(c)/messages").status == .notFound)
            #expect(try await Browser(client).get("/api/conversations/\(c)/messages").status == .unauthorized)
        }
    }

    @Test func deletingErasesMessagesAndTheKey() async throws {
        try await withApp { app, client in
            let b = Browser(client)
            let c = conversation(try await start(b))
            let id = UUID(uuidString: c)!
            let me = try await app.realtime.participants(id).first!.identity
            _ = try await app.realtime.post(conversation: id, clientID: UUID(), sender: me, from: Sender(name: "A", role: .client), body: "poistuva")
            #expect(try await Browser(client).json(.delete, "/api/support/chats/\(c)", nil).status == .unauthorized)
            #expect(try await b.json(.delete, "/api/support/chats/\(c)", nil).status == .noContent)
            #expect(try await app.realtime.store.messages(conversation: id, after: 0, limit: 10).isEmpty)
            let keys = try await app.storage.sql.select().column("key_id").from("conversation_keys").where("conversation_id", .equal, id).all()
            #expect(keys.isEmpty)
            #expect(try await app.chat.service.repository.chat(id)?.status == .deleted)
            #expect(try await b.json(.delete, "/api/support/chats/\(c)", nil).status == .notFound)
        }
    }

    @Test func bodiesAreNotInTheDatabaseFileAsText() async throws {
        guard TestDatabase.postgresURL == nil else { return }  // the SQLite file is what this reads
        try await withApp { app, client in
            let c = UUID(uuidString: conversation(try await start(Browser(client))))!
            let me = try await app.realtime.participants(c).first!.identity
            let secret = "salaisuus-\(UUID().uuidString)"
            _ = try await app.realtime.post(conversation: c, clientID: UUID(), sender: me, from: Sender(name: "A", role: .client), body: secret)
            #expect(try await app.realtime.store.messages(conversation: c, after: 0, limit: 1).first?.body == secret)
            let path = app.configuration.sqlitePath
            for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the message as text")
            }
        }
    }
}
