import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
@testable import Kohtaamo

/// Retention: a closed transcript is erased (rows, notes and data key) once
/// its service's time has run out, and not before; the chat row keeps only
/// what the statistics need.
@Suite struct RetentionTests {
    /// A chat of `tukichat` with a message each way and a note, closed by worker1.
    func closedChat(_ app: Kohtaamo, _ client: any TestClientProtocol, _ w: Browser) async throws -> SupportChat {
        let r = try await Browser(client).json(.post, "/api/support/tukichat/chats", #"{"nickname":"Kettu"}"#)
        let id = UUID(uuidString: (try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as! [String: Any])["conversation"] as! String)!
        #expect(try await w.json(.post, "/api/support/chats/\(id.uuidString)/take", nil).status == .ok)
        let chat = try await app.chat.service.repository.chat(id)!
        let clientIdentity = try await app.realtime.participants(id).first { $0.sender.role == "client" }!.identity
        _ = try await app.realtime.post(conversation: id, clientID: UUID(), sender: clientIdentity, from: Sender(name: "Kettu", role: "client"), body: "salaisuus \(id)")
        let worker = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
        _ = try await app.realtime.post(conversation: chat.notes!, clientID: UUID(), sender: .staff(worker.id), from: Sender(name: "T", role: "worker"), body: "muistiinpano")
        #expect(try await w.json(.post, "/api/support/chats/\(id.uuidString)/close", nil).status == .noContent)
        return try await app.chat.service.repository.chat(id)!
    }

    func count(_ app: Kohtaamo, _ table: String, _ conversation: UUID) async throws -> Int {
        try await app.storage.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where("conversation_id", .equal, conversation).first()!.decode(column: "n", as: Int.self)
    }

    @Test func erasesExactlyWhatHasExpired() async throws {
        try await withApp { app, client in
            let w = Browser(client, language: "en")
            try await w.signIn("worker1@demo.invalid")
            #expect(try await w.json(.post, "/api/shifts", #"{"services":["tukichat"]}"#).status == .noContent)
            let old = try await closedChat(app, client, w)
            let recent = try await closedChat(app, client, w)
            let now = Date()
            // `old` closed 40 days ago; the service keeps 30 days.
            try await app.storage.sql.update("support_chats").set("closed_ms", to: Int64(now.addingTimeInterval(-40 * 86_400).timeIntervalSince1970 * 1000))
                .where("conversation_id", .equal, old.conversation).run()
            // With the default 90 days nothing is due yet.
            #expect(try await app.chat.service.expire(now: now).isEmpty)
            try await app.chat.service.repository.setRetentionDays(service: old.service, 30)
            #expect(try await app.chat.service.expire(now: now) == [old.service: 1])

            for table in ["messages", "conversation_keys", "participants"] {
                #expect(try await count(app, table, old.conversation) == 0, "\(table) of the expired chat")
                #expect(try await count(app, table, old.notes!) == 0, "\(table) of its notes")
                #expect(try await count(app, table, recent.conversation) > 0, "\(table) of the recent chat")
            }
            #expect(try await app.realtime.store.messages(conversation: recent.conversation, after: 0, limit: 10).count == 1)
            let row = try await app.chat.service.repository.chat(old.conversation)!
            #expect(row.status == .expired && row.nickname.isEmpty && row.client != old.client)
            // Running again erases nothing more; 31 days later the recent one goes too.
            #expect(try await app.chat.service.expire(now: now).isEmpty)
            #expect(try await app.chat.service.expire(now: now.addingTimeInterval(31 * 86_400)) == [recent.service: 1])
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
