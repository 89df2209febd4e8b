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

/// What a stolen database holds: no message, note or feedback comment in
/// readable form (the SQLite files with their WAL, or a pg_dump); what the
/// product reads back after a restart; nothing to open after an erase.
@Suite struct EncryptionAtRestTests {
    @Test func noReadableTextInTheDatabaseAndEverythingReadsBackAfterARestart() async throws {
        try await withApp { app, client in
            let marker = "SALAISUUS-\(UUID().uuidString.prefix(8))"
            let person = Browser(client)
            let r = try await person.json(.post, "/api/support/tukichat/chats", nil)
            let id = UUID(uuidString: (try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as! [String: Any])["conversation"] as! String)!
            let w = Browser(client, language: "en")
            try await w.signIn("worker1@demo.invalid")
            _ = try await w.json(.post, "/api/shifts", #"{"services":["tukichat"]}"#)
            #expect(try await w.json(.post, "/api/support/chats/\(id.uuidString)/take", nil).status == .ok)
            let chat = try await app.chat.service.repository.chat(id)!
            let me = try await app.realtime.participants(id).first { $0.sender.role == .client }!.identity
            let worker = try await app.accounts.service.repository.staff(email: "worker1@demo.invalid")!
            _ = try await app.realtime.post(
                conversation: id, clientID: UUID(), sender: me, from: Sender(name: "A", role: .client), body: "\(marker) viesti")
            _ = try await app.realtime.post(
                conversation: chat.notes!, clientID: UUID(), sender: .staff(worker.id), from: Sender(name: "T", role: .worker),
                body: "\(marker) muistiinpano")
            #expect(try await w.json(.post, "/api/support/chats/\(id.uuidString)/close", nil).status == .noContent)
            _ = try await person.get("/chat/\(id.uuidString)")
            let thanks = try await person.post("/chat/\(id.uuidString)/feedback", [("score", "4"), ("comment", "\(marker) palaute")])
            #expect(thanks.status == .ok)

            let raw = try rawDatabase(app.configuration)
            #expect(raw.count > 10_000)
            #expect(raw.range(of: Data(marker.utf8)) == nil, "a body, note or comment is readable in the database")
            // A control: text the product stores in the clear is found, so the search works.
            #expect(raw.range(of: Data("Koordinaattori Anni".utf8)) != nil)

            // A second process on the same database and key file reads it all back.
            let again = try await Kohtaamo.open(configuration: app.configuration, bcryptCost: 4)
            #expect(try await again.realtime.store.messages(conversation: id, after: 0, limit: 10).map(\.body) == ["\(marker) viesti"])
            #expect(try await again.realtime.store.messages(conversation: chat.notes!, after: 0, limit: 10).map(\.body) == ["\(marker) muistiinpano"])
            #expect(try await again.chat.service.repository.feedback(service: chat.service).map(\.comment) == ["\(marker) palaute"])
            await again.storage.close()

            // Erased: no row and no key left to open it with.
            try await app.chat.service.erase(try await app.chat.service.repository.chat(id)!)
            for c in [id, chat.notes!] {
                let keys = try await app.storage.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("conversation_keys")
                    .where("conversation_id", .equal, c).first()!.decode(column: "n", as: Int.self)
                #expect(keys == 0)
                #expect(try await app.realtime.store.messages(conversation: c, after: 0, limit: 10).isEmpty)
            }
        }
    }

    /// Reach-out: a plan's label and note, an outcome's note and an
    /// escalation's closing note are in neither the SQLite files nor a
    /// pg_dump, as text or as hex (a pg_dump writes bytea as hex), and read
    /// back after a restart.
    @Test func reachoutLabelsAndNotesAreNotReadableInTheDatabase() async throws {
        try await withApp { app, client in
            let marker = "YHTEYS-\(UUID().uuidString.prefix(8))"
            let (label, note, outcomeNote, closing) = ("\(marker) Liisa", "\(marker) suunnitelma", "\(marker) tulos", "\(marker) sulku")
            let worker = Browser(client, language: "en")
            try await worker.signIn("worker1@demo.invalid")
            let made = try await worker.json(
                .post, "/api/reachout/plans",
                #"{"label":"\#(label)","note":"\#(note)","rhythm":"every:17","time":"9:00","channel":"phone"}"#)
            #expect(made.status == .created, "\(made.text)")
            let madeJSON = try JSONSerialization.jsonObject(with: Data(made.text.utf8)) as? [String: Any]
            let plan = try #require(UUID(uuidString: madeJSON?["id"] as? String ?? ""))
            let logged = try await worker.json(
                .post, "/api/reachout/plans/\(plan.uuidString)/outcomes", #"{"outcome":"no_answer","note":"\#(outcomeNote)"}"#)
            #expect(logged.status == .created)
            let coordinator = Browser(client, language: "en")
            try await coordinator.signIn("coordinator@demo.invalid")
            let escalations = try JSONSerialization.jsonObject(with: Data(try await coordinator.get("/api/reachout/escalations").text.utf8))
            let escalation = try #require(UUID(uuidString: (escalations as? [[String: Any]])?.first?["id"] as? String ?? ""))
            let closed = try await coordinator.json(
                .post, "/api/reachout/escalations/\(escalation.uuidString)/close", #"{"note":"\#(closing)"}"#)
            #expect(closed.status == .ok)

            let raw = try rawDatabase(app.configuration)
            #expect(raw.count > 10_000)
            // The demo's labels and notes are sealed too.
            for text in [marker, label, note, outcomeNote, closing, "Aino, 040 123 4567", "Kuulumiset hyvät", "Kerhon jäsen"] {
                let hex = Data(text.utf8).map { String(format: "%02x", $0) }.joined()
                #expect(raw.range(of: Data(text.utf8)) == nil, "\(text) is readable in the database")
                #expect(raw.range(of: Data(hex.utf8)) == nil, "\(text) is in the database as hex")
            }
            // A control: what reach-out keeps in the clear (the rhythm) is found.
            #expect(raw.range(of: Data("every:17".utf8)) != nil)

            // A second process on the same database and key file reads it all back.
            let again = try await Kohtaamo.open(configuration: app.configuration, bcryptCost: 4)
            let repository = again.reachout.service.repository
            let stored = try #require(try await repository.plan(id: plan))
            #expect(stored.label == label && stored.note == note)
            #expect(try await repository.history(plan: plan, limit: 5).map(\.note) == [outcomeNote])
            #expect(try await repository.escalation(id: escalation)?.closingNote == closing)
            await again.storage.close()
        }
    }

    /// Crypto-shredding on SQLite: once the erase is checkpointed into the
    /// database file, neither that file nor the WAL holds the erased data key.
    /// (sqlite-nio builds SQLite with SQLITE_SECURE_DELETE, so deleted cells
    /// are zeroed rather than left in free space; this fails if that changes.)
    @Test(.enabled(if: TestDatabase.postgresURL == nil, "the files of SQLite"))
    func anErasedKeyIsInNeitherSQLiteFileAfterACheckpoint() async throws {
        try await withApp { app, _ in
            let who = Identity.client(UUID())
            let c = try await app.realtime.createConversation(
                kind: .group, participants: [Participant(identity: who, sender: Sender(name: "A", role: .client), canSend: true)])
            _ = try await app.realtime.post(
                conversation: c, clientID: UUID(), sender: who, from: Sender(name: "A", role: .client), body: "poistettava")
            let wrapped = try await app.storage.sql.select().column("wrapped").from("conversation_keys").where("conversation_id", .equal, c).all()
                .map { try $0.decode(column: "wrapped", as: Data.self) }
            #expect(wrapped.count == 1 && wrapped[0].count >= 32)
            func files() -> [(String, Data)] {
                ["", "-wal"].map { ($0, FileManager.default.contents(atPath: app.configuration.sqlitePath + $0) ?? Data()) }
            }
            // A control: before the erase the key is there to find.
            #expect(files().contains { $0.1.range(of: wrapped[0]) != nil })

            try await app.realtime.erase(c)
            let checkpoint = try await app.storage.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").first()
            #expect(try checkpoint?.decode(column: "busy", as: Int.self) == 0, "the checkpoint did not finish")
            for (suffix, data) in files() {
                #expect(data.range(of: wrapped[0]) == nil, "the erased key is still in kohtaamo.sqlite\(suffix)")
            }
        }
    }

    @Test func aCommentStoredBeforeSealingIsSealedAtTheNextStart() async throws {
        try await withApp { app, _ in
            let service = try await app.network.repository.service(slug: "tukichat")!.id
            try await app.storage.sql.insert(into: "chat_feedback").columns("id", "service_id", "score", "comment", "day")
                .values(SQLBind(UUID()), SQLBind(service), SQLBind(3), SQLBind("vanha selväkielinen"), SQLBind("2026-11-01")).run()
            let again = try await Kohtaamo.open(configuration: app.configuration, bcryptCost: 4)
            let plain = try await again.storage.sql.select().column("comment").from("chat_feedback").all().map {
                try $0.decode(column: "comment", as: String.self)
            }
            #expect(plain == [""])
            #expect(try await again.chat.service.repository.feedback(service: service).map(\.comment) == ["vanha selväkielinen"])
            await again.storage.close()
        }
    }
}
