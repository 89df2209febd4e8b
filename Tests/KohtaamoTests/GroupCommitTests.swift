@preconcurrency import Crypto
import Foundation
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

/// The group commit itself, below the socket: one batch's rules, its
/// all-or-nothing end, and other writers beside it. On SQLite this is the
/// `SQLiteWriter`'s path, on PostgreSQL the SQLKit one.
@Suite struct GroupCommitTests {
    static let from = Sender(name: "A", role: .client)

    static func request(_ conversation: UUID, _ clientID: UUID, _ body: String) -> AppendBatcher.Request {
        .init(conversation: conversation, clientID: clientID, sender: .client(UUID()), from: from, body: body, at: 1_000)
    }

    /// A store of the app's storage with a sealer of its own, and its commit of one whole batch.
    struct Store {
        let store: SQLMessageStore
        let sealer: Sealer
        let storage: Storage
        init(_ storage: Storage) {
            let sealer = Sealer(masterKey: SymmetricKey(size: .bits256))
            (self.storage, self.sealer, store) = (storage, sealer, SQLMessageStore(storage: storage, sealer: sealer))
        }
        func conversation(open: Bool = true) async throws -> UUID {
            try await store.createConversation(kind: .group, open: open, participants: [], at: 0)
        }
        func commit(_ batch: [AppendBatcher.Request]) async throws -> [AppendBatcher.Outcome] {
            try await SQLMessageStore.commit(batch, storage: storage, sealer: sealer, keys: DataKeys(sealer: sealer).key)
        }
    }

    static func seq(_ outcome: AppendBatcher.Outcome) -> (Int64, Bool)? {
        guard case .success(let r) = outcome else { return nil }
        return (r.message.seq, r.duplicate)
    }

    static func error(_ outcome: AppendBatcher.Outcome) -> StoreError? {
        guard case .failure(let e) = outcome else { return nil }
        return e as? StoreError
    }

    /// Another node's read of many announced conversations at once: each
    /// conversation's stretch exactly, in seq order, opened with its own key;
    /// an empty stretch and a conversation not asked for give nothing.
    @Test func oneReadOfManyConversationsGivesEachItsStretch() async throws {
        try await withApp(demo: false) { app, _ in
            let s = Store(app.storage)
            let (a, b, c, other) = (try await s.conversation(), try await s.conversation(), try await s.conversation(), try await s.conversation())
            for conversation in [a, b, c, other] {
                _ = try await s.commit((1...6).map { Self.request(conversation, UUID(), "\(conversation.uuidString.prefix(4)) \($0)") })
            }
            let spans = [MessageSpan(b, after: 0, upTo: 2), MessageSpan(a, after: 3, upTo: 5), MessageSpan(c, after: 6, upTo: 6)]
            let got = try await s.store.messages(in: spans)
            let expected: [UUID: [Int64]] = [a: [4, 5], b: [1, 2]]
            #expect(Set(got.map(\.conversation)) == [a, b])
            for conversation in [a, b] {
                let mine = got.filter { $0.conversation == conversation }
                #expect(mine.map(\.seq) == expected[conversation])
                #expect(mine.map(\.body) == mine.map { "\(conversation.uuidString.prefix(4)) \($0.seq)" })
            }
            #expect(try await s.store.messages(in: [MessageSpan(a, after: 4, upTo: 4)]).isEmpty)
        }
    }

    @Test func oneBatchAnswersRetriesWithinItRefusalsAndNewMessagesByTheRules() async throws {
        try await withApp(demo: false) { app, _ in
            let s = Store(app.storage)
            let (a, closed) = (try await s.conversation(), try await s.conversation(open: false))
            let (x, y) = (UUID(), UUID())
            let outcomes = try await s.commit([
                Self.request(a, x, "eka"), Self.request(a, y, "toka"), Self.request(a, x, "eka"),
                Self.request(closed, UUID(), "ei"), Self.request(UUID(), UUID(), "ei"), Self.request(a, y, "toka"),
            ])
            #expect(outcomes.map { Self.seq($0)?.0 } == [1, 2, 1, nil, nil, 2])
            #expect(outcomes.map { Self.seq($0)?.1 } == [false, false, true, nil, nil, true])
            #expect(Self.error(outcomes[3]) == .closed)
            #expect(Self.error(outcomes[4]) == .noSuchConversation)
            // Read back through the other connections, as the socket's sync reads them.
            let stored = try await s.store.messages(conversation: a, after: 0, limit: 10)
            #expect(stored.map(\.body) == ["eka", "toka"] && stored.map(\.clientID) == [x, y])
            #expect(try await s.store.lastSeq(conversation: a) == 2)
            #expect(try await s.store.messages(conversation: closed, after: 0, limit: 10).isEmpty)
            // A later retry is answered from the stored row, body opened; a new id goes on from 2.
            let later = try await s.commit([Self.request(a, UUID(), "kolmas"), Self.request(a, x, "eka")])
            #expect(later.map { Self.seq($0)?.0 } == [3, 1] && later.map { Self.seq($0)?.1 } == [false, true])
            if case .success(let retry) = later[1] { #expect(retry.message.body == "eka" && retry.message.from == Self.from) }
        }
    }

    /// A moderator removed a message; its sender, not having had the ack,
    /// sends it again. The retry is answered as that removed message, and the
    /// others in the same batch commit (its empty body was once opened, which
    /// failed the whole batch, again at every retry).
    @Test func aRetryOfARemovedMessageIsAnsweredAsRemovedAndFailsNoOne() async throws {
        try await withApp(demo: false) { app, _ in
            let s = Store(app.storage)
            let a = try await s.conversation()
            let x = UUID()
            _ = try await s.commit([Self.request(a, x, "poistettava")])
            #expect(try await s.store.remove(conversation: a, seq: 1) != nil)
            let outcomes = try await s.commit([Self.request(a, x, "poistettava"), Self.request(a, UUID(), "muiden viesti")])
            #expect(outcomes.map { Self.seq($0)?.0 } == [1, 2] && outcomes.map { Self.seq($0)?.1 } == [true, false])
            if case .success(let retry) = outcomes[0] { #expect(retry.message.removed && retry.message.body.isEmpty) }
        }
    }

    @Test func aFailedStatementFailsTheWholeBatchAndCommitsNothing() async throws {
        try await withApp(demo: false) { app, _ in
            let s = Store(app.storage)
            let (a, b) = (try await s.conversation(), try await s.conversation())
            let poisoned = UUID()
            // A trigger refuses one message's row: it is inserted after a's, which must not stay.
            let sql = app.storage.sql
            if app.storage.kind == .sqlite {
                try await sql.raw(
                    """
                    CREATE TRIGGER refuse_poisoned BEFORE INSERT ON messages WHEN NEW.client_id = \(unsafeRaw: "'\(poisoned.uuidString)'")
                    BEGIN SELECT RAISE(ABORT, 'refused'); END
                    """
                ).run()
            } else {
                try await sql.raw("CREATE FUNCTION refuse_poisoned() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql")
                    .run()
                try await sql.raw(
                    """
                    CREATE TRIGGER refuse_poisoned BEFORE INSERT ON messages FOR EACH ROW
                    WHEN (NEW.client_id = \(unsafeRaw: "'\(poisoned.uuidString)'")) EXECUTE FUNCTION refuse_poisoned()
                    """
                ).run()
            }
            await #expect(throws: (any Error).self) {
                try await s.commit([Self.request(a, UUID(), "eka"), Self.request(b, poisoned, "myrkky")])
            }
            #expect(try await s.store.messages(conversation: a, after: 0, limit: 10).isEmpty)
            #expect(try await s.store.lastSeq(conversation: a) == 0)
            // Through the batcher: the ticket fails, no ack.
            await #expect(throws: (any Error).self) {
                try await s.store.queueAppend(conversation: b, clientID: poisoned, sender: .client(UUID()), from: Self.from, body: "myrkky", at: 0)
                    .outcome()
            }
            try await sql.raw("DROP TRIGGER refuse_poisoned\(unsafeRaw: app.storage.kind == .sqlite ? "" : " ON messages")").run()
            // The seq the failed batch would have used is still free.
            let again = try await s.commit([Self.request(a, UUID(), "eka")])
            #expect(again.map { Self.seq($0)?.0 } == [1])
        }
    }

    /// Read-then-write transactions of `Storage.write` while batches commit:
    /// on SQLite both take the write gate, so none of them meets the other's
    /// commit (a deferred transaction whose snapshot went stale would fail
    /// with SQLITE_BUSY_SNAPSHOT), and the seqs stay gap-free.
    @Test func otherWritersInterleaveWithBatchesWithoutErrors() async throws {
        try await withApp(demo: false) { app, _ in
            let s = Store(app.storage)
            var conversations: [UUID] = []
            for _ in 0..<3 { conversations.append(try await s.conversation()) }
            let list = conversations
            let perConversation = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, c) in list.enumerated() {
                    group.addTask {
                        var tickets: [AppendTicket] = []
                        for i in 0..<perConversation {
                            tickets.append(
                                s.store.queueAppend(
                                    conversation: c, clientID: UUID(), sender: .client(UUID()), from: Self.from, body: "\(n).\(i)", at: 0))
                            if i % 5 == 0 { try await Task.sleep(for: .milliseconds(1)) }
                        }
                        let seqs = try await tickets.asyncMap { try await $0.outcome().message.seq }
                        #expect(seqs == Array(1...Int64(perConversation)))
                    }
                }
                for _ in 0..<2 {
                    group.addTask {
                        for _ in 0..<40 {
                            try await app.storage.writeSQL { sql in
                                let last =
                                    try await sql.select().column("last_seq").from("conversations").where("id", .equal, list[0]).first()?
                                    .decode(column: "last_seq", as: Int64.self) ?? 0
                                try await Task.sleep(for: .milliseconds(1))
                                try await sql.update("conversations").set("created_ms", to: last).where("id", .equal, list[0]).run()
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            for c in list { #expect(try await s.store.lastSeq(conversation: c) == Int64(perConversation)) }
        }
    }

    /// After Storage closes, a late message fails its ticket instead of crashing.
    @Test(.enabled(if: TestDatabase.postgresURL == nil)) func aMessageAfterShutdownFailsItsTicket() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kohtaamo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let storage = try await Storage(sqlitePath: dir.appendingPathComponent("k.sqlite").path, postgresURL: nil, logger: .init(label: "test"))
        try await storage.migrate(RealtimeMigrations.all)
        let s = Store(storage)
        let c = try await s.conversation()
        let post = { s.store.queueAppend(conversation: c, clientID: UUID(), sender: .client(UUID()), from: Self.from, body: "viesti", at: 0) }
        #expect(try await post().outcome().message.seq == 1)
        await storage.close()
        await #expect(throws: (any Error).self) { try await post().outcome() }
    }
}
