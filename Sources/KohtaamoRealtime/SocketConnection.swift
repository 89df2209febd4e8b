import Foundation
import KohtaamoBase
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// One open socket. Everything it sends goes through one queue, written in
/// order by one drain at a time, which also keeps what this socket has
/// already been given, so that `sync` and live messages never miss or repeat one.
///
/// No task waits on an idle socket's queue: a drain starts when something is
/// queued and ends when the queue is empty (a waiting task would keep the
/// largest stack it ever used for as long as the socket is open).
final class SocketConnection: Sendable {
    enum Outbound: Sendable {
        case frame(ServerFrame)
        case live(LiveMessage)
        case sync(conversation: UUID, after: Int64)
        case close(WebSocketErrorCode)
    }

    let id = UUID()
    let identity: Identity
    /// The staff sign-in this socket was opened under (nil for a client's token).
    let session: UUID?
    let language: Language
    /// When the sign-in runs out (nil: it does not).
    let expires: ContinuousClock.Instant?
    let output: SocketOutput
    private let store: any MessageStore
    /// A conversation synced up to a seq (the node's broadcaster may then forget older ones).
    private let synced: @Sendable (UUID, Int64) -> Void

    private struct Queue {
        var items: [Outbound] = []
        var draining = false
        /// No more items are taken (closed, or the socket has ended).
        var finished = false
        var overflowed = false
        /// Kept between drains; a drain holds it while it runs.
        var writer = WriterState()
    }
    private let queue = NIOLockedValueBox(Queue())

    /// How many frames may wait for a slow client before it is cut off.
    static let queueLimit = 10_000

    init(
        identity: Identity, session: UUID? = nil, language: Language, expires: ContinuousClock.Instant? = nil,
        output: SocketOutput, store: any MessageStore, synced: @escaping @Sendable (UUID, Int64) -> Void = { _, _ in }
    ) {
        self.identity = identity
        self.session = session
        self.language = language
        self.expires = expires
        self.output = output
        self.store = store
        self.synced = synced
    }

    func enqueue(_ item: Outbound) {
        let start = queue.withLockedValue { q -> Bool in
            guard !q.finished else { return false }
            guard q.items.count < Self.queueLimit else {
                // The client is too slow: it must reconnect and sync.
                q.overflowed = true
                q.finished = true
                return false
            }
            q.items.append(item)
            if q.draining { return false }
            q.draining = true
            return true
        }
        if start { Task(executorPreference: output.executor) { await self.drain() } }
    }

    /// Takes no more items; those queued are still written.
    func finish() { queue.withLockedValue { $0.finished = true } }

    /// The socket has ended: nothing more can be written.
    func ended() {
        queue.withLockedValue { q in
            q.finished = true
            q.items = []
        }
    }

    /// Writes the queue until it is empty, in order.
    private func drain() async {
        var state = queue.withLockedValue { q in q.writer }
        let writer = SocketWriter(output)
        var yielded = false
        while true {
            let batch = queue.withLockedValue { q -> [Outbound] in
                defer { q.items = [] }
                return q.items
            }
            if batch.isEmpty {
                // Once, before a flush: let the jobs already queued on this
                // loop run first. A sender's ack is queued by the commit's
                // hook just before the message itself goes out to its
                // sockets; so both leave in one write, not two (each write
                // of a frame on its own was a syscall and a TCP segment).
                if !yielded, writer.hasPending {
                    yielded = true
                    await Task.yield()
                    continue
                }
                yielded = false
                try? await writer.flush()
                let overflowed = queue.withLockedValue { q -> Bool? in
                    guard q.items.isEmpty else { return nil }
                    q.draining = false
                    q.writer = state
                    return q.overflowed
                }
                guard let overflowed else { continue }
                if overflowed { output.close(.unknown(1013), reason: "too slow: reconnect and sync") }
                return
            }
            for item in batch {
                if case .close(let code) = item {
                    try? await writer.flush()
                    output.close(code)
                    ended()
                    break
                }
                do {
                    try await state.take(item, connection: self, outbound: writer, store: store, synced: synced)
                } catch {
                    // Storage failed while catching up, or the socket is gone: close,
                    // so the client reconnects and syncs instead of waiting on a dead socket.
                    try? await writer.flush()
                    output.close(.unexpectedServerError, reason: "try again")
                    ended()
                    break
                }
            }
        }
    }
}

/// What one socket's writer knows of what it has delivered, per
/// conversation: from the first message it writes (live or from a `sync`)
/// every later one goes out in seq order with no gap, and none twice.
///
/// Live messages are written at once, synced or not (PROTOCOL.md: never
/// held back by a timer). One that arrives more than one seq above the last
/// written (another node's message published later than this node's next
/// one) is preceded by the missing ones, read from storage: they are
/// committed, since seqs follow commit order.
struct WriterState {
    /// The highest seq written, per conversation.
    var delivered: [UUID: Int64] = [:]
    /// Conversations written to live before any `sync`: the first seq so
    /// written. Everything from it to `delivered` has gone out, so the first
    /// `sync` leaves those out instead of repeating them.
    var liveFrom: [UUID: Int64] = [:]

    /// One item of the queue.
    mutating func take(
        _ item: SocketConnection.Outbound, connection: SocketConnection, outbound: SocketWriter,
        store: any MessageStore, synced: (UUID, Int64) -> Void
    ) async throws {
        let me = connection.identity
        switch item {
        case .frame(let frame):
            try await outbound.write(frame.json)
        case .live(let m):
            try await live(m, me: me, outbound: outbound, store: store)
        case .sync(let c, let after):
            try await sync(c, after: after, me: me, outbound: outbound, store: store, synced: synced)
        case .close:
            break  // the writer's loop closes
        }
    }

    private mutating func live(_ live: LiveMessage, me: Identity, outbound: SocketWriter, store: any MessageStore) async throws {
        let m = live.message
        let c = m.conversation
        guard let d = delivered[c] else {
            // The first this socket hears of the conversation: its live stream starts here.
            delivered[c] = m.seq
            liveFrom[c] = m.seq
            try await outbound.write(live.frame(for: me))
            return
        }
        // At or below: already written (a sync read it, or a node re-read after a lost connection).
        guard m.seq > d else { return }
        if m.seq > d + 1 {
            let missing = try await store.messages(conversation: c, after: d, limit: Int(m.seq - d - 1))
            for earlier in missing where earlier.seq < m.seq {
                try await Self.write(earlier, me: me, to: outbound)
            }
        }
        delivered[c] = m.seq
        try await outbound.write(live.frame(for: me))
    }

    private mutating func sync(
        _ c: UUID, after: Int64, me: Identity, outbound: SocketWriter, store: any MessageStore,
        synced: (UUID, Int64) -> Void
    ) async throws {
        // Everything up to the seq committed now is read from storage;
        // anything later is committed after this point, so its live event is
        // queued behind this sync and follows it in order. Messages already
        // written live before the first sync are not written again.
        let skip: ClosedRange<Int64>? = liveFrom.removeValue(forKey: c).flatMap { first in delivered[c].map { first...$0 } }
        let top = try await Self.catchUp(c, after: after, skipping: skip, me: me, outbound: outbound, store: store)
        delivered[c] = max(top, delivered[c] ?? 0)
        synced(c, top)
        try await outbound.write(ServerFrame.synced(conversation: c, seq: top).json)
    }

    /// A stored message read for this socket (a catch-up) as its `msg` frame.
    private static func write(_ m: StoredMessage, me: Identity, to outbound: SocketWriter) async throws {
        try await outbound.write(ServerFrame.msg(m, mine: m.senderIdentity == me).json)
    }

    /// The catch-up of a `sync`: every stored message after `after` up to the
    /// last one committed now, except those already sent live; returns that last seq.
    private static func catchUp(
        _ c: UUID, after: Int64, skipping already: ClosedRange<Int64>?, me: Identity,
        outbound: SocketWriter, store: any MessageStore
    ) async throws -> Int64 {
        let top = try await store.lastSeq(conversation: c) ?? 0
        var cursor = min(after, top)
        while cursor < top {
            let page = try await store.messages(conversation: c, after: cursor, limit: 500)
            for m in page where m.seq <= top && !(already?.contains(m.seq) ?? false) {
                try await Self.write(m, me: me, to: outbound)
            }
            guard let end = page.last?.seq else { break }
            cursor = end
        }
        return top
    }
}

/// A committed message on its way to this node's sockets, encoded once: all
/// of them send the same bytes, the sender's own sockets with `"mine":true`
/// (in a room of 500, one encoding instead of 500).
struct LiveMessage: Sendable {
    let message: StoredMessage
    private let others: ByteBuffer
    private let mine: ByteBuffer

    init(_ message: StoredMessage) {
        self.message = message
        others = ByteBuffer(string: ServerFrame.msg(message).json)
        // The same object with one more member (a live message is never
        // removed, but either way it stays valid JSON): the bytes copied
        // once, with no second String (whose dropLast walked graphemes).
        var mine = ByteBuffer()
        mine.reserveCapacity(others.readableBytes + 12)
        mine.writeImmutableBuffer(others.getSlice(at: others.readerIndex, length: others.readableBytes - 1)!)
        mine.writeStaticString(#","mine":true}"#)
        self.mine = mine
    }

    func frame(for me: Identity) -> ByteBuffer { message.senderIdentity == me ? mine : others }
}
