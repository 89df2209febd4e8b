import Foundation
import Testing

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// Rules read from storage, run on memory twins of the small repository
/// protocols (no database): the queue's order and the group's door.
@Suite struct RuleTests {
    static func chat(_ service: UUID, since: Int64) -> SupportChat {
        SupportChat(
            conversation: UUID(), service: service, client: UUID(), nickname: "A", status: .waiting, waitingSinceMs: since,
            worker: nil, takenMs: nil)
    }

    @Test func queuePositionsCountWithinEachServiceLongestWaitingFirst() async throws {
        let store = MemoryChatQueue()
        let queue = ChatQueue(chats: store, shifts: store)
        let chat = UUID(), digi = UUID(), worker = UUID()
        let first = Self.chat(chat, since: 100), second = Self.chat(chat, since: 300), other = Self.chat(digi, since: 200)
        for c in [second, other, first] { try await store.insert(c) }
        try await store.setShifts(staff: worker, services: [chat, digi], at: 0)

        let seen = try await queue.waiting(for: worker)
        #expect(seen.map(\.chat.conversation) == [first.conversation, other.conversation, second.conversation])
        #expect(seen.map(\.position) == [1, 1, 2])
        #expect(try await queue.position(of: second.conversation, service: chat) == 2)

        // Taken: the next moves up; a worker at their limit takes nothing.
        try await store.setMaxChats(staff: worker, 1)
        #expect(try await store.take(first.conversation, worker: worker, limit: try await store.maxChats(staff: worker), at: 400) == true)
        #expect(try await queue.position(of: first.conversation, service: chat) == nil)
        #expect(try await queue.position(of: second.conversation, service: chat) == 1)
        #expect(try await store.take(second.conversation, worker: worker, limit: 1, at: 500) == false)
        #expect(try await store.take(first.conversation, worker: UUID(), limit: 3, at: 500) == nil, "someone was first")
        // Not on shift there: not in their queue.
        try await store.setShifts(staff: worker, services: [digi], at: 0)
        #expect(try await queue.waiting(for: worker).map(\.chat.conversation) == [other.conversation])
    }

    @Test func aBanHoldsUntilItEndsThenTheMemberIsOutside() async throws {
        let members = MemoryGroupMembership()
        let group = GroupSettings(
            service: UUID(), conversation: UUID(), style: .themed, access: .open, volunteersModerate: false,
            rules: LocalizedText(fi: "Säännöt", sv: "", en: ""), rulesVersion: 2)
        let aino = UUID(), bertta = UUID()
        func standing(_ member: UUID?, at nowMs: Int64) async throws -> GroupService.Standing {
            try await GroupService.clientStanding(member, in: group, members: members, nowMs: nowMs)
        }
        #expect(try await standing(nil, at: 0) == .outside)
        #expect(try await standing(aino, at: 0) == .outside)

        let joined = GroupMember(
            service: group.service, member: aino, nickname: "Aino", rulesVersion: 2, status: .active,
            bannedUntilMs: nil, banReason: "", joinedMs: 0)
        #expect(try await members.saveMember(joined))
        #expect(try await standing(aino, at: 10) == .member(joined))
        var other = joined
        (other.member, other.nickname) = (bertta, "AINO")
        #expect(try await members.saveMember(other) == false, "a nickname is one member's")

        var banned = joined
        (banned.status, banned.bannedUntilMs, banned.banReason) = (.banned, 1_000, "häirintä")
        #expect(try await members.saveMember(banned))
        #expect(try await standing(aino, at: 999) == .banned(untilMs: 1_000, reason: "häirintä"))
        #expect(try await standing(aino, at: 1_000) == .outside, "the ban has ended: they may join again")

        var old = joined
        old.rulesVersion = 1
        #expect(try await members.saveMember(old))
        #expect(try await standing(aino, at: 10) == .rulesChanged(old))
    }
}
