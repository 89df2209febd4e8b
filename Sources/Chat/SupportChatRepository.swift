import Foundation
import KohtaamoBase

package struct SupportChat: Sendable, Equatable {
    /// `deleted`: the client erased it; `expired`: erased when its service's
    /// retention time ran out. Both keep only what the statistics need.
    package enum Status: String, Sendable { case waiting, active, closed, deleted, expired }
    package var conversation: UUID
    package var service: UUID
    package var client: UUID
    package var nickname: String
    package var status: Status
    package var waitingSinceMs: Int64
    package var worker: UUID?
    package var takenMs: Int64?
    /// The staff-only conversation of internal notes, made when first taken.
    package var notes: UUID? = nil
    /// The language the client started in (`fi`, `sv`, `en`).
    package var language: String = "fi"
}

/// A topic tag a worker may give a chat when closing it (for the statistics).
package struct ChatTopic: Sendable, Equatable {
    package var id: UUID
    package var service: UUID
    package var labels: LocalizedText
    package var archived: Bool
}

/// Storage of support chats, anonymous clients and shifts: every concern
/// below, as one SQL type implements them (`SQLSupportChatRepository`).
/// A part of the feature that needs one concern asks for that protocol.
package typealias SupportChatRepository = ChatClientRepository & ChatQueueRepository & ChatHandlingRepository & ChatShiftRepository
    & ChatFeedbackRepository & ChatSettingsRepository & ChatRetentionRepository

/// Anonymous clients: the holder of a token cookie, and the chats they start.
package protocol ChatClientRepository: Sendable {
    func createClient(tokenHash: String, at: Int64) async throws -> UUID
    func client(tokenHash: String) async throws -> UUID?
    /// The client's chats, newest first.
    func chats(client: UUID) async throws -> [SupportChat]
    func startedCount(client: UUID, since: Int64) async throws -> Int
    /// The client erased the chat.
    func markDeleted(_ conversation: UUID, at: Int64) async throws
}

/// The shared queue: a chat waits, and one worker takes it.
package protocol ChatQueueRepository: Sendable {
    func insert(_ chat: SupportChat) async throws
    func chat(_ conversation: UUID) async throws -> SupportChat?
    /// Waiting chats of these services, longest-waiting first.
    func waiting(services: [UUID]) async throws -> [SupportChat]
    /// Gives a waiting chat to the worker if they have fewer than `limit`
    /// active chats; nil if someone was first, false if at the limit.
    func take(_ conversation: UUID, worker: UUID, limit: Int, at: Int64) async throws -> Bool?
    /// Puts an active chat of the worker back in a (maybe other) service's queue.
    func requeue(_ conversation: UUID, from: UUID, service: UUID, at: Int64) async throws -> Bool
    func activeCount(worker: UUID) async throws -> Int
}

/// Chats being answered: who has them, handing on, closing.
package protocol ChatHandlingRepository: Sendable {
    /// The worker's chats that are active now.
    func active(worker: UUID) async throws -> [SupportChat]
    /// Every active chat of these services.
    func active(services: [UUID]) async throws -> [SupportChat]
    /// Hands an active chat from one worker to another; false if it is not the first's any more.
    func reassign(_ conversation: UUID, from: UUID, to: UUID, at: Int64) async throws -> Bool
    func setNotes(_ conversation: UUID, notes: UUID) async throws
    /// Closes the worker's active chat; false if it is not theirs or not active.
    func close(_ conversation: UUID, worker: UUID, topics: [String], at: Int64) async throws -> Bool
    /// How long the service's most recently finished chats lasted, from take
    /// to close (or to the client deleting it), in ms, newest first: at most
    /// `limit` of those finished after `since` (for the wait estimate).
    func recentHandlingTimes(service: UUID, since: Int64, limit: Int) async throws -> [Int64]
}

/// Who is on shift where, and how many chats each may have at once.
package protocol ChatShiftRepository: Sendable {
    func setShifts(staff: UUID, services: [UUID], at: Int64) async throws
    func shifts(staff: UUID) async throws -> [UUID]
    func onShift(service: UUID) async throws -> [UUID]
    func maxChats(staff: UUID) async throws -> Int
    func setMaxChats(staff: UUID, _ max: Int) async throws
}

/// "Did this help?"
package protocol ChatFeedbackRepository: Sendable {
    /// Stores "did this help?" once per chat, without anything that identifies the client.
    func saveFeedback(_ conversation: UUID, service: UUID, score: Int, comment: String, at: Int64) async throws -> Bool
    /// The service's answers, comments opened.
    func feedback(service: UUID) async throws -> [(score: Int, comment: String, day: String)]
}

/// What a coordinator sets per service: topics and how long transcripts stay.
package protocol ChatSettingsRepository: Sendable {
    /// The service's topic list, archived ones included, oldest first.
    func topics(service: UUID) async throws -> [ChatTopic]
    func addTopic(_ topic: ChatTopic, at: Int64) async throws
    /// Takes a topic off the list (closed chats keep it); false if no such topic of the service.
    func archiveTopic(_ id: UUID, service: UUID) async throws -> Bool
    /// Days a service keeps closed transcripts (nil: the default).
    func retentionDays(service: UUID) async throws -> Int?
    func setRetentionDays(service: UUID, _ days: Int) async throws
}

/// What retention erases.
package protocol ChatRetentionRepository: Sendable {
    /// Services that have something retention may erase: closed or waiting
    /// chats, or feedback comments still readable.
    func servicesWithRetainedData() async throws -> [UUID]
    /// Waiting chats nobody took since before `before` count as closed at the
    /// moment they started waiting, so the closed path erases them. Returns how many.
    func closeUnanswered(service: UUID, waitingBefore: Int64) async throws -> Int
    /// Feedback comments of days before `day` (YYYY-MM-DD) lose their text and
    /// its data key; the score and the day stay for the statistics. Returns how many.
    func eraseFeedbackComments(service: UUID, before day: String) async throws -> Int
    /// Closed chats of the service closed before `before`, oldest first.
    func closed(service: UUID, before: Int64, limit: Int) async throws -> [SupportChat]
    /// Keeps of an erased chat only what the statistics need: no nickname, no link to the client.
    func markExpired(_ conversation: UUID, at: Int64) async throws
    /// Anonymous clients made before `createdBefore` (ms) that take part in no
    /// conversation and have no chat waiting, open or closed: deleted (their
    /// token cookie then names nobody). Returns how many.
    func deleteIdleClients(createdBefore: Int64) async throws -> Int
}
