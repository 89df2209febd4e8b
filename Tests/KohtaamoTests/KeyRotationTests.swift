import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import SQLKit
import Testing
@testable import Kohtaamo

/// `rotate-key` under load: every data key ends under the new master key,
/// a running server keeps reading and writing through it, and every acked
/// message opens afterwards with the new key alone.
@Suite struct KeyRotationTests {
    @Test func rotationUnderLoadLosesNothing() async throws {
        try await withApp { app, _ in
            let client = Identity.client(UUID())
            let from = Sender(name: "A", role: "client")
            let conversation: @Sendable () async throws -> UUID = {
                try await app.realtime.createConversation(kind: "test", participants: [Participant(identity: client, sender: from, canSend: true)])
            }
            var conversations: [UUID] = []
            for _ in 0..<5 { conversations.append(try await conversation()) }
            let service = try await app.network.repository.service(slug: "tukichat")!.id
            let acked = NIOLockedValueBox<[UUID: [String]]>([:])
            let stop = NIOLockedValueBox(false)
            let made = NIOLockedValueBox(0)
            // The load: messages into the conversations and new conversations, until told to stop.
            let initial = conversations
            let load = Task {
                var n = 0
                var list = initial
                while !stop.withLockedValue({ $0 }) {
                    n += 1
                    if n % 10 == 0 {
                        list.append(try await conversation())
                        made.withLockedValue { $0 += 1 }
                    }
                    let c = list[n % list.count]
                    _ = try await app.realtime.post(conversation: c, clientID: UUID(), sender: client, from: from, body: "viesti \(n)")
                    acked.withLockedValue { $0[c, default: []].append("viesti \(n)") }
                }
                return list
            }
            let anonymous = try await app.chat.service.repository.createClient(tokenHash: "x", at: 0)
            let (chat, _) = try await app.chat.service.start(serviceSlug: "tukichat", client: anonymous, nickname: nil, language: .fi)
            #expect(try await app.chat.service.repository.saveFeedback(chat, service: service, score: 5, comment: "ennen", at: 0))
            // Waits for the load to make progress (a busy machine may be slow).
            func progress(_ more: Int) async throws {
                let target = made.withLockedValue { $0 } + more
                while made.withLockedValue({ $0 }) < target { try await Task.sleep(for: .milliseconds(20)) }
            }
            try await progress(2)
            let report = try await app.rotateMasterKey(settle: .milliseconds(200))
            // New conversations after the rotation: the running server wraps their keys with the new master key.
            try await progress(2)
            stop.withLockedValue { $0 = true }
            let all = try await load.value
            #expect(report.oldID != report.newID)
            #expect(report.rewrapped["conversation_keys", default: 0] >= 5)
            #expect(report.left == 0)
            #expect(all.count >= conversations.count + 4)

            // Every key is under the new master key; both key files are private.
            let ids = try await app.storage.sql.select().column("master_key_id").from("conversation_keys").all()
                .map { try $0.decode(column: "master_key_id", as: String.self) }
            #expect(Set(ids) == [report.newID])
            let path = app.configuration.masterKeyPath
            for file in [path, report.oldKeyFile] {
                let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
                #expect(mode == 0o600, "\(file)")
            }

            // With the old key gone, a new process opens every acked message.
            try FileManager.default.removeItem(atPath: report.oldKeyFile)
            let again = try await Kohtaamo.open(configuration: app.configuration, bcryptCost: 4)
            for c in all {
                let stored = try await again.realtime.store.messages(conversation: c, after: 0, limit: 10_000).map(\.body)
                #expect(stored == acked.withLockedValue { $0[c] ?? [] })
            }
            #expect(try await again.chat.service.repository.feedback(service: service).map(\.comment) == ["ennen"])
            await again.storage.close()
        }
    }

    /// One sealed row in every table of `Kohtaamo.sealedTables`: a message, a
    /// feedback comment, worker1's confirmed second factor, a group
    /// application and a question with an answer.
    struct Sealed {
        var conversation: UUID, service: UUID, staff: StaffRecord, secret: String
        var application: GroupApplication, question: GroupQuestion
    }

    func sealedRowsInEveryTable(_ app: Kohtaamo, _ client: any TestClientProtocol) async throws -> Sealed {
        let who = Identity.client(UUID())
        let conversation = try await app.realtime.createConversation(kind: "test", participants: [Participant(identity: who, sender: Sender(name: "A", role: "client"), canSend: true)])
        _ = try await app.realtime.post(conversation: conversation, clientID: UUID(), sender: who, from: Sender(name: "A", role: "client"), body: "viesti")
        let service = try await app.network.repository.service(slug: "tukichat")!.id
        let anonymous = try await app.chat.service.repository.createClient(tokenHash: "y", at: 0)
        let (chat, _) = try await app.chat.service.start(serviceSlug: "tukichat", client: anonymous, nickname: nil, language: .fi)
        #expect(try await app.chat.service.repository.saveFeedback(chat, service: service, score: 4, comment: "palaute", at: 0))
        let worker = Browser(client, language: "en")
        try await worker.signIn("worker1@demo.invalid")
        let (secret, _) = try await SecondFactorTests.setUp(worker, app)
        let staff = try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid"))
        let group = try #require(try await app.network.directory.service(slug: "omaisryhma")).id
        let application = GroupApplication(id: UUID(), service: group, member: UUID(), nickname: "Hakija", answers: [.init(question: "Miksi?", answer: "hakemus")],
                                           status: .waiting, message: "viesti hakijalle", rulesVersion: 1, createdMs: 0, decidedMs: nil)
        try await app.groups.service.repository.saveApplication(application)
        var question = GroupQuestion(id: UUID(), service: group, member: UUID(), nickname: "Kysyjä", anonymous: true, body: "kysymys",
                                     removed: false, createdMs: 0, answers: [])
        try await app.groups.service.repository.addQuestion(question)
        let answer = GroupQuestion.Answer(id: UUID(), staff: staff.id, from: Sender(name: "T", role: "worker"), body: "vastaus", createdMs: 1)
        #expect(try await app.groups.service.repository.addAnswer(answer, question: question.id, service: group))
        question.answers = [answer]
        for t in Kohtaamo.sealedTables {
            let n = try await app.storage.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(t.table)
                .where(SQLIdentifier(t.wrappedColumn), .isNot, SQLLiteral.null).first()!.decode(column: "n", as: Int.self)
            #expect(n > 0, "no sealed row in \(t.table)")
        }
        return Sealed(conversation: conversation, service: service, staff: staff, secret: secret, application: application, question: question)
    }

    /// A key id of another master key in any one sealed table stops the start.
    @Test func theStartUpCheckLooksAtEverySealedTable() async throws {
        try await withApp { app, client in
            _ = try await sealedRowsInEveryTable(app, client)
            let (sealer, _) = try Sealer.load(path: app.configuration.masterKeyPath, create: false)
            try await Kohtaamo.checkMasterKey(sealer, storage: app.storage)
            for t in Kohtaamo.sealedTables {
                let mine = sealer.masterKeyID
                try await app.storage.sql.update(t.table).set("master_key_id", to: "0000feedbeef").where("master_key_id", .equal, mine).run()
                await #expect(throws: Sealer.Failure.self, "\(t.table)") { try await Kohtaamo.checkMasterKey(sealer, storage: app.storage) }
                try await app.storage.sql.update(t.table).set("master_key_id", to: mine).where("master_key_id", .equal, "0000feedbeef").run()
            }
            try await Kohtaamo.checkMasterKey(sealer, storage: app.storage)
        }
    }
}
