import Foundation
import KohtaamoBase
import NIOConcurrencyHelpers

/// The realtime core: conversations, their participants and messages, and
/// every open socket of this process. Features create conversations and
/// change participants through it; sockets send and receive through it.
package final class Realtime: Sendable {
    /// Features ask through the methods below (`messages`, `isOpen`, …), not the store.
    let store: any MessageStore
    package let limits: FrameLimits
    let localizer: Localizer
    /// Per sender: `KOHTAAMO_SEND_RATE` messages a second, bursts of four times that.
    let sendLimiter: RateLimiter<Identity>
    private let sockets = NIOLockedValueBox<[Identity: [UUID: SocketConnection]]>([:])
    /// Participants per conversation, and a count of invalidations so that a
    /// load that raced with a change does not put stale data back.
    let roomReads = RoomReads()
    let roomKinds = NIOLockedValueBox<[UUID: Bool]>([:])
    private let participantCache = NIOLockedValueBox<(entries: [UUID: [Participant]], generation: Int)>(([:], 0))
    private let broadcasterBox = NIOLockedValueBox<(any Broadcaster)?>(nil)
    private let signalGateBox = NIOLockedValueBox<(any SignalGate)?>(nil)
    /// Features told when someone is taken out of a conversation (calls take them out of its call).
    private let removalObservers = NIOLockedValueBox<[@Sendable (Identity, UUID) async -> Void]>([])
    /// This node's new messages, to the broadcaster in commit order.
    private let publisher = OrderedPublisher()
    /// Conversations whose "here now" count may have changed, announced at
    /// most once a second (nil: no announcement is scheduled).
    private let presenceDirty = NIOLockedValueBox<Set<UUID>?>(nil)
    /// The sockets whose sign-in runs out, and whether the ticker runs: one
    /// task serves every socket's timer, not a sleeping task (and its stack) per socket.
    private let timers = NIOLockedValueBox(SocketTimers())

    /// The features' clock, for mutes they set (tests set the time).
    package let clock: AppClock

    /// The conversations' files; see `files`.
    private let fileStore: ConversationFiles?

    /// `files`: the conversations' files; when not given, they are kept with
    /// the SQL store's own storage and sealer (nil for another store).
    package init(
        store: any MessageStore, localizer: Localizer, sendRate: Double, limits: FrameLimits = FrameLimits(), clock: AppClock = AppClock(),
        files: ConversationFiles? = nil
    ) {
        self.store = store
        let sql = (store as? SQLMessageStore) ?? ((store as? DeadlineStore)?.store as? SQLMessageStore)
        fileStore = files ?? sql.map { ConversationFiles(storage: $0.storage, sealer: $0.sealer, clock: clock) }
        self.clock = clock
        self.localizer = localizer
        self.limits = limits
        sendLimiter = RateLimiter(rate: sendRate, burst: sendRate * 4)
    }

    /// The seam for several nodes: in-process unless another is set.
    package var broadcaster: any Broadcaster {
        broadcasterBox.withLockedValue { box in
            if let b = box { return b }
            let local = LocalBroadcaster { [weak self] event in await self?.deliverLocally(event) }
            box = local
            return local
        }
    }

    /// Files kept in conversations (sealed with the conversation's key, erased
    /// with it). Throws `unavailable` only for a realtime core over a store
    /// that keeps no files (a test's stand-in).
    package var files: ConversationFiles {
        get throws {
            guard let fileStore else { throw AppError.unavailable }
            return fileStore
        }
    }

    package func use(broadcaster: any Broadcaster) { broadcasterBox.withLockedValue { $0 = broadcaster } }

    /// A feature's further say on `signal` frames (calls: who was removed from one).
    package func use(signalGate: any SignalGate) { signalGateBox.withLockedValue { $0 = signalGate } }

    /// The code a `signal` between these two is refused with, beyond "both take part"; nil relays it.
    func signalRefusal(from: Identity, to: Identity, in conversation: UUID) async throws -> String? {
        guard let gate = signalGateBox.withLockedValue({ $0 }) else { return nil }
        return try await gate.refusal(from: from, to: to, conversation: conversation)
    }

    package static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    // MARK: conversations, for features

    package func createConversation(kind: ConversationKind, open: Bool = true, participants: [Participant]) async throws -> UUID {
        try await store.createConversation(kind: kind, open: open, participants: participants, at: Self.nowMs())
    }

    /// Stored messages after `after`, oldest first, at most `limit` (opened).
    /// Every message one participant wrote in a conversation and that is not
    /// removed, oldest first (a registered client's download of their data).
    package func messages(of sender: Identity, in conversation: UUID) async throws -> [StoredMessage] {
        var out: [StoredMessage] = []
        var after: Int64 = 0
        while true {
            let page = try await messages(conversation: conversation, after: after, limit: 1000)
            guard let last = page.last else { break }
            out += page.filter { $0.senderIdentity == sender && !$0.removed }
            after = last.seq
        }
        return out
    }

    package func messages(conversation: UUID, after: Int64, limit: Int) async throws -> [StoredMessage] {
        try await store.messages(conversation: conversation, after: after, limit: limit)
    }

    /// What the conversation is for; nil for no such conversation.
    package func kind(conversation: UUID) async throws -> ConversationKind? { try await store.kind(conversation: conversation) }

    /// Whether members may send; nil for no such conversation.
    package func isOpen(conversation: UUID) async throws -> Bool? { try await store.isOpen(conversation: conversation) }

    package func participants(_ conversation: UUID) async throws -> [Participant] {
        let (cached, generation) = participantCache.withLockedValue { ($0.entries[conversation], $0.generation) }
        if let cached { return cached }
        let loaded = try await store.participants(conversation: conversation)
        participantCache.withLockedValue { cache in
            guard cache.generation == generation else { return }
            if cache.entries.count > 100_000 { cache.entries.removeAll(keepingCapacity: true) }
            cache.entries[conversation] = loaded
        }
        return loaded
    }

    package func participant(_ identity: Identity, in conversation: UUID) async throws -> Participant? {
        try await participants(conversation).first { $0.identity == identity }
    }

    package func setParticipant(_ participant: Participant, in conversation: UUID) async throws {
        try await store.upsertParticipant(conversation: conversation, participant)
        await broadcaster.publish(.membershipChanged(conversation))
    }

    /// `observer` runs when someone is taken out of a conversation, just
    /// before it happens (so it can still read who they were there).
    package func whenRemoved(_ observer: @escaping @Sendable (Identity, UUID) async -> Void) {
        removalObservers.withLockedValue { $0.append(observer) }
    }

    /// Takes the person out at once: their next frame in it is refused.
    package func removeParticipant(_ identity: Identity, from conversation: UUID) async throws {
        for observer in removalObservers.withLockedValue({ $0 }) { await observer(identity, conversation) }
        try await store.removeParticipant(conversation: conversation, identity: identity)
        await broadcaster.publish(.membershipChanged(conversation))
    }

    package func setOpen(_ conversation: UUID, _ open: Bool) async throws {
        try await store.setOpen(conversation: conversation, open)
        await broadcaster.publish(.membershipChanged(conversation))
    }

    /// A feature changed who may send in its own transaction
    /// (`SQLMessageStore.setOpen(_:_:_:)`): every node reads the participants again.
    package func participantsChanged(_ conversation: UUID) async {
        await broadcaster.publish(.membershipChanged(conversation))
    }

    package func erase(_ conversation: UUID) async throws {
        try await store.erase(conversation: conversation)
        await broadcaster.publish(.membershipChanged(conversation))
    }

    /// Stores a message and delivers it; used by features (system messages,
    /// internal notes). Returns once it is committed and handed to this
    /// node's sockets, so what a feature announces next comes after it.
    package func post(conversation: UUID, clientID: UUID, sender: Identity, from: Sender, body: String) async throws
        -> (message: StoredMessage, duplicate: Bool)
    {
        let delivered = AppendTicket()
        queuePost(conversation: conversation, clientID: clientID, sender: sender, from: from, body: body, delivered: delivered)
        return try await delivered.outcome()
    }

    /// Queues the message for its commit and returns at once, so a socket's
    /// messages keep their order while it reads on. When the commit has
    /// ended, `answer` runs first (a socket acks there, so its sender sees the
    /// ack before the message comes back), then a new message goes out to
    /// every participant; both in commit order (`OrderedPublisher`).
    /// `delivered` answers when the message has been handed to the sockets
    /// (at once for a retry, which is not sent again, or a failure).
    @discardableResult
    func queuePost(
        conversation: UUID, clientID: UUID, sender: Identity, from: Sender, body: String,
        answer: AppendTicket.Hook? = nil, delivered: AppendTicket? = nil
    ) -> AppendTicket {
        store.queueAppend(
            conversation: conversation, clientID: clientID, sender: sender, from: from, body: body,
            at: Self.nowMs()
        ) { outcome in
            answer?(outcome)
            guard case .success(let result) = outcome, !result.duplicate else {
                delivered?.resolve(outcome)
                return
            }
            self.publisher.add(result.message, to: self.broadcaster) { delivered?.resolve(outcome) }
        }
    }

    /// A moderator removes a message: its body is emptied for good and
    /// everyone in the conversation gets `{"t":"removed","c","seq"}`.
    /// Returns the message as it was (for the moderation log), nil if none.
    package func removeMessage(_ conversation: UUID, seq: Int64) async throws -> StoredMessage? {
        guard let message = try await store.remove(conversation: conversation, seq: seq) else { return nil }
        await announceRemoved(conversation, seq)
        return message
    }

    private func announceRemoved(_ conversation: UUID, _ seq: Int64) async {
        await announce(.event(type: "removed", conversation: conversation, fieldsJSON: #"{"seq":\#(seq)}"#), in: conversation)
    }

    /// An erased account's messages: removed and nameless, announced like one removal each.
    package func removeMessages(of sender: Identity, in conversation: UUID) async throws {
        let seqs = try await store.removeAll(conversation: conversation, sender: sender)
        await broadcaster.publish(.membershipChanged(conversation))
        for seq in seqs { await announceRemoved(conversation, seq) }
    }

    /// Retention: every message of the conversation written before `before`
    /// (ms) is emptied and marked removed, a batch at a time; returns the
    /// seqs. Nothing is announced: the text was written long ago, sockets
    /// that still show it hold their own copy, and every later read (sync,
    /// history) answers it removed. One event per old message would flood
    /// the room on the first run after a coordinator shortens the time.
    package func expireMessages(in conversation: UUID, before: Int64, batch: Int = 500) async throws -> [Int64] {
        var all: [Int64] = []
        while true {
            let seqs = try await store.expire(conversation: conversation, before: before, limit: batch)
            all += seqs
            if seqs.count < batch { return all }
        }
    }

    /// A feature's own event to everyone in a conversation.
    package func announce(_ frame: ServerFrame, in conversation: UUID, except: Identity? = nil) async {
        await broadcaster.publish(.conversation(conversation, frame, except: except))
    }

    /// A feature's own event to one person's sockets.
    package func tell(_ identity: Identity, _ frame: ServerFrame) async {
        await broadcaster.publish(.identity(identity, frame))
    }

    // MARK: sockets of this process

    func register(_ connection: SocketConnection) {
        let first = sockets.withLockedValue { all in
            let first = all[connection.identity]?.isEmpty ?? true
            all[connection.identity, default: [:]][connection.id] = connection
            return first
        }
        if first {
            broadcaster.presence(of: connection.identity, online: true)
            Task { await presenceChanged(of: connection.identity) }
        }
        guard let expires = connection.expires else { return }
        let start = timers.withLockedValue { t in
            t.expiring[connection.id] = (expires, connection)
            defer { t.ticking = true }
            return !t.ticking
        }
        if start { Task { await tick() } }
    }

    func unregister(_ connection: SocketConnection) {
        let last = sockets.withLockedValue { all in
            all[connection.identity]?[connection.id] = nil
            guard all[connection.identity]?.isEmpty == true else { return false }
            all[connection.identity] = nil
            return true
        }
        if last {
            broadcaster.presence(of: connection.identity, online: false)
            Task { await presenceChanged(of: connection.identity) }
        }
        timers.withLockedValue { t in t.expiring[connection.id] = nil }
    }

    /// Every half second while any socket has a timer: a socket whose sign-in
    /// has run out closes as if signed out. Ends when no socket has a timer.
    private func tick() async {
        while true {
            try? await Task.sleep(for: .milliseconds(500))
            let now = ContinuousClock.now
            let due = timers.withLockedValue { t -> [SocketConnection]? in
                if t.expiring.isEmpty {
                    t.ticking = false
                    return nil
                }
                return SocketTimers.takeDue(&t.expiring, now)
            }
            guard let due else { return }
            for connection in due {
                connection.enqueue(.close(.policyViolation))
                connection.finish()
            }
        }
    }

    // MARK: presence ("3 here now"), over every node

    /// How many of the conversation's participants have a socket open now, here or on another node.
    package func here(_ conversation: UUID) async -> Int {
        guard let people = try? await participants(conversation) else { return 0 }
        let broadcaster = self.broadcaster
        return people.filter { !connections(of: $0.identity).isEmpty || broadcaster.onlineElsewhere($0.identity) }.count
    }

    /// Whether the person has a socket open now, on this node or another.
    package func isOnline(_ identity: Identity) -> Bool {
        !connections(of: identity).isEmpty || broadcaster.onlineElsewhere(identity)
    }

    /// Everyone with a socket open on this node (another node asks when it starts listening).
    var onlineHere: [Identity] { sockets.withLockedValue { Array($0.keys) } }

    static func presenceFrame(_ conversation: UUID, _ here: Int) -> ServerFrame {
        .event(type: "presence", conversation: conversation, fieldsJSON: #"{"here":\#(here)}"#)
    }

    /// Identities per read of their conversations (`MessageStore.conversations(ofAny:)`):
    /// a node's snapshot of thousands of people is a few reads, not one each.
    static let identityChunk = 500

    /// The conversations any of `identities` takes part in, one read per
    /// chunk; a chunk whose read fails is left out (`complete` false).
    package func conversations(ofAny identities: [Identity]) async -> (found: Set<UUID>, complete: Bool) {
        var found: Set<UUID> = [], complete = true
        for start in stride(from: 0, to: identities.count, by: Self.identityChunk) {
            let chunk = Array(identities[start..<min(start + Self.identityChunk, identities.count)])
            if let some = try? await store.conversations(ofAny: chunk) { found.formUnion(some) } else { complete = false }
        }
        return (found, complete)
    }

    /// Someone came or went: their conversations' counts are announced
    /// within a second, many comings and goings as one frame.
    func presenceChanged(of identity: Identity) async {
        await presenceChanged(of: [identity])
    }

    /// Many came or went at once (another node's snapshot, a silent node forgotten).
    func presenceChanged(of identities: [Identity]) async {
        let conversations = await conversations(ofAny: identities).found
        guard !conversations.isEmpty else { return }
        let schedule = presenceDirty.withLockedValue { dirty -> Bool in
            let wasIdle = dirty == nil
            dirty = (dirty ?? []).union(conversations)
            return wasIdle
        }
        guard schedule else { return }
        Task {
            try? await Task.sleep(for: .seconds(1))
            let due = presenceDirty.withLockedValue { dirty -> Set<UUID> in
                defer { dirty = nil }
                return dirty ?? []
            }
            // Every node counts for its own sockets (it knows who is on the others).
            for c in due { await deliverLocally(.conversation(c, Self.presenceFrame(c, await here(c)), except: nil)) }
        }
    }

    func connections(of identity: Identity) -> [SocketConnection] {
        sockets.withLockedValue { all in all[identity].map { Array($0.values) } ?? [] }
    }

    /// A sign-in ended (signed out, deactivated, password reset): its sockets
    /// close at once; `session` nil closes every socket of the person.
    package func endSession(_ identity: Identity, session: UUID?) async {
        await broadcaster.publish(.sessionEnded(identity, session))
    }

    /// Whether anyone taking part in the conversation has a socket on this
    /// node: another node's message is read only then. True when the
    /// participants cannot be read, so that a failure costs a read, not a message.
    package func hasSockets(in conversation: UUID) async -> Bool {
        guard let people = try? await participants(conversation) else { return true }
        return sockets.withLockedValue { all in people.contains { all[$0.identity]?.isEmpty == false } }
    }

    package var openSockets: Int { sockets.withLockedValue { $0.values.reduce(0) { $0 + $1.count } } }

    /// Hands an event to this process's sockets.
    package func deliverLocally(_ event: BroadcastEvent) async {
        switch event {
        case .message(let m):
            guard let people = try? await participants(m.conversation) else { return }
            // Encoded only when a socket here will send it (another node's message may have none).
            let targets = people.flatMap { connections(of: $0.identity) }
            guard !targets.isEmpty else { return }
            let live = LiveMessage(m)
            for c in targets { c.enqueue(.live(live)) }
        case .conversation(let id, let frame, let except):
            guard let people = try? await participants(id) else { return }
            for p in people where p.identity != except { for c in connections(of: p.identity) { c.enqueue(.frame(frame)) } }
        case .seen(let id, let seq, let readers):
            guard let people = try? await participants(id) else { return }
            for p in people {
                let frame = ServerFrame.seen(conversation: id, seq: seq, count: readers.count, you: readers.contains(p.identity))
                for c in connections(of: p.identity) { c.enqueue(.frame(frame)) }
            }
        case .identity(let identity, let frame):
            for c in connections(of: identity) { c.enqueue(.frame(frame)) }
        case .sessionEnded(let identity, let session):
            for connection in connections(of: identity) where session == nil || connection.session == session {
                connection.enqueue(.close(.policyViolation))
                connection.finish()
            }
        case .membershipChanged(let id):
            participantCache.withLockedValue { cache in
                cache.entries[id] = nil
                cache.generation += 1
            }
        }
    }

    /// Forgets every cached participant list: a node that was not listening
    /// may have missed changes, so the next frame reads them again.
    package func forgetParticipants() {
        participantCache.withLockedValue { cache in
            cache.entries.removeAll()
            cache.generation += 1
        }
    }

    func errorFrame(_ error: FrameError, _ language: Language) -> ServerFrame {
        .error(error, message: localizer.t("socket_\(error.code)", language))
    }
}

/// The sockets' timers, served by `Realtime.tick`.
struct SocketTimers {
    typealias Timers = [UUID: (at: ContinuousClock.Instant, connection: SocketConnection)]
    var expiring: Timers = [:]
    var ticking = false

    /// The sockets whose time has come, taken out of `timers`.
    static func takeDue(_ timers: inout Timers, _ now: ContinuousClock.Instant) -> [SocketConnection] {
        let due = timers.values.filter { $0.at <= now }.map(\.connection)
        for c in due { timers[c.id] = nil }
        return due
    }
}
