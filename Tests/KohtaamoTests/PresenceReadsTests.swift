import Foundation
import NIOConcurrencyHelpers
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Presence of many people at once (another node's snapshot of who is
/// online there, a silent node forgotten) reads their conversations a chunk
/// of identities at a time, not one read per person.
@Suite struct PresenceReadsTests {
    /// The store, counting the reads of identities' conversations.
    struct CountingStore: MessageStore {
        let inner: any MessageStore
        /// Reads one by one, and the size of each batched read.
        let reads = NIOLockedValueBox<(single: Int, batched: [Int])>((0, []))

        func conversations(of identity: Identity) async throws -> [UUID] {
            reads.withLockedValue { $0.single += 1 }
            return try await inner.conversations(of: identity)
        }
        func conversations(ofAny identities: [Identity]) async throws -> Set<UUID> {
            reads.withLockedValue { $0.batched.append(identities.count) }
            return try await inner.conversations(ofAny: identities)
        }

        func createConversation(kind: ConversationKind, open: Bool, participants: [Participant], at: Int64) async throws -> UUID {
            try await inner.createConversation(kind: kind, open: open, participants: participants, at: at)
        }
        func queueAppend(
            conversation: UUID, clientID: UUID, sender: Identity, from: Sender, body: String, at: Int64,
            committed: AppendTicket.Hook?
        ) -> AppendTicket {
            inner.queueAppend(conversation: conversation, clientID: clientID, sender: sender, from: from, body: body, at: at, committed: committed)
        }
        func messages(conversation: UUID, after: Int64, limit: Int) async throws -> [StoredMessage] {
            try await inner.messages(conversation: conversation, after: after, limit: limit)
        }
        func lastSeq(conversation: UUID) async throws -> Int64? { try await inner.lastSeq(conversation: conversation) }
        func isOpen(conversation: UUID) async throws -> Bool? { try await inner.isOpen(conversation: conversation) }
        func kind(conversation: UUID) async throws -> ConversationKind? { try await inner.kind(conversation: conversation) }
        func setOpen(conversation: UUID, _ open: Bool) async throws { try await inner.setOpen(conversation: conversation, open) }
        func participants(conversation: UUID) async throws -> [Participant] { try await inner.participants(conversation: conversation) }
        func upsertParticipant(conversation: UUID, _ participant: Participant) async throws {
            try await inner.upsertParticipant(conversation: conversation, participant)
        }
        func removeParticipant(conversation: UUID, identity: Identity) async throws {
            try await inner.removeParticipant(conversation: conversation, identity: identity)
        }
        func setRead(conversation: UUID, identity: Identity, seq: Int64) async throws {
            try await inner.setRead(conversation: conversation, identity: identity, seq: seq)
        }
        func setReads(_ reads: [ReadPosition]) async throws { try await inner.setReads(reads) }
        func readers(conversation: UUID, atLeast seq: Int64) async throws -> [Identity] {
            try await inner.readers(conversation: conversation, atLeast: seq)
        }
        func erase(conversation: UUID) async throws { try await inner.erase(conversation: conversation) }
        func remove(conversation: UUID, seq: Int64) async throws -> StoredMessage? { try await inner.remove(conversation: conversation, seq: seq) }
        func removeAll(conversation: UUID, sender: Identity) async throws -> [Int64] {
            try await inner.removeAll(conversation: conversation, sender: sender)
        }
        func expire(conversation: UUID, before: Int64, limit: Int) async throws -> [Int64] {
            try await inner.expire(conversation: conversation, before: before, limit: limit)
        }
    }

    @Test func manyPeopleAreReadAChunkAtATime() async throws {
        try await withApp(demo: false) { app, _ in
            let store = CountingStore(inner: app.realtime.store)
            let realtime = Realtime(store: store, localizer: app.views.localizer, sendRate: 5)
            let from = Sender(name: "A", role: .client)
            func conversation(_ people: [Identity]) async throws -> UUID {
                try await app.realtime.createConversation(
                    kind: .group, participants: people.map { Participant(identity: $0, sender: from, canSend: true) })
            }
            let people = (0..<4).map { _ in Identity.client(UUID()) }
            let first = try await conversation([people[0], people[1]])
            let second = try await conversation([people[2]])
            let third = try await conversation([people[3], .client(UUID())])
            // Not theirs: one they have left, and a staff member with the same id as one of them.
            let left = try await conversation([people[1]])
            try await app.realtime.removeParticipant(people[1], from: left)
            _ = try await conversation([.staff(people[2].id)])

            // The four among 1,200 others, in every chunk: 500, 500 and 204 identities.
            var everyone = (0..<1_200).map { _ in Identity.client(UUID()) }
            for (person, at) in zip(people, [0, 600, 999, 1_200]) { everyone.insert(person, at: at) }
            let read = await realtime.conversations(ofAny: everyone)
            #expect(read.found == [first, second, third])
            #expect(read.complete)
            #expect(store.reads.withLockedValue { $0.batched } == [500, 500, 204])
            #expect(try await app.realtime.store.conversations(ofAny: []) == [])
            #expect(try await app.realtime.store.conversations(ofAny: [people[1], people[2]]) == [first, second])

            // A snapshot of them all, as another node sends it: the same three reads, none per person.
            await realtime.presenceChanged(of: everyone)
            #expect(store.reads.withLockedValue { $0.batched } == [500, 500, 204, 500, 500, 204])
            #expect(store.reads.withLockedValue { $0.single } == 0)
        }
    }
}
