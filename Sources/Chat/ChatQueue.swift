import Foundation

/// The queue's order as clients and workers see it, read from storage
/// alone: longest-waiting first, numbered within each service (1 = next).
package struct ChatQueue: Sendable {
    package let chats: any ChatQueueRepository
    let shifts: any ChatShiftRepository

    package init(chats: any ChatQueueRepository, shifts: any ChatShiftRepository) {
        (self.chats, self.shifts) = (chats, shifts)
    }

    /// The chat's place in its service's line (1 = next); nil when it is not waiting.
    package func position(of conversation: UUID, service: UUID) async throws -> Int? {
        try await chats.waiting(services: [service]).firstIndex { $0.conversation == conversation }.map { $0 + 1 }
    }

    /// What a worker on shift sees: the waiting chats of their services,
    /// longest-waiting first, each with its place in its own service's line.
    package func waiting(for staff: UUID) async throws -> [(chat: SupportChat, position: Int)] {
        var positionInService: [UUID: Int] = [:]
        return try await chats.waiting(services: try await shifts.shifts(staff: staff)).map { chat in
            positionInService[chat.service, default: 0] += 1
            return (chat, positionInService[chat.service]!)
        }
    }
}
