import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// Reads one socket's frames, checks each (shape, limits, rights, rate) and
/// acts on it. The socket stays open after a refusal; more than 20 refusals
/// in a minute close it with 1008.
struct SocketSession: Sendable {
    let realtime: Realtime
    let connection: SocketConnection
    let refusals = RefusalCounter()
    /// Messages read and not yet acted on, and whether a task is acting on them.
    private let inbox = NIOLockedValueBox<(messages: [MessageAssembler.Message], running: Bool, stopped: Bool)>(([], false, false))

    /// The socket is open: from now on it gets live messages.
    func opened() { realtime.register(connection) }

    /// The socket has ended, however it ended.
    func closed() {
        connection.ended()
        inbox.withLockedValue { $0 = ([], false, true) }
        realtime.unregister(connection)
    }

    /// A whole message read from the socket; returns how many now wait
    /// (the handler stops reading while too many do). Messages are acted on
    /// one after another, in a task that ends when none is left.
    func received(_ message: MessageAssembler.Message) -> Int {
        let (start, waiting) = inbox.withLockedValue { box -> (Bool, Int) in
            guard !box.stopped else { return (false, 0) }
            box.messages.append(message)
            defer { box.running = true }
            return (!box.running, box.messages.count)
        }
        if start {
            let session = self
            Task(executorPreference: connection.output.executor) { await session.actOnInbox() }
        }
        return waiting
    }

    private func actOnInbox() async {
        var paused = false
        while true {
            let next = inbox.withLockedValue { box -> (message: MessageAssembler.Message, full: Bool)? in
                guard !box.stopped, !box.messages.isEmpty else {
                    box.running = false
                    return nil
                }
                let full = box.messages.count >= SocketFrameHandler.inboxLimit
                return (box.messages.removeFirst(), full)
            }
            guard let next else { break }
            paused = paused || next.full
            if await receive(next.message) {
                // Closed for misbehaving: what else it sent is not acted on.
                inbox.withLockedValue { $0.stopped = true }
            }
        }
        if paused { connection.output.resumeReading() }
    }

    /// Acts on one whole message; true when the socket has been closed for misbehaving.
    private func receive(_ message: MessageAssembler.Message) async -> Bool {
        switch message {
        case .binary:
            return refuse(FrameError("binary_frame"))
        case .tooLarge:
            return refuse(FrameError("too_large"))
        case .text(let bytes):
            switch FrameParser.parse(bytes, limits: realtime.limits) {
            case .failure(let error):
                return refuse(error)
            case .success(let parsed):
                if let error = await handle(parsed) { return refuse(error) }
                return false
            }
        }
    }

    /// Refusals caused by the server's state, not by the client: they do not
    /// count towards closing the socket.
    static let notMisbehaviour: Set<String> = ["rate_limited", "unavailable", "closed", "muted"]

    /// Sends the error frame; true when the socket has been closed for misbehaving.
    private func refuse(_ error: FrameError) -> Bool {
        connection.enqueue(.frame(realtime.errorFrame(error, connection.language)))
        if !Self.notMisbehaviour.contains(error.code), refusals.record() {
            connection.enqueue(.close(.policyViolation))
            return true
        }
        return false
    }

    /// Acts on a valid frame; returns the refusal, if any.
    private func handle(_ frame: ClientFrame) async -> FrameError? {
        let identity = connection.identity
        let sendID: UUID? = if case .send(_, let id, _) = frame { id } else { nil }
        let participant: Participant?
        do {
            participant = try await realtime.participant(identity, in: frame.conversation)
        } catch {
            return FrameError("unavailable", id: sendID)
        }
        guard let participant else { return FrameError("not_participant", id: sendID) }

        switch frame {
        case .send(let c, let id, let body):
            guard participant.canSend else { return FrameError("closed", id: id) }
            if let left = participant.muted(at: realtime.clock.nowMs) { return FrameError("muted", id: id, retryAfterMs: Int(left)) }
            if let wait = realtime.sendLimiter.take(identity) { return FrameError("rate_limited", id: id, retryAfterMs: wait) }
            // Queued for its commit as it is read, and the loop reads on: a
            // socket's messages do not wait for each other's commits (on
            // PostgreSQL a commit takes milliseconds). The answer is written
            // when the commit ends, in commit order, which is this socket's order.
            let session = self
            realtime.queuePost(conversation: c, clientID: id, sender: identity, from: participant.sender, body: body) { outcome in
                session.answer(outcome, id: id, conversation: c)
            }
        case .sync(let c, let after):
            connection.enqueue(.sync(conversation: c, after: after))
            // Who is here now, so a page that just opened does not wait for the next change.
            connection.enqueue(.frame(Realtime.presenceFrame(c, await realtime.here(c))))
        case .read(let c, let seq):
            do {
                if try await realtime.isRoom(c) {
                    realtime.noteRoomRead(c, identity, seq)
                    return nil
                }
                try await realtime.store.setRead(conversation: c, identity: identity, seq: seq)
            } catch {
                return FrameError("unavailable")
            }
            await realtime.announce(.read(conversation: c, from: participant.sender, seq: seq), in: c, except: identity)
        case .typing(let c):
            guard participant.canSend else { return FrameError("closed") }
            if participant.muted(at: realtime.clock.nowMs) != nil { return FrameError("muted") }
            await realtime.announce(.typing(conversation: c, from: participant.sender), in: c, except: identity)
        case .signal(let c, let to, let data):
            guard participant.canSend else { return FrameError("closed") }
            guard to != identity, (try? await realtime.participant(to, in: c)) != nil else { return FrameError("bad_to") }
            do {
                if let code = try await realtime.signalRefusal(from: identity, to: to, in: c) { return FrameError(code) }
            } catch {
                return FrameError("unavailable")
            }
            await realtime.tell(to, .signal(conversation: c, from: identity, name: participant.sender.name, data: data))
        }
        return nil
    }

    /// After the commit: the ack (delivery follows it); or the refusal.
    private func answer(_ outcome: AppendTicket.Outcome, id: UUID, conversation c: UUID) {
        let refusal: FrameError
        switch outcome {
        case .success(let result):
            connection.enqueue(.frame(.ack(id: id, conversation: c, seq: result.message.seq, atMs: result.message.atMs)))
            return
        case .failure(StoreError.closed):
            refusal = FrameError("closed", id: id)
        case .failure(StoreError.noSuchConversation):
            refusal = FrameError("not_participant", id: id)
        case .failure:
            // Not committed: no ack. The client keeps the message and retries.
            refusal = FrameError("unavailable", id: id)
        }
        if refuse(refusal) {
            // Closed for misbehaving: what else it sent is not acted on.
            inbox.withLockedValue { $0.stopped = true }
        }
    }
}

/// Puts a message together from its frames. A message over the limit is read
/// to its end but its bytes are not kept.
struct MessageAssembler {
    enum Message: Sendable {
        case text([UInt8])
        case binary
        case tooLarge
    }

    let limit: Int
    private var bytes: [UInt8] = []
    private var oversized = false
    private var binary = false
    private var inMessage = false

    init(limit: Int) { self.limit = limit }

    /// The message this frame ends, if it ends one.
    mutating func add(_ frame: WebSocketFrame) -> Message? {
        let data = frame.unmaskedData
        switch frame.opcode {
        case .text, .binary:
            bytes = []
            oversized = false
            binary = frame.opcode == .binary
            inMessage = true
        case .continuation:
            // A continuation with no message begun is not a message: ignore it.
            guard inMessage else { return nil }
        default:
            return nil
        }
        if !oversized {
            if bytes.count + data.readableBytes > limit {
                oversized = true
                bytes = []
            } else {
                bytes.append(contentsOf: data.readableBytesView)
            }
        }
        guard frame.fin else { return nil }
        inMessage = false
        if binary { return .binary }
        if oversized { return .tooLarge }
        defer { bytes = [] }
        return .text(bytes)
    }
}
