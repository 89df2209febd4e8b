@preconcurrency import Crypto
import Foundation
import Testing

@testable import KohtaamoBase
@testable import KohtaamoRealtime

/// The WAL is copied back into the database file by the writer's
/// checkpointer, off the commits (`WALCheckpointer`): it does not grow
/// without end, and nothing committed is lost on the way.
@Suite(.enabled(if: TestDatabase.postgresURL == nil)) struct WALCheckpointTests {
    @Test func theWALStaysSmallWhileMessagesAreCommittedOneByOne() async throws {
        try await withAppParts { app in
            let writer = try #require(app.storage.sqliteWriter)
            let store = SQLMessageStore(storage: app.storage, sealer: Sealer(masterKey: SymmetricKey(size: .bits256)))
            let c = try await store.createConversation(kind: .group, open: true, participants: [], at: 0)
            // Each message is a commit of its own, of several pages: about
            // 1,500 × 5 frames of 4 KB, some 30 MB of WAL if nothing copied it back.
            let count = 1_500
            for i in 0..<count {
                let ticket = store.queueAppend(
                    conversation: c, clientID: UUID(), sender: .client(UUID()), from: Sender(name: "A", role: .client), body: "viesti \(i)",
                    at: 0, committed: nil)
                _ = try await ticket.outcome()
            }
            // A checkpoint asked for by the last commits may still be under way.
            for _ in 0..<100 where writer.checkpoints == 0 { try await Task.sleep(for: .milliseconds(20)) }
            #expect(writer.checkpoints >= 1)
            let wal = try FileManager.default.attributesOfItem(atPath: app.configuration.sqlitePath + "-wal")[.size] as? Int ?? 0
            // The limit's 1,000 frames (4 MB), and what comes while one runs.
            #expect(wal < 3 * 1_000 * (4096 + 24), "WAL of \(wal) bytes")
            let bodies = try await store.messages(conversation: c, after: 0, limit: count + 1).map(\.body)
            #expect(bodies == (0..<count).map { "viesti \($0)" })
        }
    }
}
