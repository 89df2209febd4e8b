@preconcurrency import Crypto
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import KohtaamoBase
@testable import KohtaamoRealtime

/// The group commit on SQLite run on the event loop that queued its first
/// message (`AppendBatcher.drainHere`), and its wait for more messages to
/// share one flush (`commitDelay`). Only SQLite commits on a loop.
@Suite(.enabled(if: TestDatabase.postgresURL == nil)) struct LoopCommitTests {
    static let from = Sender(name: "A", role: .client)

    static func store(_ storage: Storage, commitDelay: Duration) -> SQLMessageStore {
        SQLMessageStore(storage: storage, sealer: Sealer(masterKey: SymmetricKey(size: .bits256)), commitDelay: commitDelay)
    }

    static func post(_ store: SQLMessageStore, _ conversation: UUID, _ body: String) -> AppendTicket {
        store.queueAppend(conversation: conversation, clientID: UUID(), sender: .client(UUID()), from: from, body: body, at: 0, committed: nil)
    }

    static func seqs(_ tickets: [AppendTicket]) async throws -> [Int64] {
        var seqs: [Int64] = []
        for ticket in tickets { seqs.append(try await ticket.outcome().message.seq) }
        return seqs
    }

    @Test func theFirstMessageWaitsOutTheDelayWhileMessagesComeFasterThanIt() {
        let gather = Duration.milliseconds(10)
        // Messages a millisecond apart: the batch's first message waits the whole delay,
        #expect(AppendBatcher.wait(queued: 1, firstWaited: .zero, gap: .milliseconds(1), gather: gather) == .milliseconds(10))
        #expect(AppendBatcher.wait(queued: 5, firstWaited: .zero, gap: .microseconds(700), gather: gather) == .milliseconds(10))
        // less what it has waited already.
        #expect(AppendBatcher.wait(queued: 3, firstWaited: .milliseconds(4), gap: .milliseconds(1), gather: gather) == .milliseconds(6))
        // Nothing waits: a full batch, the delay spent, a quiet pace, no delay.
        #expect(AppendBatcher.wait(queued: AppendBatcher.gatherLimit, firstWaited: .zero, gap: .microseconds(100), gather: gather) == nil)
        #expect(AppendBatcher.wait(queued: AppendBatcher.gatherLimit - 1, firstWaited: .zero, gap: .microseconds(100), gather: gather) == gather)
        #expect(AppendBatcher.wait(queued: 1, firstWaited: .milliseconds(10), gap: .microseconds(100), gather: gather) == nil)
        #expect(AppendBatcher.wait(queued: 1, firstWaited: .zero, gap: .milliseconds(10), gather: gather) == nil)
        #expect(AppendBatcher.wait(queued: 1, firstWaited: .zero, gap: .microseconds(100), gather: .zero) == nil)
    }

    /// Messages queued one after another on a loop are committed there in
    /// their order, each conversation's seqs gap-free, and read back as sent.
    @Test func messagesQueuedOnALoopAreCommittedInTheirOrder() async throws {
        try await withAppParts { app in
            let store = Self.store(app.storage, commitDelay: .milliseconds(2))
            let (a, b) = (
                try await store.createConversation(kind: .group, open: true, participants: [], at: 0),
                try await store.createConversation(kind: .group, open: true, participants: [], at: 0)
            )
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let tickets = try await loop.submit { (0..<40).map { i in Self.post(store, i % 2 == 0 ? a : b, "viesti \(i)") } }.get()
            let seqs = try await Self.seqs(tickets)
            let expected: [Int64] = (0..<40).map { (i: Int) -> Int64 in Int64(i / 2 + 1) }
            #expect(seqs == expected)
            let (bodiesA, bodiesB) = (
                try await store.messages(conversation: a, after: 0, limit: 100).map(\.body),
                try await store.messages(conversation: b, after: 0, limit: 100).map(\.body)
            )
            let sentA: [String] = stride(from: 0, to: 40, by: 2).map { (i: Int) -> String in "viesti \(i)" }
            let sentB: [String] = stride(from: 1, to: 40, by: 2).map { (i: Int) -> String in "viesti \(i)" }
            #expect(bodiesA == sentA)
            #expect(bodiesB == sentB)
            #expect(store.batcher.commits < 40)
        }
    }

    /// Messages a few milliseconds apart wait for each other (up to the
    /// delay) once their pace is known, so fewer commits carry them.
    @Test func pacedMessagesShareCommitsWithinTheDelay() async throws {
        try await withAppParts { app in
            let store = Self.store(app.storage, commitDelay: .milliseconds(100))
            let c = try await store.createConversation(kind: .group, open: true, participants: [], at: 0)
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let count = 60
            var tickets: [AppendTicket] = []
            for i in 0..<count {
                tickets.append(try await loop.submit { Self.post(store, c, "\(i)") }.get())
                try await Task.sleep(for: .milliseconds(3))
            }
            let seqs = try await Self.seqs(tickets)
            #expect(seqs == Array(1...Int64(count)))
            // The pace (a moving average from one second) falls under the
            // delay after about 20 messages; the rest share commits, each
            // first message waiting out the delay (about 30 a commit).
            let commits = store.batcher.commits
            #expect(commits <= 40, "\(commits) commits for \(count) messages")
        }
    }

    /// Another writer holds SQLite's write gate: a message queued on a loop
    /// is not committed beside it, but after it, and then answered.
    @Test func aCommitOnALoopWaitsForAnotherWriterHoldingTheGate() async throws {
        try await withAppParts { app in
            let store = Self.store(app.storage, commitDelay: .zero)
            let c = try await store.createConversation(kind: .group, open: true, participants: [], at: 0)
            await app.storage.writeGate.acquire()
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let ticket = try await loop.submit { Self.post(store, c, "odottaa") }.get()
            let answered = Task { try await ticket.outcome().message.seq }
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await store.lastSeq(conversation: c) == 0)
            #expect(store.batcher.commits == 0)
            app.storage.writeGate.release()
            #expect(try await answered.value == 1)
            #expect(try await store.messages(conversation: c, after: 0, limit: 10).map(\.body) == ["odottaa"])
        }
    }
}
