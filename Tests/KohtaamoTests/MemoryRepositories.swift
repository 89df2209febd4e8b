import Foundation
import NIOConcurrencyHelpers

@testable import Accounts
@testable import Chat
@testable import Groups
@testable import Kohtaamo
@testable import KohtaamoBase
@testable import KohtaamoRealtime
@testable import Networks

/// The support chat queue and shifts in memory: the same contract as the
/// SQL repository (longest-waiting first, one take wins, a worker's limit),
/// for rule tests that need no database.
final class MemoryChatQueue: ChatQueueRepository, ChatShiftRepository, Sendable {
    private struct State {
        var chats: [UUID: SupportChat] = [:]
        var shifts: [UUID: [UUID]] = [:]
        var maxChats: [UUID: Int] = [:]
    }
    private let state = NIOLockedValueBox(State())

    func insert(_ chat: SupportChat) async throws { state.withLockedValue { $0.chats[chat.conversation] = chat } }
    func chat(_ conversation: UUID) async throws -> SupportChat? { state.withLockedValue { $0.chats[conversation] } }
    func waiting(services: [UUID]) async throws -> [SupportChat] {
        state.withLockedValue { s in
            s.chats.values.filter { $0.status == .waiting && services.contains($0.service) }
                .sorted { ($0.waitingSinceMs, $0.conversation.uuidString) < ($1.waitingSinceMs, $1.conversation.uuidString) }
        }
    }
    func take(_ conversation: UUID, worker: UUID, limit: Int, at: Int64) async throws -> Bool? {
        state.withLockedValue { s in
            guard s.chats.values.count(where: { $0.worker == worker && $0.status == .active }) < limit else { return false }
            guard var chat = s.chats[conversation], chat.status == .waiting else { return nil }
            (chat.status, chat.worker, chat.takenMs) = (.active, worker, at)
            s.chats[conversation] = chat
            return true
        }
    }
    func requeue(_ conversation: UUID, from: UUID, service: UUID, at: Int64) async throws -> Bool {
        state.withLockedValue { s in
            guard var chat = s.chats[conversation], chat.status == .active, chat.worker == from else { return false }
            (chat.status, chat.service, chat.worker, chat.takenMs, chat.waitingSinceMs) = (.waiting, service, nil, nil, at)
            s.chats[conversation] = chat
            return true
        }
    }
    func activeCount(worker: UUID) async throws -> Int {
        state.withLockedValue { $0.chats.values.count { $0.worker == worker && $0.status == .active } }
    }

    func setShifts(staff: UUID, services: [UUID], at: Int64) async throws { state.withLockedValue { $0.shifts[staff] = services } }
    func shifts(staff: UUID) async throws -> [UUID] { state.withLockedValue { $0.shifts[staff] ?? [] } }
    func onShift(service: UUID) async throws -> [UUID] {
        state.withLockedValue { s in s.shifts.filter { $0.value.contains(service) }.map(\.key) }
    }
    func maxChats(staff: UUID) async throws -> Int { state.withLockedValue { $0.maxChats[staff] ?? 3 } }
    func setMaxChats(staff: UUID, _ max: Int) async throws { state.withLockedValue { $0.maxChats[staff] = max } }
}

/// Group members in memory: a nickname is one member's in a group.
final class MemoryGroupMembership: GroupMembershipRepository, Sendable {
    private let members = NIOLockedValueBox([GroupMember]())

    func member(service: UUID, member: UUID) async throws -> GroupMember? {
        members.withLockedValue { $0.first { $0.service == service && $0.member == member } }
    }
    func members(service: UUID) async throws -> [GroupMember] {
        members.withLockedValue { $0.filter { $0.service == service }.sorted { $0.nickname.lowercased() < $1.nickname.lowercased() } }
    }
    func memberships(member: UUID) async throws -> [GroupMember] { members.withLockedValue { $0.filter { $0.member == member } } }
    func saveMember(_ m: GroupMember) async throws -> Bool {
        members.withLockedValue { list in
            let taken = list.contains {
                $0.service == m.service && $0.member != m.member && $0.nickname.lowercased() == m.nickname.lowercased()
            }
            guard !taken else { return false }
            list.removeAll { $0.service == m.service && $0.member == m.member }
            list.append(m)
            return true
        }
    }
    func deleteMember(member: UUID) async throws { members.withLockedValue { $0.removeAll { $0.member == member } } }
}
