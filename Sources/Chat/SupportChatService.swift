import Foundation
import Hummingbird
import KohtaamoBase
import KohtaamoRealtime

/// The rules of the shared support-chat queue: starting a chat anonymously,
/// shifts, taking (one wins), closing, and what each side is told live.
package struct SupportChatService: Sendable {
    /// Controllers ask the service (the thin reads at the end), not this;
    /// internal for the tests.
    let repository: any SupportChatRepository
    let realtime: Realtime
    let services: any ServiceDirectory
    let staff: any StaffDirectory
    let localizer: Localizer
    package let toolkit: ChatToolkit
    /// How many chats one client token may start in 10 minutes.
    static let startsPer10Minutes = 3

    package init(
        repository: any SupportChatRepository, realtime: Realtime, services: any ServiceDirectory, staff: any StaffDirectory,
        replies: TextCardStore, localizer: Localizer
    ) {
        self.repository = repository
        self.realtime = realtime
        self.services = services
        self.staff = staff
        self.localizer = localizer
        toolkit = ChatToolkit(repository: repository, replies: replies, services: services, localizer: localizer)
    }

    /// Now, from the application's clock (tests set it), for every time this feature stores.
    package func nowMs() -> Int64 { realtime.clock.nowMs }

    package enum Refusal: Error, Equatable {
        case noSuchService, closed(opensAt: Date?), tooMany, badNickname
        case notOnShift, taken, limitReached, notYours, noSuchChat, notAllowed(String), badTopics
    }

    /// The anonymous client a token (from its cookie) names, if any.
    package func client(token: String?) async throws -> UUID? {
        guard let token, !token.isEmpty, token.count < 100 else { return nil }
        return try await repository.client(tokenHash: Tokens.hash(token))
    }

    /// The request's anonymous client (from its context), or a new one with the token to set as its cookie.
    package func clientOrNew(_ client: UUID?) async throws -> (client: UUID, newToken: String?) {
        if let client { return (client, nil) }
        let token = Tokens.random()
        return (try await repository.createClient(tokenHash: Tokens.hash(token), at: nowMs()), token)
    }

    /// Starts a chat for the client; returns the conversation and queue position.
    package func start(serviceSlug: String, client: UUID, nickname rawNickname: String?, language: Language) async throws -> (
        conversation: UUID, position: Int
    ) {
        guard let service = try await services.service(slug: serviceSlug), service.kind == .supportChat, service.isPublic else {
            throw Refusal.noSuchService
        }
        guard service.openNow else { throw Refusal.closed(opensAt: service.opensAt) }
        let nickname = (rawNickname ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard Validate.length(nickname, 0...30), Validate.plainLine(nickname) else { throw Refusal.badNickname }
        let now = nowMs()
        guard try await repository.startedCount(client: client, since: now - 600_000) < Self.startsPer10Minutes else { throw Refusal.tooMany }
        let shown = nickname.isEmpty ? localizer.t("chat_anonymous_name", language) : nickname
        let conversation = try await realtime.createConversation(
            kind: .supportChat,
            participants: [
                Participant(identity: .client(client), sender: Sender(name: shown, role: .client), canSend: true)
            ])
        try await repository.insert(
            SupportChat(
                conversation: conversation, service: service.id, client: client, nickname: shown,
                status: .waiting, waitingSinceMs: now, worker: nil, takenMs: nil, language: language.rawValue))
        let position = try await ChatQueue(chats: repository, shifts: repository).position(of: conversation, service: service.id) ?? 1
        await announceQueue(service: service.id)
        return (conversation, position)
    }

    /// Services this staff member may work in: their organisation owns or shares them.
    func allowedServices(slugs: [String], organisation: UUID) async throws -> [ServiceInfo] {
        var result: [ServiceInfo] = []
        for slug in Set(slugs) {
            guard let s = try await services.service(slug: slug), s.kind == .supportChat else { throw Refusal.noSuchService }
            guard s.organisations.contains(organisation) else { throw Refusal.notAllowed(slug) }
            result.append(s)
        }
        return result
    }

    /// Puts the worker on shift for exactly these services. The waiting
    /// clients of the services they join or leave are told their new estimate.
    package func setShift(staff: StaffPrincipal, slugs: [String]) async throws {
        let list = try await allowedServices(slugs: slugs, organisation: staff.organisationID)
        let before = try await repository.shifts(staff: staff.staffID)
        try await repository.setShifts(staff: staff.staffID, services: list.map(\.id), at: nowMs())
        await tellQueue(to: staff.staffID)
        await announcePositions(services: before + list.map(\.id))
    }

    package func endShift(staff: StaffPrincipal) async throws {
        let before = try await repository.shifts(staff: staff.staffID)
        try await repository.setShifts(staff: staff.staffID, services: [], at: nowMs())
        await announcePositions(services: before)
    }

    package struct QueueEntry: Sendable, Encodable {
        package var conversation: String
        package var service: String
        package var waitingSince: String
        package var position: Int
        package var nickname: String
    }

    package func queue(for staff: UUID) async throws -> [QueueEntry] {
        var slugs: [UUID: String] = [:]
        var entries: [QueueEntry] = []
        for (chat, position) in try await ChatQueue(chats: repository, shifts: repository).waiting(for: staff) {
            if slugs[chat.service] == nil { slugs[chat.service] = try await services.service(id: chat.service)?.slug ?? "" }
            entries.append(
                QueueEntry(
                    conversation: chat.conversation.uuidString.lowercased(), service: slugs[chat.service]!,
                    waitingSince: ServerFrame.timestamp(chat.waitingSinceMs), position: position,
                    nickname: chat.nickname))
        }
        return entries
    }

    /// Gives the chat to the worker; the client is told who answers.
    package func take(_ conversation: UUID, by staff: StaffPrincipal) async throws -> SupportChat {
        guard var chat = try await repository.chat(conversation), chat.status != .deleted else { throw Refusal.noSuchChat }
        guard try await repository.shifts(staff: staff.staffID).contains(chat.service) else { throw Refusal.notOnShift }
        guard chat.status == .waiting else { throw Refusal.taken }
        let now = nowMs()
        switch try await repository.take(conversation, worker: staff.staffID, limit: try await repository.maxChats(staff: staff.staffID), at: now) {
        case true: break
        case false: throw Refusal.limitReached
        case nil: throw Refusal.taken
        }
        (chat.status, chat.worker, chat.takenMs) = (.active, staff.staffID, now)
        chat.notes = try await join(chat, staff: staff)
        await announceQueue(service: chat.service)
        // One place fewer in the worker's other services too.
        await workerMoved(staff.staffID, except: chat.service)
        return chat
    }

    /// Makes the worker a participant of the chat and of its internal notes
    /// (made on first take), and tells the client who answers.
    package func join(_ chat: SupportChat, staff: StaffPrincipal) async throws -> UUID {
        let sender = Sender(name: staff.workName, role: staff.role.publicRole)
        let me = Participant(identity: .staff(staff.staffID), sender: sender, canSend: true)
        try await realtime.setParticipant(me, in: chat.conversation)
        let notes: UUID
        if let existing = chat.notes {
            notes = existing
            try await realtime.setParticipant(me, in: notes)
        } else {
            notes = try await realtime.createConversation(kind: .chatNotes, participants: [me])
            try await repository.setNotes(chat.conversation, notes: notes)
        }
        await realtime.announce(
            .event(
                type: "chat", conversation: chat.conversation,
                fieldsJSON: #"{"state":"active","worker":\#(ServerFrame.sender(sender))}"#), in: chat.conversation)
        return notes
    }

    /// The worker's part in a chat ends (transfer, close): out of the chat and its notes.
    func leave(_ chat: SupportChat, staff: UUID) async throws {
        try await realtime.removeParticipant(.staff(staff), from: chat.conversation)
        if let notes = chat.notes { try await realtime.removeParticipant(.staff(staff), from: notes) }
    }

    /// Colleagues who could take this chat over now: on shift for its service, under their limit.
    package func colleagues(for conversation: UUID, of me: StaffPrincipal) async throws -> [(id: UUID, name: String)] {
        guard let chat = try await repository.chat(conversation), chat.worker == me.staffID else { throw Refusal.notYours }
        var list: [(id: UUID, name: String)] = []
        for id in try await repository.onShift(service: chat.service) where id != me.staffID {
            guard try await repository.activeCount(worker: id) < repository.maxChats(staff: id), let member = try await staff.member(id: id) else {
                continue
            }
            list.append((id, member.workName))
        }
        return list
    }

    /// A colleague as the principal they would act as.
    package func colleague(_ id: UUID, of me: StaffPrincipal) async throws -> StaffPrincipal {
        guard let m = try await staff.member(id: id) else { throw Refusal.noSuchChat }
        return StaffPrincipal(
            staffID: id, sessionID: UUID(), email: "", role: m.role, organisationID: m.organisationID,
            networkID: me.networkID, workName: m.workName)
    }

    /// Hands the chat to a colleague on shift, with a note only staff see.
    package func transfer(_ conversation: UUID, from staff: StaffPrincipal, to colleague: StaffPrincipal, note: String) async throws {
        guard var chat = try await repository.chat(conversation), chat.status == .active, chat.worker == staff.staffID else { throw Refusal.notYours }
        guard try await repository.shifts(staff: colleague.staffID).contains(chat.service) else { throw Refusal.notOnShift }
        guard try await repository.activeCount(worker: colleague.staffID) < repository.maxChats(staff: colleague.staffID) else {
            throw Refusal.limitReached
        }
        guard try await repository.reassign(conversation, from: staff.staffID, to: colleague.staffID, at: nowMs()) else { throw Refusal.notYours }
        try await postNote(chat, by: staff, note: note)
        try await leave(chat, staff: staff.staffID)
        chat.worker = colleague.staffID
        chat.notes = try await join(chat, staff: colleague)
        await assigned(chat, to: colleague.staffID)
        // A place freed with one worker and filled with the other.
        await workerMoved(staff.staffID)
        await workerMoved(colleague.staffID)
    }

    /// Puts the chat in the queue of a service (the same or another), with a note.
    package func transfer(_ conversation: UUID, from staff: StaffPrincipal, toService slug: String, note: String) async throws {
        guard let chat = try await repository.chat(conversation), chat.status == .active, chat.worker == staff.staffID else { throw Refusal.notYours }
        guard let service = try await services.service(slug: slug), service.kind == .supportChat,
            let current = try await services.service(id: chat.service),
            !Set(service.organisations).isDisjoint(with: current.organisations) || service.organisations.contains(staff.organisationID)
        else { throw Refusal.noSuchService }
        guard try await repository.requeue(conversation, from: staff.staffID, service: service.id, at: nowMs()) else { throw Refusal.notYours }
        try await postNote(chat, by: staff, note: note)
        try await leave(chat, staff: staff.staffID)
        await realtime.announce(.event(type: "chat", conversation: conversation, fieldsJSON: #"{"state":"waiting"}"#), in: conversation)
        await announceQueue(service: service.id)
        // The worker has a place free again.
        await workerMoved(staff.staffID, except: service.id)
    }

    func postNote(_ chat: SupportChat, by staff: StaffPrincipal, note: String) async throws {
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, let notes = chat.notes else { return }
        _ = try await realtime.post(
            conversation: notes, clientID: UUID(), sender: .staff(staff.staffID),
            from: Sender(name: staff.workName, role: staff.role.publicRole), body: text)
    }

    /// Tells a worker's console that a chat is now theirs.
    func assigned(_ chat: SupportChat, to staff: UUID) async {
        let slug = (try? await services.service(id: chat.service))?.slug ?? ""
        let notes = chat.notes.map { #""\#($0.uuidString.lowercased())""# } ?? "null"
        await realtime.tell(
            .staff(staff),
            .event(
                type: "assigned", conversation: chat.conversation,
                fieldsJSON:
                    #"{"nickname":\#(ServerFrame.string(chat.nickname)),"service":\#(ServerFrame.string(slug)),"notes":\#(notes),"language":\#(ServerFrame.string(chat.language))}"#
            ))
    }

    package func close(_ conversation: UUID, by staff: StaffPrincipal, topics: [String]) async throws {
        guard let chat = try await repository.chat(conversation) else { throw Refusal.noSuchChat }
        guard chat.worker == staff.staffID else { throw Refusal.notYours }
        guard let topics = try await toolkit.checkTopics(topics, service: chat.service) else { throw Refusal.badTopics }
        guard try await repository.close(conversation, worker: staff.staffID, topics: topics, at: nowMs()) else {
            throw chat.worker == staff.staffID ? Refusal.noSuchChat : Refusal.notYours
        }
        try await realtime.setOpen(conversation, false)
        await realtime.announce(.event(type: "chat", conversation: conversation, fieldsJSON: #"{"state":"closed"}"#), in: conversation)
        // The worker's part ends with the chat: reading the transcript again
        // is a supervisor's act, with a reason, through the audited path.
        try await leave(chat, staff: staff.staffID)
        // A place is free: the waiting clients' estimates move.
        await workerMoved(staff.staffID)
    }

    /// Erases the conversation (its rows and its key); the chat row keeps
    /// only that it existed and was deleted, for the statistics.
    package func erase(_ chat: SupportChat) async throws {
        await realtime.announce(.event(type: "chat", conversation: chat.conversation, fieldsJSON: #"{"state":"deleted"}"#), in: chat.conversation)
        try await realtime.erase(chat.conversation)
        // The staff's notes about it go with it.
        if let notes = chat.notes { try await realtime.erase(notes) }
        try await repository.markDeleted(chat.conversation, at: nowMs())
        if chat.status == .waiting { await announceQueue(service: chat.service) }
        // An active chat deleted by its client frees its worker's place.
        if chat.status == .active, let worker = chat.worker { await workerMoved(worker) }
    }

    /// How far back finished chats count for the handling time, and how many
    /// at most. Longer than the queue's own history would be: how long a chat
    /// lasts is a trait of the service, not of the hour, and a shift starting
    /// in the morning should not find "no history" because the night was quiet.
    static let handlingWindowMs: Int64 = 7 * 86_400_000
    static let handlingSample = 50

    /// The live inputs of the wait rule for a service: each worker on shift
    /// with their open chats and limit, and its recent handling times.
    func waitEstimator(service: UUID) async throws -> WaitEstimator {
        var workers: [WaitEstimator.Worker] = []
        for id in try await repository.onShift(service: service) {
            workers.append(.init(active: try await repository.activeCount(worker: id), limit: try await repository.maxChats(staff: id)))
        }
        // Nobody on shift: the answer is "none" whatever the history.
        guard !workers.isEmpty else { return WaitEstimator(workers: [], handlingTimesMs: []) }
        let times = try await repository.recentHandlingTimes(service: service, since: nowMs() - Self.handlingWindowMs, limit: Self.handlingSample)
        return WaitEstimator(workers: workers, handlingTimesMs: times)
    }

    /// The wait of the client at `position` (1 = next) in the service's queue.
    package func estimate(service: UUID, position: Int) async throws -> WaitEstimate {
        try await waitEstimator(service: service).estimate(position: position)
    }

    /// Tells every waiting client of the service their position and
    /// estimate, and every worker on shift the queue.
    func announceQueue(service: UUID) async {
        await announcePositions(service: service)
        for staff in (try? await repository.onShift(service: service)) ?? [] { await tellQueue(to: staff) }
    }

    /// Tells every waiting client of the service their position and estimate
    /// (`position` frame, docs/protocol.md §5); the inputs are read once.
    func announcePositions(service: UUID) async {
        guard let waiting = try? await repository.waiting(services: [service]), !waiting.isEmpty,
            let estimator = try? await waitEstimator(service: service)
        else { return }
        for (index, chat) in waiting.enumerated() {
            let estimate = estimator.estimate(position: index + 1)
            let minutes = estimate.compatibleMinutes.map(String.init) ?? "null"
            await realtime.tell(
                .client(chat.client),
                .event(
                    type: "position", conversation: chat.conversation,
                    fieldsJSON: #"{"position":\#(index + 1),"estimateMinutes":\#(minutes),"estimate":\#(estimate.frameJSON)}"#))
        }
    }

    func announcePositions(services: [UUID]) async {
        for service in Set(services) { await announcePositions(service: service) }
    }

    /// A worker's free places changed (took, closed, handed over, a limit):
    /// the waiting clients of every service they are on shift for are told.
    func workerMoved(_ staff: UUID, except done: UUID? = nil) async {
        await announcePositions(services: ((try? await repository.shifts(staff: staff)) ?? []).filter { $0 != done })
    }

    func tellQueue(to staff: UUID) async {
        guard let entries = try? await queue(for: staff), let data = try? JSONEncoder().encode(["queue": entries]) else { return }
        await realtime.tell(.staff(staff), .event(type: "queue", conversation: nil, fieldsJSON: String(decoding: data, as: UTF8.self)))
    }

    // MARK: retention

    /// Closed transcripts are kept this many days unless the service says otherwise.
    package static let defaultRetentionDays = 90

    /// Erases every transcript (and its notes) closed longer ago than its
    /// service keeps them, in batches; a chat that waited that long without
    /// being taken goes too. The chat rows keep only what the statistics
    /// need. Returns how many were erased per service.
    package func expire(now: Date, batch: Int = 100) async throws -> [UUID: Int] {
        var erased: [UUID: Int] = [:]
        let stamp = Int64(now.timeIntervalSince1970 * 1000)
        for service in try await repository.servicesWithRetainedData() {
            let cutoff = try await cutoffMs(service: service, now: stamp)
            // First marked closed (only if still waiting), so a crash before the
            // erase leaves them for the closed path next time.
            if try await repository.closeUnanswered(service: service, waitingBefore: cutoff) > 0 { await announceQueue(service: service) }
            while true {
                let due = try await repository.closed(service: service, before: cutoff, limit: batch)
                for chat in due {
                    try await realtime.erase(chat.conversation)
                    if let notes = chat.notes { try await realtime.erase(notes) }
                    try await repository.markExpired(chat.conversation, at: stamp)
                }
                erased[service, default: 0] += due.count
                if due.count < batch { break }
            }
        }
        return erased.filter { $0.value > 0 }
    }

    /// Erases the feedback comments (text and data key) of days wholly before
    /// each service's cutoff; the scores stay. Feedback keeps only its day, so
    /// a comment goes up to a day after its transcript. Returns how many.
    package func expireFeedback(now: Date) async throws -> Int {
        let stamp = Int64(now.timeIntervalSince1970 * 1000)
        var erased = 0
        for service in try await repository.servicesWithRetainedData() {
            let day = ServerFrame.timestamp(try await cutoffMs(service: service, now: stamp)).prefix(10).description
            erased += try await repository.eraseFeedbackComments(service: service, before: day)
        }
        return erased
    }

    /// Anonymous clients are kept this many days after they were made, and
    /// then only while they take part in a conversation: long enough that a
    /// client just made is never caught before its first chat begins, and a
    /// person who comes back within a month keeps the same token.
    package static let idleClientDays = 30

    /// Deletes the anonymous clients that no longer take part in any
    /// conversation (their chats were deleted or erased, or never began).
    /// Returns how many.
    package func expireClients(now: Date) async throws -> Int {
        try await repository.deleteIdleClients(createdBefore: Int64(now.timeIntervalSince1970 * 1000) - Int64(Self.idleClientDays) * 86_400_000)
    }

    func cutoffMs(service: UUID, now: Int64) async throws -> Int64 {
        now - Int64(try await repository.retentionDays(service: service) ?? Self.defaultRetentionDays) * 86_400_000
    }
}

// What the pages and the API read and set besides the rules above: each
// asks the repository as it is, so controllers need nothing but the service.
extension SupportChatService {
    package func client(tokenHash: String) async throws -> UUID? { try await repository.client(tokenHash: tokenHash) }
    package func chat(_ conversation: UUID) async throws -> SupportChat? { try await repository.chat(conversation) }
    /// Waiting chats of these services, longest-waiting first.
    package func waiting(services: [UUID]) async throws -> [SupportChat] { try await repository.waiting(services: services) }
    /// Every active chat of these services.
    package func active(services: [UUID]) async throws -> [SupportChat] { try await repository.active(services: services) }
    /// The worker's chats that are active now.
    package func active(worker: UUID) async throws -> [SupportChat] { try await repository.active(worker: worker) }
    package func shifts(staff: UUID) async throws -> [UUID] { try await repository.shifts(staff: staff) }
    package func onShift(service: UUID) async throws -> [UUID] { try await repository.onShift(service: service) }
    package func maxChats(staff: UUID) async throws -> Int { try await repository.maxChats(staff: staff) }
    package func setMaxChats(staff: UUID, _ max: Int) async throws { try await repository.setMaxChats(staff: staff, max) }
    /// Stores "did this help?" once per chat, without anything that identifies the client.
    package func saveFeedback(_ conversation: UUID, service: UUID, score: Int, comment: String, at: Int64) async throws -> Bool {
        try await repository.saveFeedback(conversation, service: service, score: score, comment: comment, at: at)
    }
    /// Days a service keeps closed transcripts (nil: the default).
    package func retentionDays(service: UUID) async throws -> Int? { try await repository.retentionDays(service: service) }
    package func setRetentionDays(service: UUID, _ days: Int) async throws { try await repository.setRetentionDays(service: service, days) }
    package func addTopic(_ topic: ChatTopic, at: Int64) async throws { try await repository.addTopic(topic, at: at) }
    /// False if the service has no such topic.
    package func archiveTopic(_ id: UUID, service: UUID) async throws -> Bool { try await repository.archiveTopic(id, service: service) }
}
