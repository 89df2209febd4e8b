import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import SQLKit
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// `rotate-key` under load: every data key ends under the new master key,
/// a running server keeps reading and writing through it, and every acked
/// message opens afterwards with the new key alone.
@Suite struct KeyRotationTests {
    @Test func rotationUnderLoadLosesNothing() async throws {
        try await withApp { app, _ in
            let client = Identity.client(UUID())
            let from = Sender(name: "A", role: .client)
            let conversation: @Sendable () async throws -> UUID = {
                try await app.realtime.createConversation(kind: .group, participants: [Participant(identity: client, sender: from, canSend: true)])
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
        let conversation = try await app.realtime.createConversation(
            kind: .group, participants: [Participant(identity: who, sender: Sender(name: "A", role: .client), canSend: true)])
        _ = try await app.realtime.post(
            conversation: conversation, clientID: UUID(), sender: who, from: Sender(name: "A", role: .client), body: "viesti")
        let service = try await app.network.repository.service(slug: "tukichat")!.id
        let anonymous = try await app.chat.service.repository.createClient(tokenHash: "y", at: 0)
        let (chat, _) = try await app.chat.service.start(serviceSlug: "tukichat", client: anonymous, nickname: nil, language: .fi)
        #expect(try await app.chat.service.repository.saveFeedback(chat, service: service, score: 4, comment: "palaute", at: 0))
        let worker = Browser(client, language: "en")
        try await worker.signIn("worker1@demo.invalid")
        let (secret, _) = try await SecondFactorTests.setUp(worker, app)
        let staff = try #require(try await app.accounts.service.repository.staff(email: "worker1@demo.invalid"))
        let group = try #require(try await app.network.directory.service(slug: "omaisryhma")).id
        let application = GroupApplication(
            id: UUID(), service: group, member: UUID(), nickname: "Hakija", answers: [.init(question: "Miksi?", answer: "hakemus")],
            status: .waiting, message: "viesti hakijalle", rulesVersion: 1, createdMs: 0, decidedMs: nil)
        try await app.groups.service.repository.saveApplication(application)
        var question = GroupQuestion(
            id: UUID(), service: group, member: UUID(), nickname: "Kysyjä", anonymous: true, body: "kysymys",
            removed: false, createdMs: 0, answers: [])
        try await app.groups.service.repository.addQuestion(question)
        let answer = GroupQuestion.Answer(id: UUID(), staff: staff.id, from: Sender(name: "T", role: .worker), body: "vastaus", createdMs: 1)
        #expect(try await app.groups.service.repository.addAnswer(answer, question: question.id, service: group))
        question.answers = [answer]
        for t in Kohtaamo.sealedTables {
            let n = try await app.storage.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(t.table)
                .where(SQLIdentifier(t.wrappedColumn), .isNot, SQLLiteral.null).first()!.decode(column: "n", as: Int.self)
            #expect(n > 0, "no sealed row in \(t.table)")
        }
        return Sealed(conversation: conversation, service: service, staff: staff, secret: secret, application: application, question: question)
    }

    @Test func everySealedKindRotatesAndOpensWithTheNewKeyAlone() async throws {
        try await withApp { app, client in
            let sealed = try await sealedRowsInEveryTable(app, client)
            let report = try await app.rotateMasterKey(settle: .milliseconds(10))
            #expect(report.left == 0)
            for t in Kohtaamo.sealedTables {
                #expect(report.rewrapped[t.table, default: 0] > 0, "\(t.table) was not re-wrapped")
                let ids = try await app.storage.sql.select().column("master_key_id").from(t.table)
                    .where(SQLIdentifier(t.wrappedColumn), .isNot, SQLLiteral.null).all().map {
                        try $0.decode(column: "master_key_id", as: String.self)
                    }
                #expect(Set(ids) == [report.newID], "\(t.table)")
            }
            try FileManager.default.removeItem(atPath: report.oldKeyFile)
            // A new process with only the new key, half a minute on (a fresh sign-in code).
            let again = try await Kohtaamo.open(
                configuration: app.configuration, clock: AppClock(fixed: app.clock.now.addingTimeInterval(60)), bcryptCost: 4)
            #expect(try await again.realtime.store.messages(conversation: sealed.conversation, after: 0, limit: 10).map(\.body) == ["viesti"])
            #expect(try await again.chat.service.repository.feedback(service: sealed.service).map(\.comment) == ["palaute"])
            #expect(try await again.groups.service.repository.application(id: sealed.application.id) == sealed.application)
            #expect(try await again.groups.service.repository.questions(service: sealed.question.service) == [sealed.question])
            #expect(try await again.accounts.service.acceptCode(SecondFactorTests.code(sealed.secret, again), staff: sealed.staff))
            await again.storage.close()
        }
    }

    /// The list both the rotation and the start-up key check use: a new
    /// table with a master key id that is not on it fails here.
    @Test func everyTableWithAMasterKeyIDIsRotatedAndChecked() async throws {
        try await withApp(demo: false) { app, _ in
            let rows =
                switch app.storage.kind {
                case .sqlite:
                    try await app.storage.sql.raw(
                        """
                        SELECT m.name AS t FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND c.name = 'master_key_id'
                        """
                    ).all()
                case .postgres:
                    try await app.storage.sql.raw(
                        """
                        SELECT table_name AS t FROM information_schema.columns WHERE column_name = 'master_key_id' AND table_schema = current_schema()
                        """
                    ).all()
                }
            let tables = Set(try rows.map { try $0.decode(column: "t", as: String.self) })
            #expect(tables.count >= 5)
            #expect(tables == Set(Kohtaamo.sealedTables.map(\.table)))
        }
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
