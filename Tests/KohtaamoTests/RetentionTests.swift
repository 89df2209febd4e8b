import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Retention: a closed transcript (or a chat never taken) is erased (rows,
/// notes and data key) once its service's time has run out, and not before;
/// the chat row keeps only what the statistics need; feedback comments go
/// too, their scores stay.
@Suite struct RetentionTests {
    static let day: TimeInterval = 86_400

    /// A chat of `tukichat` started by a new client and taken by worker1, with
    /// a message each way and a note.
    func takenChat(_ app: Kohtaamo, _ client: any TestClientProtocol, _ w: Browser) async throws -> (chat: SupportChat, person: Browser) {
        let person = Browser(client)
        let r = try await person.json(.post, "/api/support/tukichat/chats", #"{"nickname":"Kettu"}"#)
        let id = UUID(uuidString: (try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as! [String: Any])["conversation"] as! String)!
        #expect(try await w.json(.post, "/api/support/chats/\(id.uuidString)/take", nil).status == .ok)
        let chat = try await app.chat.service.repository.chat(id)!
        let clientIdentity = try await app.realtime.participants(id).first { $0.sender.role == .client }!.identity
        _ = try await app.realtime.post(
            conversation: id, clientID: UUID(), sender: clientIdentity, from: Sender(name: "Kettu", role: .client), body: "salaisuus \(id)")
        let worker = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
        _ = try await app.realtime.post(
            conversation: chat.notes!, clientID: UUID(), sender: .staff(worker.id), from: Sender(name: "T", role: .worker), body: "muistiinpano")
        return (chat, person)
    }

    func close(_ chat: SupportChat, _ w: Browser) async throws {
        #expect(try await w.json(.post, "/api/support/chats/\(chat.conversation.uuidString)/close", nil).status == .noContent)
    }

    func count(_ app: Kohtaamo, _ table: String, _ conversation: UUID) async throws -> Int {
        try await app.storage.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where("conversation_id", .equal, conversation).first()!.decode(column: "n", as: Int.self)
    }

    func signedInWorker(_ client: any TestClientProtocol) async throws -> Browser {
        let w = Browser(client, language: "en")
        try await w.signIn("worker1@demo.invalid")
        #expect(try await w.json(.post, "/api/shifts", #"{"services":["tukichat"]}"#).status == .noContent)
        return w
    }

    /// The times come from the application's clock, moved as the days pass:
    /// `old` closes on day 0, `recent` on day 10; the service keeps 30 days.
    @Test func erasesExactlyWhatHasExpired() async throws {
        try await withApp { app, client in
            let w = try await signedInWorker(client)
            let start = app.clock.now
            let old = try await takenChat(app, client, w).chat
            let recent = try await takenChat(app, client, w).chat
            try await close(old, w)
            app.clock.advance(by: 10 * Self.day)
            try await w.signIn("worker1@demo.invalid")  // the sign-in of day 0 has run out
            try await close(recent, w)
            #expect(try await app.chat.service.repository.chat(recent.conversation)?.status == .closed)
            // With the default 90 days nothing is due on day 40.
            let day40 = start.addingTimeInterval(40 * Self.day)
            #expect(try await app.chat.service.expire(now: day40).isEmpty)
            try await app.chat.service.repository.setRetentionDays(service: old.service, 30)
            #expect(try await app.chat.service.expire(now: day40) == [old.service: 1])

            for table in ["messages", "conversation_keys", "participants"] {
                #expect(try await count(app, table, old.conversation) == 0, "\(table) of the expired chat")
                #expect(try await count(app, table, old.notes!) == 0, "\(table) of its notes")
                #expect(try await count(app, table, recent.conversation) > 0, "\(table) of the recent chat")
            }
            #expect(try await app.realtime.store.messages(conversation: recent.conversation, after: 0, limit: 10).count == 1)
            let row = try await app.chat.service.repository.chat(old.conversation)!
            #expect(row.status == .expired && row.nickname.isEmpty && row.client != old.client)
            // `recent` has been closed exactly 30 days on day 40: kept; a moment later it goes.
            #expect(try await app.chat.service.expire(now: day40).isEmpty)
            #expect(try await app.chat.service.expire(now: day40.addingTimeInterval(0.001)) == [recent.service: 1])
        }
    }

    /// A chat nobody took holds what the client wrote while waiting: it
    /// expires like a closed one, counted from when it began to wait.
    @Test func aChatNeverTakenExpiresToo() async throws {
        try await withApp { app, client in
            let w = try await signedInWorker(client)
            let service = try await app.network.repository.service(slug: "tukichat")!.id
            try await app.chat.service.repository.setRetentionDays(service: service, 30)
            let anonymous = try await app.chat.service.repository.createClient(tokenHash: "odottaja", at: app.clock.nowMs)
            let (waiting, _) = try await app.chat.service.start(serviceSlug: "tukichat", client: anonymous, nickname: "Odottaja", language: .fi)
            let me = try await app.realtime.participants(waiting).first!.identity
            _ = try await app.realtime.post(
                conversation: waiting, clientID: UUID(), sender: me, from: Sender(name: "Odottaja", role: .client), body: "odotan")
            let taken = try await takenChat(app, client, w).chat
            app.clock.advance(by: 20 * Self.day)
            let anotherClient = try await app.chat.service.repository.createClient(tokenHash: "myohempi", at: app.clock.nowMs)
            let (later, _) = try await app.chat.service.start(serviceSlug: "tukichat", client: anotherClient, nickname: nil, language: .fi)

            #expect(try await app.chat.service.expire(now: app.clock.now.addingTimeInterval(10 * Self.day)).isEmpty, "30 days to the moment")
            #expect(try await app.chat.service.expire(now: app.clock.now.addingTimeInterval(11 * Self.day)) == [service: 1])
            #expect(try await app.chat.service.repository.chat(waiting)?.status == .expired)
            #expect(try await count(app, "messages", waiting) == 0)
            #expect(try await count(app, "conversation_keys", waiting) == 0)
            // Taken (still open) and younger waiting chats stay as they were.
            #expect(try await app.chat.service.repository.chat(taken.conversation)?.status == .active)
            #expect(try await app.chat.service.repository.chat(later)?.status == .waiting)
            #expect(
                try await app.chat.service.queue(for: try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!.id)
                    .map(\.conversation) == [later.uuidString.lowercased()])
        }
    }

    /// "Did this help?": past the cutoff a comment loses its text and its data
    /// key; the score stays for the statistics.
    @Test func feedbackCommentsExpireAndTheirScoresStay() async throws {
        try await withApp { app, client in
            let w = try await signedInWorker(client)
            try await app.chat.service.repository.setRetentionDays(service: try await app.network.repository.service(slug: "tukichat")!.id, 30)
            func answered(_ score: Int, _ comment: String) async throws -> SupportChat {
                let (chat, person) = try await takenChat(app, client, w)
                try await close(chat, w)
                _ = try await person.get("/chat/\(chat.conversation.uuidString)")
                #expect(
                    try await person.post("/chat/\(chat.conversation.uuidString)/feedback", [("score", String(score)), ("comment", comment)]).status
                        == .ok)
                return chat
            }
            let first = try await answered(2, "vanha palaute")
            app.clock.advance(by: 20 * Self.day)
            try await w.signIn("worker1@demo.invalid")  // the sign-in of day 0 has run out
            _ = try await answered(5, "uusi palaute")
            let keys = {
                try await app.storage.sql.select().column("score").from("chat_feedback").where("wrapped_key", .isNot, SQLLiteral.null).all()
                    .map { try $0.decode(column: "score", as: Int.self) }
            }
            #expect(try await keys().sorted() == [2, 5])
            // Day 30 after the first answer: its day is not yet wholly past the cutoff.
            #expect(try await app.chat.service.expireFeedback(now: app.clock.now.addingTimeInterval(10 * Self.day)) == 0)
            #expect(try await app.chat.service.expireFeedback(now: app.clock.now.addingTimeInterval(11 * Self.day)) == 1)
            #expect(try await keys() == [5])
            let stored = try await app.chat.service.repository.feedback(service: first.service)
            #expect(stored.map(\.score) == [2, 5] && stored.map(\.comment) == ["", "uusi palaute"])
            let sealed = try await app.storage.sql.select().column("comment_sealed").from("chat_feedback").where("score", .equal, 2).first()
            #expect(try sealed?.decode(column: "comment_sealed", as: Data?.self) == nil)
            #expect(try await app.chat.service.expireFeedback(now: app.clock.now.addingTimeInterval(11 * Self.day)) == 0, "nothing twice")
        }
    }

    @Test func coordinatorSetsTheRetentionTime() async throws {
        try await withApp { app, client in
            let service = try await app.network.repository.service(slug: "tukichat")!.id
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            #expect(try await coordinator.get("/admin/chat").text.contains(#"value="90""#))
            let bad = try await coordinator.post("/admin/services/\(service.uuidString)/retention", [("days", "0")])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("Write the number of days as a number, 1–3650."))
            #expect(try await app.chat.service.repository.retentionDays(service: service) == nil)
            #expect(try await coordinator.post("/admin/services/\(service.uuidString)/retention", [("days", "30")]).status == .seeOther)
            #expect(try await app.chat.service.repository.retentionDays(service: service) == 30)
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            #expect(try await worker.post("/admin/services/\(service.uuidString)/retention", [("days", "1")]).status == .forbidden)
        }
    }
}
